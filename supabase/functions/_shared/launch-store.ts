// The audit record of launches (public.adset_launches) and the server-side Facebook connection.
// Every launch is written `pending` before the Graph call and finished after it.
import { database, withDatabaseRetry } from './db.ts';
import type { AdSetPlan, DirectionRow, FacebookConnection, NumberSource, ResolvedNumber } from './adset-request.ts';
import type { GraphPost } from './graph-client.ts';
import type { FacebookErrorDetails } from './errors.ts';

export interface StoredConnection extends Partial<FacebookConnection> {
  access_token: string | null;
}

export interface LaunchRow {
  id: string;
  direction_id: string | null;
  status: 'pending' | 'succeeded' | 'failed';
  fb_adset_id: string | null;
  phone_number: string | null;
  whatsapp_phone_number_id: string | null;
  number_source: NumberSource | null;
  used_page_fallback: boolean;
  error_code: number | null;
  error_subcode: number | null;
  error_message: string | null;
  error_user_title: string | null;
  error_user_msg: string | null;
  fb_trace_id: string | null;
  attempts: number;
  started_at: Date;
  /** Milliseconds since the launch started, by the database's clock. */
  age_ms: number;
  /** Milliseconds since the row was last written (a running launch touches it every few seconds). */
  idle_ms: number;
}

const LAUNCH_COLUMNS = `id, direction_id, status, fb_adset_id, phone_number, whatsapp_phone_number_id, number_source,
  used_page_fallback, error_code, error_subcode, error_message, error_user_title, error_user_msg, fb_trace_id, attempts, started_at,
  (extract(epoch from now() - started_at) * 1000)::float8 as age_ms,
  (extract(epoch from now() - greatest(started_at, updated_at)) * 1000)::float8 as idle_ms`;

/**
 * The user's ad account, Page and token; read only after the caller was allowed to act. The token
 * lives in private.facebook_access_tokens (the browser writes it through public.user_facebook_tokens
 * and can never read it back).
 */
export async function loadConnection(userAccountId: string): Promise<StoredConnection | null> {
  const { rows } = await database().query(
    `select ua.ad_account_id, ua.page_id, t.access_token
       from public.user_accounts ua
       left join private.facebook_access_tokens t on t.user_account_id = ua.id
      where ua.id = $1`,
    [userAccountId],
  );
  return rows[0] ?? null;
}

/** The request as stored and shown: the token is never part of it. */
export function describeRequest(request: GraphPost): Record<string, unknown> {
  return { method: 'POST', url: request.url, body: request.fields };
}

/**
 * Inserts the pending row; null when a launch with this idempotency key already exists. The id is
 * chosen here, so an insert whose reply was lost to a dropped connection is recognised as ours when
 * it is tried again (rather than taken for another launch holding the key).
 */
export async function claimLaunch(plan: AdSetPlan, request: GraphPost, idempotencyKey: string): Promise<string | null> {
  const launchId = crypto.randomUUID();
  return await withDatabaseRetry('claim launch', async (attempt) => {
    const { rows } = await database().query(
      `insert into public.adset_launches
         (id, user_account_id, direction_id, whatsapp_phone_number_id, phone_number, number_source, status, request, idempotency_key)
       values ($1, $2, $3, $4, $5, $6, 'pending', $7, $8)
       on conflict (user_account_id, idempotency_key) do nothing
       returning id`,
      [
        launchId,
        plan.direction.user_account_id,
        plan.direction.id,
        plan.number.whatsapp_phone_number_id,
        plan.number.phone_number,
        plan.number.source,
        JSON.stringify(describeRequest(request)),
        idempotencyKey,
      ],
    );
    if (rows[0]) return rows[0].id as string;
    if (attempt === 1) return null;
    const { rows: existing } = await database().query(
      'select id from public.adset_launches where user_account_id = $1 and idempotency_key = $2',
      [plan.direction.user_account_id, idempotencyKey],
    );
    return existing[0]?.id === launchId ? launchId : null;
  });
}

