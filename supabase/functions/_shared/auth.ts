// Who is calling: a signed-in user (RLS applies) or an automation holding the service-role key.
// The gateway verifies the JWT (verify_jwt = true); when the secret is known we verify again, so the
// handler is safe even when reached without the gateway.
import { decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import { AppError } from './errors.ts';

export type Caller =
  | { kind: 'user'; userId: string; authorization: string }
  | { kind: 'service'; authorization: string };

const unauthorized = (message: string) => new AppError(401, 'unauthorized', message);

let secretKey: Uint8Array | null | undefined;
function jwtSecret(): Uint8Array | null {
  if (secretKey === undefined) {
    const secret = Deno.env.get('SUPABASE_JWT_SECRET');
    secretKey = secret ? new TextEncoder().encode(secret) : null;
  }
  return secretKey;
}

/**
 * The caller's JWT claims (signature checked when the secret is known) and their Authorization
 * header, or 401 unauthorized. Every function reads the caller this way.
 */
export async function readClaims(req: Request): Promise<{ claims: JWTPayload; authorization: string }> {
  const authorization = req.headers.get('authorization') ?? '';
  const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  if (!token) throw unauthorized('Sign in first: send your session token as "Authorization: Bearer <JWT>".');
  try {
    const secret = jwtSecret();
    return { claims: secret ? (await jwtVerify(token, secret)).payload : decodeJwt(token), authorization };
  } catch {
    throw unauthorized('Your session token is invalid or expired. Sign in again.');
  }
}

/** A signed-in user or an automation; the anonymous key is refused with 401. */
export async function authenticate(req: Request): Promise<Caller> {
  const { claims, authorization } = await readClaims(req);
  if (claims.role === 'service_role') return { kind: 'service', authorization };
  if (claims.role === 'authenticated' && typeof claims.sub === 'string' && claims.sub) {
    return { kind: 'user', userId: claims.sub, authorization };
  }
  throw unauthorized('Sign in to launch ad sets: the anonymous key cannot do this.');
}
