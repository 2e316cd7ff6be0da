// The anon and service-role API keys: JWTs signed with the stack's secret, as Supabase issues them.
import { SignJWT } from 'jose';

// Fixed issue and expiry times make the local keys stable across restarts, like Supabase's demo keys.
const ISSUED_AT = 1_700_000_000;
const EXPIRES_AT = 2_000_000_000;

export async function apiKey(role: 'anon' | 'service_role', secret: string): Promise<string> {
  return new SignJWT({ iss: 'supabase-demo', role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(ISSUED_AT)
    .setExpirationTime(EXPIRES_AT)
    .sign(new TextEncoder().encode(secret));
}