export async function findLaunchByKey(userAccountId: string, idempotencyKey: string): Promise<LaunchRow | null> {
  return await withDatabaseRetry('read launch', async () => {
    const { rows } = await database().query(
      `select ${LAUNCH_COLUMNS} from public.adset_launches where user_account_id = $1 and idempotency_key = $2`,
      [userAccountId, idempotencyKey],
    );
    return rows[0] ?? null;
  });
}

// ---------------------------------------------------------------------------------------------
// error_message of a failed launch is `<product code>: <text>` (`facebook_unavailable: …`,
// `launch_outcome_unknown: …`): the code the caller was answered, so that a replay answers the same
// code even when Facebook's numeric code alone would not say it (an unknown code marked is_transient).

/** Every code a failed launch may have answered; only these are read back as a stored code. */
export const LAUNCH_FAILURE_CODES = new Set([
  'facebook_token_invalid', 'facebook_permission_denied', 'whatsapp_number_rejected', 'facebook_invalid_parameter',
  'facebook_rate_limited', 'facebook_unavailable', 'facebook_error', 'facebook_timeout',
  'launch_outcome_unknown', 'internal_error',
]);

export function storedErrorMessage(localCode: string, message: string | null): string {
  return message === null ? `${localCode}:` : `${localCode}: ${message}`;
}

/** The product code and the original text of a stored failure message (code null: written without one). */
export function parseStoredErrorMessage(stored: string | null): { localCode: string | null; message: string | null } {
  const match = /^([a-z_]+):(?: ([\s\S]*))?$/.exec(stored ?? '');
  if (!match || !LAUNCH_FAILURE_CODES.has(match[1])) return { localCode: null, message: stored };
  return { localCode: match[1], message: match[2] ?? null };
}

export interface LaunchFinish {
  status: 'succeeded' | 'failed';
  adsetId?: string;
  /** What was finally sent (changes when the launch fell back to the Page's number). */
  request: GraphPost;
  number: ResolvedNumber;
  usedPageFallback: boolean;
  attempts: number;
  /** Facebook's error, or for a success after fallback, the refusal that caused the fallback. */
  error?: FacebookErrorDetails;
  /** For failures: the code the caller is answered (stored as the prefix of error_message). */
  localCode?: string;
}

/**
 * Records the outcome, trying again through a database outage (the update is idempotent). A row a
 * replay gave up on (`launch_outcome_unknown`) is corrected with the real outcome.
 */
export async function finishLaunch(launchId: string, finish: LaunchFinish): Promise<void> {
  const error = finish.error;
  const message = finish.status === 'failed'
    ? storedErrorMessage(finish.localCode ?? 'facebook_error', error?.message ?? null)
    : error?.message ?? null;
  await withDatabaseRetry('finish launch', () => database().query(
    `update public.adset_launches
        set status = $2, fb_adset_id = $3, request = $4, phone_number = $5, whatsapp_phone_number_id = $6,
            number_source = $7, used_page_fallback = $8, attempts = $9,
            error_code = $10, error_subcode = $11, error_message = $12, error_user_title = $13,
            error_user_msg = $14, fb_trace_id = $15, finished_at = now()
      where id = $1 and (status = 'pending' or starts_with(error_message, 'launch_outcome_unknown:'))`,
    [
      launchId,
      finish.status,
      finish.adsetId ?? null,
      JSON.stringify(describeRequest(finish.request)),
      finish.number.phone_number,
      finish.number.whatsapp_phone_number_id,
      finish.number.source,
      finish.usedPageFallback,
      finish.attempts,
      error?.code ?? null,
      error?.subcode ?? null,
      message,
      error?.user_title ?? null,
      error?.user_msg ?? null,
      error?.fbtrace_id ?? null,
    ],
  ));
}

/** A running launch says it is alive (updated_at); a replay takes a row nobody touches for long as dead. */
export async function touchLaunch(launchId: string): Promise<void> {
  await database().query(`update public.adset_launches set updated_at = now() where id = $1 and status = 'pending'`, [launchId]);
}

/**
 * Ends a launch that stopped without recording Facebook's answer (its process crashed, or the database
 * stayed away longer than it could wait): `failed` with `launch_outcome_unknown: …`, only while it is
 * still pending and still stale. Returns the row as it is now.
 */
