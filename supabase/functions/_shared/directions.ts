// Finds a direction and its WhatsApp number as the caller sees them, and checks it can be launched.
import type { SupabaseClient } from '@supabase/supabase-js';
import { DIRECTION_COLUMNS, type DirectionRow, type FacebookConnection, type ResolvedNumber } from './adset-request.ts';
import { AppError } from './errors.ts';
import type { StoredConnection } from './launch-store.ts';

/**
 * Reads the direction and resolve_whatsapp_number(direction_id) through `client`: with the caller's
 * JWT, RLS hides other users' directions (null here, 404 to the caller).
 */
export async function findDirectionWithNumber(
  client: SupabaseClient,
  directionId: string,
): Promise<{ direction: DirectionRow; number: ResolvedNumber } | null> {
  const [found, resolved] = await Promise.all([
    client.from('account_directions').select(DIRECTION_COLUMNS).eq('id', directionId).maybeSingle(),
    client.rpc('resolve_whatsapp_number', { direction_id: directionId }),
  ]);
  if (found.error) throw new Error(`reading the direction failed: ${found.error.message}`);
  if (resolved.error) throw new Error(`resolve_whatsapp_number failed: ${resolved.error.message}`);
  const number = (resolved.data as ResolvedNumber[] | null)?.[0];
  if (!found.data || !number) return null;
  return { direction: found.data as unknown as DirectionRow, number };
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
