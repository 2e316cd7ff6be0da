// Finds a direction and its WhatsApp number as the caller sees them, and checks it can be launched.
import type { DirectionRow, FacebookConnection, ResolvedNumber } from './adset-request.ts';
import type { Caller } from './auth.ts';
import { AppError, databaseUnavailable } from './errors.ts';
import { loadLaunchTarget, type LaunchTarget, type StoredConnection } from './launch-store.ts';
import { userScopedClient } from './supabase-clients.ts';

/**
 * The direction, its number and its user's connection, as the caller may see them. A user's request
 * goes through resolve_whatsapp_number with the user's JWT first: RLS answers zero rows for a direction
 * that is not theirs (null here, 404 to the caller), and only then is the direction read server-side.
 * An automation (service role) may act on any direction: one server-side read.
 */
export async function findLaunchTarget(caller: Caller, directionId: string): Promise<Required<LaunchTarget> | null> {
  if (caller.kind === 'service') {
    const target = await loadLaunchTarget(directionId, true);
    return target?.number ? (target as Required<LaunchTarget>) : null;
  }
  const resolved = await userScopedClient(caller.authorization).rpc('resolve_whatsapp_number', { direction_id: directionId });
  if (resolved.error) {
    // PostgREST could not reach Postgres (PGRST000-003, 503) or could not be reached itself (status 0):
    // the same clean, retryable 503 as the direct connection gives, not a 500.
    if (resolved.status === 0 || resolved.status >= 502 || /^PGRST00\d$/.test(resolved.error.code ?? '')) throw databaseUnavailable();
    throw new Error(`resolve_whatsapp_number failed: ${resolved.error.message}`);
  }
  const number = (resolved.data as ResolvedNumber[] | null)?.[0];
  if (!number) return null;
  // resolve_whatsapp_number is security invoker: a row here means RLS let this user see the direction.
  // Ownership is decided there and nowhere else.
  const target = await loadLaunchTarget(directionId, false);
  return target && { ...target, number };
}

export const directionNotFound = (directionId: string) =>
  new AppError(404, 'direction_not_found', `No direction ${directionId} among your directions.`);

/** Why this direction cannot get a click-to-WhatsApp ad set, or null when it can. */
export function directionProblem(direction: DirectionRow): AppError | null {
  if (direction.objective !== 'whatsapp') {
    return new AppError(422, 'direction_not_whatsapp',
      `Direction "${direction.name}" has the objective ${direction.objective}; only WhatsApp directions launch click-to-WhatsApp ad sets.`);
  }
  if (!direction.is_active) {
    return new AppError(409, 'direction_inactive', `Direction "${direction.name}" is paused in the product. Activate it before launching.`);
  }
  if (!direction.fb_campaign_id) {
    return new AppError(409, 'direction_campaign_missing',
      `Direction "${direction.name}" has no Facebook campaign. Set its campaign id (a campaign with the Engagement objective) first.`);
  }
  return null;
}

/** The ad account, Page and token, or 409 facebook_not_connected naming what is missing. */
export function requireConnection(connection: StoredConnection | null): FacebookConnection & { access_token: string } {
  const missing: string[] = [];
  if (!connection?.ad_account_id) missing.push('an ad account');
  if (!connection?.page_id) missing.push('a Facebook Page');
  if (!connection?.access_token) missing.push('an access token');
  if (missing.length > 0 || !connection) {
    throw new AppError(409, 'facebook_not_connected',
      `Facebook is not connected for this account: ${missing.join(', ')} missing. Connect Facebook in the settings, then launch again.`);
  }
  return { ad_account_id: connection.ad_account_id!, page_id: connection.page_id!, access_token: connection.access_token! };
}
