// POST /functions/v1/create-adset-in-direction {direction_id, status?, dry_run?, idempotency_key?, daily_budget_cents?}
// Launches one click-to-WhatsApp ad set for a direction, with the number from resolve_whatsapp_number.
import type { AdSetPlan } from '../_shared/adset-request.ts';
import { buildAdSetRequest } from '../_shared/adset-request.ts';
import { authenticate } from '../_shared/auth.ts';
import { defaultCountry, graphSettings } from '../_shared/config.ts';
import { directionNotFound, directionProblem, findLaunchTarget, requireConnection } from '../_shared/directions.ts';
import { errorResponse, jsonResponse } from '../_shared/errors.ts';
import { launchAdSet } from '../_shared/launch.ts';
import { describeRequest } from '../_shared/launch-store.ts';
import { RateGate } from '../_shared/rate-gate.ts';
import { booleanField, idempotencyKeyField, integerField, readJsonBody, statusField, uuidField } from '../_shared/request-body.ts';
import { respond } from '../_shared/respond.ts';

const FIELDS = ['direction_id', 'status', 'dry_run', 'idempotency_key', 'daily_budget_cents'];
/** 100 million in minor units: far above any real daily budget, below integer overflow. */
const MAX_BUDGET_CENTS = 100_000_000_00;

export function handler(req: Request): Promise<Response> {
  return respond(req, 'create-adset-in-direction', async () => {
    const caller = await authenticate(req);
    const body = await readJsonBody(req, FIELDS);
    const directionId = uuidField(body, 'direction_id');
    const status = statusField(body);
    const dryRun = booleanField(body, 'dry_run');
    const budgetOverride = integerField(body, 'daily_budget_cents', 1, MAX_BUDGET_CENTS, "the ad set's daily budget in the currency's minor units");
    const idempotencyKey = idempotencyKeyField(body.idempotency_key) ??
      idempotencyKeyField(req.headers.get('idempotency-key') ?? undefined, 'Idempotency-Key header') ??
      crypto.randomUUID();

    // Users act only on their own directions (RLS); automations on any, for the direction's user.
    const found = await findLaunchTarget(caller, directionId);
    if (!found) throw directionNotFound(directionId);
    const problem = directionProblem(found.direction);
    if (problem) throw problem;

    const connection = requireConnection(found.connection);
    const settings = graphSettings();
    const plan: AdSetPlan = {
      direction: found.direction,
      connection: { ad_account_id: connection.ad_account_id, page_id: connection.page_id },
      number: found.number,
      status,
      dailyBudgetCents: budgetOverride ?? Number(found.direction.daily_budget_cents),
      defaultCountry: defaultCountry(),
    };

    if (dryRun) {
      return jsonResponse(200, {
        dry_run: true,
        request: describeRequest(buildAdSetRequest(plan, settings)),
        whatsapp_phone_number: plan.number.phone_number,
        source: plan.number.source,
      });
    }

    const outcome = await launchAdSet(plan, { token: connection.access_token, idempotencyKey, settings, gate: new RateGate() });
    return outcome.ok ? jsonResponse(200, outcome.body) : errorResponse(outcome.error);
  });
}
