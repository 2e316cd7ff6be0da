// Answers who called: proves the gateway checked the JWT and the function sees the caller's claims
// (the anonymous key included: role "anon", no user).
import { readClaims } from '../_shared/auth.ts';
import { jsonResponse } from '../_shared/errors.ts';
import { respond } from '../_shared/respond.ts';

export function handler(req: Request): Promise<Response> {
  return respond(req, 'health', async () => {
    const { claims } = await readClaims(req);
    return jsonResponse(200, { ok: true, role: claims.role ?? null, user_id: claims.sub ?? null });
  });
}