export async function markLaunchOutcomeUnknown(row: LaunchRow, staleAfterMs: number, maxAgeMs: number, userAccountId: string, idempotencyKey: string): Promise<LaunchRow | null> {
  const message = storedErrorMessage('launch_outcome_unknown',
    `the launch started at ${new Date(row.started_at).toISOString()} and stopped without recording Facebook's answer; ` +
    'the ad set may or may not exist (check Ads Manager)');
  await withDatabaseRetry('mark launch outcome unknown', () => database().query(
    `update public.adset_launches
        set status = 'failed', error_message = $2, finished_at = now()
      where id = $1 and status = 'pending'
        and (now() - greatest(started_at, updated_at) > make_interval(secs => $3::float8 / 1000)
             or now() - started_at > make_interval(secs => $4::float8 / 1000))`,
    [row.id, message, staleAfterMs, maxAgeMs],
  ));
  return await findLaunchByKey(userAccountId, idempotencyKey);
}

export interface LaunchTarget {
  direction: DirectionRow;
  connection: StoredConnection;
  /** Present when asked for: resolve_whatsapp_number as the server (service role) sees it. */
  number?: ResolvedNumber;
}

const DIRECTION_SELECT = `d.id, d.user_account_id, d.name, d.objective::text as objective, d.daily_budget_cents, d.is_active,
            d.fb_campaign_id, d.default_settings, d.allow_page_number_fallback`;

function directionFrom(row: Record<string, unknown>): DirectionRow {
  return {
    id: row.id as string,
    user_account_id: row.user_account_id as string,
    name: row.name as string,
    objective: row.objective as string,
    daily_budget_cents: row.daily_budget_cents as number,
    is_active: row.is_active as boolean,
    fb_campaign_id: row.fb_campaign_id as string | null,
    default_settings: row.default_settings,
    allow_page_number_fallback: row.allow_page_number_fallback as boolean,
  };
}

/**
 * A direction with its user's Facebook connection, in one round trip. Server-side: callers must have
 * established that the requester may act on this direction (RLS-scoped resolve for users).
 */
export async function loadLaunchTarget(directionId: string, withNumber: boolean): Promise<LaunchTarget | null> {
  const { rows } = await database().query(
    `select ${DIRECTION_SELECT}, ua.ad_account_id, ua.page_id, t.access_token
            ${withNumber ? ', r.phone_number, r.whatsapp_phone_number_id, r.source::text as source' : ''}
       from public.account_directions d
       join public.user_accounts ua on ua.id = d.user_account_id
       left join private.facebook_access_tokens t on t.user_account_id = d.user_account_id
       ${withNumber ? 'cross join lateral public.resolve_whatsapp_number(d.id) r' : ''}
      where d.id = $1`,
    [directionId],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    direction: directionFrom(row),
    connection: { ad_account_id: row.ad_account_id, page_id: row.page_id, access_token: row.access_token },
    number: withNumber ? { phone_number: row.phone_number, whatsapp_phone_number_id: row.whatsapp_phone_number_id, source: row.source } : undefined,
  };
}

export interface DirectionWithNumber {
  direction: DirectionRow;
  number: ResolvedNumber;
}

/**
 * A user's directions with their numbers, resolved by resolve_whatsapp_number (as the batch's
 * automation, which may see every direction of that user). `ids` null = active WhatsApp directions.
 */
export async function loadDirectionsWithNumbers(userAccountId: string, ids: string[] | null): Promise<DirectionWithNumber[]> {
  const { rows } = await database().query(
    `select ${DIRECTION_SELECT},
            r.phone_number, r.whatsapp_phone_number_id, r.source::text as source
       from public.account_directions d
       cross join lateral public.resolve_whatsapp_number(d.id) r
      where d.user_account_id = $1
        and (case when $2::uuid[] is null then d.is_active and d.objective = 'whatsapp' else d.id = any($2::uuid[]) end)
      order by d.created_at, d.id`,
    [userAccountId, ids],
  );
  return rows.map((row) => ({
    direction: directionFrom(row),
    number: { phone_number: row.phone_number, whatsapp_phone_number_id: row.whatsapp_phone_number_id, source: row.source },
  }));
}
