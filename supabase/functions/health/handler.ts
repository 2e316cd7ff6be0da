// Answers who called: proves the gateway checked the JWT and the function sees the caller's claims.
import { corsHeaders, handleCors } from '../_shared/cors.ts';

function decodeClaims(authorization: string | null): Record<string, unknown> | null {
  const token = authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
  const payload = token?.split('.')[1];
  if (!payload) return null;
  try {
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))));
  } catch {
    return null;
  }
}

export function handler(req: Request): Response {
  const preflight = handleCors(req);
  if (preflight) return preflight;
  const claims = decodeClaims(req.headers.get('authorization'));
  const headers = { ...corsHeaders, 'content-type': 'application/json' };
  if (!claims) {
    return new Response(JSON.stringify({ error: { code: 'unauthorized', message: 'Send a Bearer JWT in the Authorization header' } }), { status: 401, headers });
  }
  return new Response(JSON.stringify({ ok: true, role: claims.role ?? null, user_id: claims.sub ?? null }), { status: 200, headers });
}
