// Launches many directions of one user: bounded concurrency, one pause shared by every worker when
// Facebook throttles, idempotency keys derived from the batch id so a retried batch never launches twice.
import type { AdSetPlan } from '../_shared/adset-request.ts';
import type { GraphSettings } from '../_shared/config.ts';
import { directionProblem } from '../_shared/directions.ts';
import { AppError, errorBody } from '../_shared/errors.ts';
import { launchAdSet, type LaunchOutcome } from '../_shared/launch.ts';
import type { DirectionWithNumber } from '../_shared/launch-store.ts';
import { log } from '../_shared/log.ts';
import { RateGate } from '../_shared/rate-gate.ts';
import { mapWithConcurrency } from '../_shared/worker-pool.ts';

export interface BatchResult {
  direction_id: string;
  ok: boolean;
  launch_id?: string;
  adset_id?: string;
  whatsapp_phone_number?: string | null;
  source?: string;
  used_page_fallback?: boolean;
  error?: Record<string, unknown>;
}

export interface BatchInput {
  batchId: string;
  directionIds: string[];
  found: Map<string, DirectionWithNumber>;
  connection: AdSetPlan['connection'];
  token: string;
  status: 'ACTIVE' | 'PAUSED';
  concurrency: number;
  settings: GraphSettings;
  defaultCountry: string;
  /** Total time the batch may spend waiting out Facebook's throttling before giving up on the rest. */
  maxThrottleWaitMs: number;
}

/** A batch retries a direction Facebook throttled, with a fresh key per try (a throttled call created nothing). */
const MAX_TRIES_PER_DIRECTION = 6;

export function idempotencyKeyFor(batchId: string, directionId: string, attempt: number): string {
  return attempt === 1 ? `batch:${batchId}:${directionId}` : `batch:${batchId}:${directionId}:try${attempt}`;
}

function failed(directionId: string, error: AppError): BatchResult {
  const body = errorBody(error);
  return { direction_id: directionId, ok: false, launch_id: error.extra.launchId, error: body.error as Record<string, unknown> };
}

export function runBatch(input: BatchInput): Promise<BatchResult[]> {
  const gate = new RateGate();
  const throttleDeadline = Date.now() + input.maxThrottleWaitMs;

  const launchOne = async (directionId: string): Promise<BatchResult> => {
    const entry = input.found.get(directionId);
    if (!entry) {
      return failed(directionId, new AppError(404, 'direction_not_found', `No direction ${directionId} belongs to this user.`));
    }
    const problem = directionProblem(entry.direction);
    if (problem) return failed(directionId, problem);
    const plan: AdSetPlan = {
      direction: entry.direction,
      connection: input.connection,
      number: entry.number,
      status: input.status,
      dailyBudgetCents: Number(entry.direction.daily_budget_cents),
      defaultCountry: input.defaultCountry,
    };
    let outcome: LaunchOutcome | undefined;
    for (let attempt = 1; attempt <= MAX_TRIES_PER_DIRECTION; attempt++) {
      outcome = await launchAdSet(plan, {
        token: input.token,
        idempotencyKey: idempotencyKeyFor(input.batchId, directionId, attempt),
        settings: input.settings,
        gate,
      });
      if (outcome.ok || outcome.error.code !== 'facebook_rate_limited') break;
      const waitMs = (outcome.error.extra.retryAfterSeconds ?? 60) * 1000;
      if (Date.now() + waitMs > throttleDeadline) break;
      gate.pauseFor(waitMs);
      log('warn', 'Batch paused: Facebook rate limit', { batch_id: input.batchId, direction_id: directionId, wait_ms: waitMs, attempt });
    }
    if (outcome!.ok) {
      const { launch_id, adset_id, whatsapp_phone_number, source, used_page_fallback } = outcome!.body;
      return { direction_id: directionId, ok: true, launch_id, adset_id, whatsapp_phone_number, source, used_page_fallback };
    }
    return failed(directionId, outcome!.error);
  };

  return mapWithConcurrency(input.directionIds, input.concurrency, async (directionId) => {
    try {
      return await launchOne(directionId);
    } catch (error) {
      // One direction's failure never stops the others.
      log('error', 'direction launch failed unexpectedly', { batch_id: input.batchId, direction_id: directionId, error: String(error) });
      return failed(directionId, new AppError(500, 'internal_error', 'This direction could not be launched because of an internal error. Launch it again.'));
    }
  });
}
