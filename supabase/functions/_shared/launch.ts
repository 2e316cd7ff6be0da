// One ad set launch, shared by create-adset-in-direction and launch-directions: audit row first
// (pending, idempotent), then the Graph call, then the row finished, whatever happened.
import { buildAdSetRequest, type AdSetPlan, type NumberSource, type ResolvedNumber } from './adset-request.ts';
import type { GraphSettings } from './config.ts';
import { AppError } from './errors.ts';
import { kindOf } from './facebook-errors.ts';
import { postToGraph, type GraphFailure, type GraphFailureKind } from './graph-client.ts';
import { launchFailureToError } from './launch-errors.ts';
import { claimLaunch, findLaunchByKey, finishLaunch, type LaunchRow } from './launch-store.ts';
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

export async function launchAdSet(plan: AdSetPlan, options: LaunchOptions): Promise<LaunchOutcome> {
  const { settings, gate, token } = options;
  registerSecret(token);
  const request = buildAdSetRequest(plan, settings);
  const launchId = await claimLaunch(plan, request, options.idempotencyKey);
  if (!launchId) return replayLaunch(plan, options);

  const context = { launch_id: launchId, direction_id: plan.direction.id, user_account_id: plan.direction.user_account_id };
  log('info', NUMBER_CHOICE_MESSAGES[plan.number.source], {
    ...context,
    source: plan.number.source,
    whatsapp_phone_number: plan.number.phone_number,
    whatsapp_phone_number_id: plan.number.whatsapp_phone_number_id,
    page_id: plan.connection.page_id,
  });

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
      await finishLaunch(launchId, {
        status: 'succeeded', adsetId: result.id, request: sent, number, usedPageFallback, attempts,
        error: fallbackCause && {
          ...fallbackCause.details,
          message: `Page fallback: Facebook refused ${plan.number.phone_number} (level ${plan.number.source}): ${fallbackCause.details.message}`,
        },
      });
      log('info', 'Ad set created', { ...context, adset_id: result.id, attempts, source: number.source, used_page_fallback: usedPageFallback });
      return {
        ok: true,
        body: { launch_id: launchId, status: 'succeeded', adset_id: result.id, whatsapp_phone_number: number.phone_number, source: number.source, used_page_fallback: usedPageFallback },
      };
    }
    const error = launchFailureToError(result.failure, { ...plan, number }, launchId);
    await finishLaunch(launchId, { status: 'failed', request: sent, number, usedPageFallback, attempts, error: result.failure.details, localCode: error.code });
    log('warn', 'Ad set launch failed', {
      ...context, code: error.code, attempts, fb_code: result.failure.details.code, fb_subcode: result.failure.details.subcode,
      fbtrace_id: result.failure.details.fbtrace_id, source: number.source,
    });
    return { ok: false, error };
  } catch (unexpected) {
    // The row must not stay pending when we know the launch broke; an outright crash leaves it pending.
    await finishLaunch(launchId, {
      status: 'failed', request: sent, number, usedPageFallback: false, attempts,
      error: { code: null, subcode: null, message: String(unexpected), user_title: null, user_msg: null, fbtrace_id: null },
      localCode: 'internal_error',
    }).catch(() => {});
    throw unexpected;
  }
}

/** Longest a launch can legitimately stay pending: every attempt timing out plus the waits between. */
function longestLaunchMs(settings: GraphSettings): number {
  return 2 * settings.maxAttempts * (settings.timeoutMs + settings.maxWaitMs);
}

/** A launch with this key exists: wait for it to finish (bounded), then answer what it answered. */
async function replayLaunch(plan: AdSetPlan, options: LaunchOptions): Promise<LaunchOutcome> {
  const userId = plan.direction.user_account_id;
  const deadline = Date.now() + Math.min(longestLaunchMs(options.settings), 60_000);
  let row = await findLaunchByKey(userId, options.idempotencyKey);
  while (row && row.status === 'pending' && Date.now() < deadline) {
    if (Date.now() - new Date(row.started_at).getTime() > longestLaunchMs(options.settings)) break;
    await sleep(POLL_MS);
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
  return outcomeFromRow(row, plan, options.settings);
}

function localCodeOf(message: string | null): string | null {
  return /^([a-z_]+): /.exec(message ?? '')?.[1] ?? null;
}

const LOCAL_CODE_KINDS: Record<string, GraphFailureKind> = {
  facebook_timeout: 'timeout',
  facebook_unavailable: 'network',
  facebook_rate_limited: 'rate_limited',
};

export function outcomeFromRow(row: LaunchRow, plan: AdSetPlan, settings: GraphSettings): LaunchOutcome {
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
    const age = Date.now() - new Date(row.started_at).getTime();
    if (age > longestLaunchMs(settings)) {
      return {
        ok: false,
        error: new AppError(409, 'launch_outcome_unknown',
          `A launch with this idempotency key started at ${new Date(row.started_at).toISOString()} and never finished. ` +
          'Facebook may or may not have created the ad set: check Ads Manager, then launch with a new idempotency key.', { launchId: row.id }),
      };
    }
    return {
      ok: false,
      error: new AppError(409, 'launch_in_progress', 'A launch with this idempotency key is still running. Ask again in a few seconds.', { launchId: row.id, retryAfterSeconds: 5 }),
    };
  }
  const localCode = row.error_code === null ? localCodeOf(row.error_message) : null;
  const failure: GraphFailure = {
    kind: row.error_code !== null ? kindOf(row.error_code, row.error_subcode, false) : LOCAL_CODE_KINDS[localCode ?? ''] ?? 'other',
    details: {
      code: row.error_code, subcode: row.error_subcode,
      message: localCode ? row.error_message!.slice(localCode.length + 2) : row.error_message,
      user_title: row.error_user_title, user_msg: row.error_user_msg, fbtrace_id: row.fb_trace_id,
    },
  };
  const number = { phone_number: row.phone_number, whatsapp_phone_number_id: row.whatsapp_phone_number_id, source: row.number_source ?? plan.number.source };
  return { ok: false, error: launchFailureToError(failure, { ...plan, number }, row.id) };
}
