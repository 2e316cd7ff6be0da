// One ad set launch, shared by create-adset-in-direction and launch-directions: audit row first
// (pending, idempotent), then the Graph call, then the row finished, whatever happened.
import { buildAdSetRequest, type AdSetPlan, type NumberSource, type ResolvedNumber } from './adset-request.ts';
import { numberFromEnv, type GraphSettings } from './config.ts';
import { databaseRetryBudgetMs, isConnectionError } from './db.ts';
import { AppError, databaseUnavailable } from './errors.ts';
import { kindOf } from './facebook-errors.ts';
import { postToGraph, type GraphFailure, type GraphFailureKind } from './graph-client.ts';
import { launchFailureToError } from './launch-errors.ts';
import {
  claimLaunch, findLaunchByKey, finishLaunch, markLaunchOutcomeUnknown, parseStoredErrorMessage, touchLaunch, type LaunchFinish, type LaunchRow,
} from './launch-store.ts';
import { log, registerSecret } from './log.ts';
import { RateGate, sleep } from './rate-gate.ts';

export interface LaunchSuccess {
  launch_id: string;
  status: 'succeeded';
  adset_id: string;
  whatsapp_phone_number: string | null;
  source: NumberSource;
  used_page_fallback: boolean;
  replayed?: boolean;
}

export type LaunchOutcome = { ok: true; body: LaunchSuccess } | { ok: false; error: AppError };

export interface LaunchOptions {
  token: string;
  idempotencyKey: string;
  settings: GraphSettings;
  gate: RateGate;
}

const NUMBER_CHOICE_MESSAGES: Record<NumberSource, string> = {
  direction: 'Using WhatsApp number from direction',
  default: 'Using default WhatsApp number',
  legacy: 'Using legacy WhatsApp number',
  page_default: "No WhatsApp number configured: Facebook uses the Page's own number",
};

const PAGE_NUMBER: ResolvedNumber = { phone_number: null, whatsapp_phone_number_id: null, source: 'page_default' };
const POLL_MS = 40;

export interface LaunchTimings {
  /** How often a running launch touches its row (updated_at) to show it is alive. */
  heartbeatMs: number;
  /** A pending row untouched this long belongs to a launch that died: its outcome is unknown. */
  staleAfterMs: number;
  /** A pending row older than this is dead whatever it says: every retry, timeout and outage wait included. */
  maxAgeMs: number;
}

/** Longest a launch can legitimately stay pending: every attempt timing out plus the waits between (twice: Page fallback). */
function longestLaunchMs(settings: GraphSettings): number {
  return 2 * settings.maxAttempts * (settings.timeoutMs + settings.maxWaitMs);
}

export function launchTimings(settings: GraphSettings): LaunchTimings {
  const heartbeatMs = numberFromEnv('LAUNCH_HEARTBEAT_MS', 5_000, 50, 60_000);
  // Several missed heartbeats, and more than one Graph attempt: a live launch is never taken for dead.
  const staleAfterMs = numberFromEnv('LAUNCH_STALE_AFTER_MS', Math.max(30_000, 4 * heartbeatMs, settings.timeoutMs + 10_000), 100, 3_600_000);
  return { heartbeatMs, staleAfterMs, maxAgeMs: longestLaunchMs(settings) + 2 * databaseRetryBudgetMs() };
}

function isStale(row: LaunchRow, timings: LaunchTimings): boolean {
  return row.status === 'pending' && (row.idle_ms > timings.staleAfterMs || row.age_ms > timings.maxAgeMs);
}

/**
 * Records the outcome (through a database outage of a few seconds); false when it could not be
 * written at all. The caller then says so: the row stays pending until a replay marks it unknown.
 */
async function recordOutcome(launchId: string, finish: LaunchFinish, context: Record<string, unknown>): Promise<boolean> {
  try {
    await finishLaunch(launchId, finish);
    return true;
  } catch (error) {
    log('error', 'Launch outcome could not be recorded', {
      ...context, status: finish.status, adset_id: finish.adsetId, code: finish.localCode, error: String(error),
    });
    return false;
  }
}

const launchNotStarted = () =>
  databaseUnavailable('The launch could not start because the database is unavailable. Nothing was sent to Facebook: try again in a minute.');

