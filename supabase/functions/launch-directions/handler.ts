// POST /functions/v1/launch-directions {user_account_id, direction_ids?, status?, concurrency?, batch_id?}
// The automations' entry point (service role only): launches a user's active WhatsApp directions, or
// the listed ones, and answers one result per direction.
import { authenticate } from '../_shared/auth.ts';
import { defaultCountry, graphSettings } from '../_shared/config.ts';
import { requireConnection } from '../_shared/directions.ts';
import { AppError, badRequest, jsonResponse } from '../_shared/errors.ts';
import { loadConnection, loadDirectionsWithNumbers } from '../_shared/launch-store.ts';
import { log } from '../_shared/log.ts';
import { idempotencyKeyField, integerField, readJsonBody, statusField, uuidField, type Body } from '../_shared/request-body.ts';
import { respond } from '../_shared/respond.ts';
import { runBatch } from './batch.ts';

const FIELDS = ['user_account_id', 'direction_ids', 'status', 'concurrency', 'batch_id'];
const MAX_DIRECTIONS = 5000;
const DEFAULT_CONCURRENCY = 8;
const MAX_CONCURRENCY = 16;
const MAX_THROTTLE_WAIT_MS = 120_000;

function directionIdsField(body: Body): string[] | null {
  const value = body.direction_ids;
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_DIRECTIONS) {
    throw badRequest(`direction_ids must be a list of 1 to ${MAX_DIRECTIONS} direction ids (UUIDs), or left out to launch every active WhatsApp direction.`);
  }
  const ids = value.map((id, i) => uuidField({ [`direction_ids[${i}]`]: id }, `direction_ids[${i}]`));
  return [...new Set(ids)];
}

export function handler(req: Request): Promise<Response> {
  return respond(req, 'launch-directions', async () => {
    const caller = await authenticate(req);
    if (caller.kind !== 'service') {
      throw new AppError(403, 'forbidden',
        'launch-directions is for automations holding the service-role key. To launch one direction, use create-adset-in-direction.');
    }
    const body = await readJsonBody(req, FIELDS);
    const userAccountId = uuidField(body, 'user_account_id');
    const requestedIds = directionIdsField(body);
    const status = statusField(body);
    const concurrency = integerField(body, 'concurrency', 1, MAX_CONCURRENCY, 'launches in flight at once') ?? DEFAULT_CONCURRENCY;
    const batchId = idempotencyKeyField(body.batch_id, 'batch_id') ?? crypto.randomUUID();

    // One read: no row means no such user; a row with something missing is 409 facebook_not_connected.
    const stored = await loadConnection(userAccountId);
    if (!stored) throw new AppError(404, 'user_not_found', `No user account ${userAccountId}.`);
    const connection = requireConnection(stored);
    const rows = await loadDirectionsWithNumbers(userAccountId, requestedIds);
    const found = new Map(rows.map((row) => [row.direction.id, row]));
    const directionIds = requestedIds ?? rows.map((row) => row.direction.id);

    const started = Date.now();
    const results = await runBatch({
      batchId,
      directionIds,
      found,
      connection: { ad_account_id: connection.ad_account_id, page_id: connection.page_id },
      token: connection.access_token,
      status,
      concurrency,
      settings: graphSettings(),
      defaultCountry: defaultCountry(),
      maxThrottleWaitMs: MAX_THROTTLE_WAIT_MS,
    });
    const succeeded = results.filter((r) => r.ok).length;
    log('info', 'Batch finished', {
      batch_id: batchId, user_account_id: userAccountId, directions: results.length, succeeded,
      failed: results.length - succeeded, concurrency, duration_ms: Date.now() - started,
    });
    return jsonResponse(200, { batch_id: batchId, succeeded, failed: results.length - succeeded, results });
  });
}
