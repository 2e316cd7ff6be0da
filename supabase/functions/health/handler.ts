// Answers who called: proves the gateway checked the JWT and the function sees the caller's claims.
// The gateway has already verified the signature (verify_jwt = true), so reading the claims is enough.
import { decodeJwt } from 'jose';
import { corsHeaders, handleCors } from '../_shared/cors.ts';

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...corsHeaders, 'content-type': 'application/json' } });
}

export function handler(req: Request): Response {
  const preflight = handleCors(req);
  if (preflight) return preflight;
  const token = req.headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
  try {
    const claims = decodeJwt(token ?? '');
    return json(200, { ok: true, role: claims.role ?? null, user_id: claims.sub ?? null });
  } catch {
    return json(401, { error: { code: 'unauthorized', message: 'Send a JWT as "Authorization: Bearer <token>"' } });
  }
}