export async function launchAdSet(plan: AdSetPlan, options: LaunchOptions): Promise<LaunchOutcome> {
  const { settings, gate, token } = options;
  registerSecret(token);
  const request = buildAdSetRequest(plan, settings);
  let launchId: string | null;
  try {
    launchId = await claimLaunch(plan, request, options.idempotencyKey);
  } catch (error) {
    if (isConnectionError(error)) return { ok: false, error: launchNotStarted() };
    throw error;
  }
  if (!launchId) {
    try {
      return await replayLaunch(plan, options);
    } catch (error) {
      if (isConnectionError(error)) return { ok: false, error: launchNotStarted() };
      throw error;
    }
  }

  const context = { launch_id: launchId, direction_id: plan.direction.id, user_account_id: plan.direction.user_account_id };
  log('info', NUMBER_CHOICE_MESSAGES[plan.number.source], {
    ...context,
    source: plan.number.source,
    whatsapp_phone_number: plan.number.phone_number,
    whatsapp_phone_number_id: plan.number.whatsapp_phone_number_id,
    page_id: plan.connection.page_id,
  });

  const timings = launchTimings(settings);
  const id = launchId;
  const heartbeat = setInterval(() => touchLaunch(id).catch(() => {}), timings.heartbeatMs);
  let sent = request;
  let number = plan.number;
  let attempts = 0;
  try {
    let result = await postToGraph(request, token, settings, gate, context);
    attempts += result.attempts;
    let fallbackCause: GraphFailure | undefined;
    if (!result.ok && result.failure.kind === 'number_not_connected' && plan.direction.allow_page_number_fallback && plan.number.phone_number) {
      // Only 1487246 (number not on the Page) can be cured by leaving the number out; the direction allows it.
      fallbackCause = result.failure;
      log('warn', "WhatsApp number rejected, falling back to the Page's number as the direction allows", {
        ...context,
        rejected_number: plan.number.phone_number,
        rejected_source: plan.number.source,
        fb_code: result.failure.details.code,
        fb_subcode: result.failure.details.subcode,
        fbtrace_id: result.failure.details.fbtrace_id,
      });
      sent = buildAdSetRequest(plan, settings, false);
      number = PAGE_NUMBER;
      result = await postToGraph(sent, token, settings, gate, context);
      attempts += result.attempts;
    }
    const usedPageFallback = fallbackCause !== undefined;
    if (result.ok) {
      // Logged before the record is written: if the database is gone for good, the ad set id survives here.
      log('info', 'Ad set created', { ...context, adset_id: result.id, attempts, source: number.source, used_page_fallback: usedPageFallback });
      const recorded = await recordOutcome(launchId, {
        status: 'succeeded', adsetId: result.id, request: sent, number, usedPageFallback, attempts,
        error: fallbackCause && {
          ...fallbackCause.details,
          message: `Page fallback: Facebook refused ${plan.number.phone_number} (level ${plan.number.source}): ${fallbackCause.details.message}`,
        },
      }, context);
      if (!recorded) {
        return {
          ok: false,
          error: new AppError(503, 'launch_not_recorded',
            `Facebook created ad set ${result.id} for direction "${plan.direction.name}", but the launch could not be recorded ` +
            'because the database is unavailable. The ad set exists: do not launch this direction again with a new idempotency key.',
            { launchId }),
        };
      }
      return {
        ok: true,
        body: { launch_id: launchId, status: 'succeeded', adset_id: result.id, whatsapp_phone_number: number.phone_number, source: number.source, used_page_fallback: usedPageFallback },
      };
    }
    const error = launchFailureToError(result.failure, { ...plan, number }, launchId);
    log('warn', 'Ad set launch failed', {
      ...context, code: error.code, attempts, fb_code: result.failure.details.code, fb_subcode: result.failure.details.subcode,
      fbtrace_id: result.failure.details.fbtrace_id, source: number.source,
    });
    const recorded = await recordOutcome(launchId, { status: 'failed', request: sent, number, usedPageFallback, attempts, error: result.failure.details, localCode: error.code }, context);
    if (!recorded) {
      return {
        ok: false,
        error: new AppError(error.status, error.code,
          `${error.message} (This outcome could not be recorded because the database is unavailable: the launch will show as "outcome unknown".)`,
          error.extra),
      };
    }
    return { ok: false, error };
  } catch (unexpected) {
    // The row must not stay pending when we know the launch broke; an outright crash leaves it pending
    // until a replay finds it stale.
    await recordOutcome(launchId, {
      status: 'failed', request: sent, number, usedPageFallback: false, attempts,
      error: { code: null, subcode: null, message: String(unexpected), user_title: null, user_msg: null, fbtrace_id: null },
      localCode: 'internal_error',
    }, context);
    throw unexpected;
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * A launch with this key exists: wait for it to finish (bounded), then answer what it answered. A
 * pending row nobody keeps alive is ended as `launch_outcome_unknown` and answered so, at once.
 */
async function replayLaunch(plan: AdSetPlan, options: LaunchOptions): Promise<LaunchOutcome> {
  const userId = plan.direction.user_account_id;
  const timings = launchTimings(options.settings);
  const started = Date.now();
  let row = await findLaunchByKey(userId, options.idempotencyKey);
  for (let poll = 0; row && row.status === 'pending'; poll++) {
    if (isStale(row, timings)) {
      log('warn', 'Launch left pending by a process that stopped: outcome unknown', {
        launch_id: row.id, direction_id: row.direction_id, user_account_id: userId, idle_ms: Math.round(row.idle_ms), age_ms: Math.round(row.age_ms),
      });
      row = await markLaunchOutcomeUnknown(row, timings.staleAfterMs, timings.maxAgeMs, userId, options.idempotencyKey);
      break;
    }
    if (Date.now() - started >= timings.staleAfterMs) break;
    await sleep(Math.min(POLL_MS * 1.25 ** poll, 500));
    row = await findLaunchByKey(userId, options.idempotencyKey);
  }
  if (!row) throw new Error('launch row vanished after an idempotency conflict');
  if (row.direction_id !== plan.direction.id) {
    return {
      ok: false,
      error: new AppError(409, 'idempotency_key_reused',
        `The idempotency key "${options.idempotencyKey}" was already used for another direction. Use a new key for each launch.`, { launchId: row.id }),
    };
  }
  return outcomeFromRow(row, plan);
}

const LOCAL_CODE_KINDS: Record<string, GraphFailureKind> = {
  facebook_timeout: 'timeout',
  facebook_unavailable: 'network',
  facebook_rate_limited: 'rate_limited',
  facebook_error: 'other',
};

function outcomeUnknown(row: LaunchRow): AppError {
  return new AppError(409, 'launch_outcome_unknown',
    `A launch with this idempotency key started at ${new Date(row.started_at).toISOString()} and never finished. ` +
    'Facebook may or may not have created the ad set: check Ads Manager, then launch with a new idempotency key.', { launchId: row.id });
}

/** The answer a finished (or still running) launch gave, from its row: the same code as the first time. */
export function outcomeFromRow(row: LaunchRow, plan: AdSetPlan): LaunchOutcome {
  if (row.status === 'succeeded') {
    return {
      ok: true,
      body: {
        launch_id: row.id, status: 'succeeded', adset_id: row.fb_adset_id!, whatsapp_phone_number: row.phone_number,
        source: row.number_source ?? plan.number.source, used_page_fallback: row.used_page_fallback, replayed: true,
      },
    };
  }
  if (row.status === 'pending') {
    return {
      ok: false,
      error: new AppError(409, 'launch_in_progress', 'A launch with this idempotency key is still running. Ask again in a few seconds.', { launchId: row.id, retryAfterSeconds: 5 }),
    };
  }
  const { localCode, message } = parseStoredErrorMessage(row.error_message);
  if (localCode === 'launch_outcome_unknown') return { ok: false, error: outcomeUnknown(row) };
  if (localCode === 'internal_error') {
    return {
      ok: false,
      error: new AppError(500, 'internal_error', 'This launch failed because of an internal error; nothing more is known. Launch again with a new idempotency key.', { launchId: row.id }),
    };
  }
  // Facebook's code decides the kind, as it did the first time; whether Facebook called it transient
  // is not a column, but the answered code (facebook_unavailable) says it.
  const kind: GraphFailureKind = row.error_code !== null
    ? kindOf(row.error_code, row.error_subcode, localCode === 'facebook_unavailable')
    : LOCAL_CODE_KINDS[localCode ?? ''] ?? 'other';
  const failure: GraphFailure = {
    kind,
    details: {
      code: row.error_code, subcode: row.error_subcode, message,
      user_title: row.error_user_title, user_msg: row.error_user_msg, fbtrace_id: row.fb_trace_id,
    },
  };
  const number = { phone_number: row.phone_number, whatsapp_phone_number_id: row.whatsapp_phone_number_id, source: row.number_source ?? plan.number.source };
  return { ok: false, error: launchFailureToError(failure, { ...plan, number }, row.id) };
}
