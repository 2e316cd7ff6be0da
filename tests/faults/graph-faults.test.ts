// The Graph API double fails in every documented way, hangs and drops connections during batches:
// every launch must end recorded as succeeded, or failed with a reason (never left pending), the
// batch answers for every direction, and no direction gets an ad set twice — not on retries, not
// when the same batch is sent again or twice at once.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { stackEnv } from '../support/env.ts';
import { adminPool } from '../fuzz/stack-clients.ts';
import {
  adSetsOf, adSetsPerDirection, addDirections, connectedUser, invokeFunction, launchRowProblems, launchRows, pendingFaults, queueFaults,
  type ConnectedUser,
} from './world.ts';

const env = stackEnv();
const graphUrl = env.graphDoubleUrl;
const pool = adminPool(env.dbUrl);
const MAX_ATTEMPTS = Number(process.env.FACEBOOK_MAX_ATTEMPTS ?? 4);
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

after(async () => {
  await pool.end();
});

const graphError = (status: number, error: Record<string, unknown>) => ({
  reply: { status, body: { error: { message: 'Invalid parameter', type: 'OAuthException', is_transient: false, fbtrace_id: `A${randomUUID().slice(0, 12)}`, ...error } } },
});
const custom = (status: number, body: unknown, headers?: Record<string, string>) => ({ reply: { status, body, headers } });

/** One request reaching the double: let it through to the model ('pass') or answer with a fault. */
type Step = 'pass' | Record<string, unknown>;

interface Scenario {
  what: string;
  requests: Step[];
  /** The batch result's error code, or 'ok'. */
  expect: string;
  /** Facebook may have created the ad set although the launch failed (it stopped waiting). */
  mayExistAnyway?: boolean;
}

const SCENARIOS: Scenario[] = [
  { what: 'success', requests: ['pass'], expect: 'ok' },
  { what: 'token expired (190/463)', requests: [{ reply: 'token_expired' }], expect: 'facebook_token_invalid' },
  { what: 'token invalid (190)', requests: [{ reply: 'token_invalid' }], expect: 'facebook_token_invalid' },
  { what: 'permission (200)', requests: [{ reply: 'permission' }], expect: 'facebook_permission_denied' },
  { what: 'number not on the Page (100/1487246)', requests: [graphError(400, { code: 100, error_subcode: 1487246 })], expect: 'whatsapp_number_rejected' },
  { what: 'personal WhatsApp (100/2446885)', requests: [graphError(400, { code: 100, error_subcode: 2446885 })], expect: 'whatsapp_number_rejected' },
  { what: 'Page without WhatsApp (100/2446886)', requests: [graphError(400, { code: 100, error_subcode: 2446886 })], expect: 'whatsapp_number_rejected' },
  { what: 'invalid parameter (100)', requests: [graphError(400, { code: 100, error_user_msg: 'Bad targeting' })], expect: 'facebook_invalid_parameter' },
  { what: 'slow beyond the timeout', requests: [{ reply: 'slow', delay_ms: 3000 }], expect: 'facebook_timeout', mayExistAnyway: true },
  { what: 'transient (2) once, then success', requests: [{ reply: 'transient' }, 'pass'], expect: 'ok' },
  { what: 'transient (2) on every attempt', requests: Array.from({ length: MAX_ATTEMPTS }, () => ({ reply: 'transient' })), expect: 'facebook_unavailable' },
  { what: 'unknown error (1) once, then success', requests: [{ reply: 'unknown_error' }, 'pass'], expect: 'ok' },
  { what: 'is_transient error on every attempt', requests: Array.from({ length: MAX_ATTEMPTS }, () => graphError(500, { code: 99, is_transient: true })), expect: 'facebook_unavailable' },
  { what: 'rate limit 80004, then success', requests: [{ reply: 'rate_limit', code: 80004, regain_minutes: 0 }, 'pass'], expect: 'ok' },
  { what: 'rate limit 17, then success', requests: [{ reply: 'rate_limit', code: 17, regain_minutes: 0 }, 'pass'], expect: 'ok' },
  { what: 'rate limit 613, then success', requests: [graphError(400, { code: 613, error_subcode: 1487742 }), 'pass'], expect: 'ok' },
  { what: 'HTML 500 page on every attempt', requests: Array.from({ length: MAX_ATTEMPTS }, () => custom(500, '<html>Service Unavailable</html>')), expect: 'facebook_unavailable' },
  { what: '502 without body once, then success', requests: [custom(502, ''), 'pass'], expect: 'ok' },
  { what: '200 without an ad set id', requests: [custom(200, { success: true })], expect: 'facebook_error' },
  { what: 'hang', requests: [{ reply: 'hang' }], expect: 'facebook_timeout' },
  { what: 'connection dropped mid-reply', requests: [{ reply: 'drop_connection' }], expect: 'facebook_unavailable' },
  { what: 'slow within the timeout', requests: [{ reply: 'slow', delay_ms: 300 }], expect: 'ok' },
  { what: 'success at the end', requests: ['pass'], expect: 'ok' },
];

/** The request script as the double's fault queue: each pass becomes `after` on the next fault. */
function faultQueue(steps: Step[]): Array<Record<string, unknown>> {
  const queue: Array<Record<string, unknown>> = [];
  let passes = 0;
  for (const step of steps) {
    if (step === 'pass') passes++;
    else {
      queue.push(passes ? { ...step, after: passes } : step);
      passes = 0;
    }
  }
  return queue;
}

async function launchBatch(user: ConnectedUser, batchId: string, concurrency: number) {
  return invokeFunction(env, 'launch-directions', { user_account_id: user.id, batch_id: batchId, concurrency, status: 'PAUSED' }, env.serviceRoleKey);
}

/** The invariants every batch must leave behind, whatever Facebook did. */
async function assertBatchInvariants(user: ConnectedUser, directions: Array<{ id: string; name: string }>, label: string) {
  const rows = await launchRows(pool, user.id);
  assert.deepEqual(launchRowProblems(rows), [], `${label}: audit rows`);
  const adSets = await adSetsOf(graphUrl, user.world);
  const perDirection = adSetsPerDirection(adSets);
  const twice = [...perDirection].filter(([, n]) => n > 1);
  assert.deepEqual(twice, [], `${label}: directions with more than one ad set`);
  const succeeded = rows.filter((r) => r.status === 'succeeded');
  const adSetIds = new Set(adSets.map((a) => a.id));
  for (const r of succeeded) assert.ok(adSetIds.has(r.fb_adset_id!), `${label}: launch ${r.id} names ad set ${r.fb_adset_id}, which Facebook does not have`);
  const succeededPerDirection = new Map<string, number>();
  for (const r of succeeded) succeededPerDirection.set(r.direction_id, (succeededPerDirection.get(r.direction_id) ?? 0) + 1);
  for (const d of directions) assert.ok((succeededPerDirection.get(d.id) ?? 0) <= 1, `${label}: direction ${d.name} succeeded twice`);
  return { rows, adSets, perDirection };
}

test('a batch meeting every documented Graph failure records each launch with its outcome and creates no ad set twice', async () => {
  const user = await connectedUser(env, graphUrl, 'faults-script');
  const directions = await addDirections(user, SCENARIOS.length, `script-${randomUUID().slice(0, 6)}`);
  await queueFaults(graphUrl, user.world, faultQueue(SCENARIOS.flatMap((s) => s.requests)));

  const batchId = randomUUID();
  const first = await launchBatch(user, batchId, 1);
  assert.equal(first.status, 200, first.text);
  assert.deepEqual(await pendingFaults(graphUrl, user.world), [], 'every scripted fault was met (the script matches the requests made)');
  const got = first.body.results.map((r: any) => (r.ok ? 'ok' : r.error?.code));
  const expected = SCENARIOS.map((s) => s.expect);
  assert.deepEqual(
    SCENARIOS.map((s, i) => `${s.what}: ${got[i]}`),
    SCENARIOS.map((s, i) => `${s.what}: ${expected[i]}`),
  );
  for (const r of first.body.results) {
    if (!r.ok) assert.ok(r.error.message && r.launch_id, `failure without message or launch id: ${JSON.stringify(r)}`);
  }

  await new Promise((r) => setTimeout(r, 1500)); // the slow reply's late ad set lands
  const { rows, perDirection } = await assertBatchInvariants(user, directions, 'first run');
  assert.equal(rows.length, SCENARIOS.length, 'one launch row per direction');
  SCENARIOS.forEach((s, i) => {
    const row = rows.find((r) => r.direction_id === directions[i].id)!;
    assert.equal(row.status, s.expect === 'ok' ? 'succeeded' : 'failed', `${s.what}: recorded status`);
    const adSets = perDirection.get(directions[i].name) ?? 0;
    if (s.expect === 'ok') assert.equal(adSets, 1, `${s.what}: one ad set`);
    else if (!s.mayExistAnyway) assert.equal(adSets, 0, `${s.what}: a refused launch created an ad set`);
    if (s.expect === 'facebook_timeout') assert.match(row.error_message ?? '', /facebook_timeout/, `${s.what}: the row says it timed out`);
  });

  // The same batch again (an automation retrying): nothing new is created, the answers are the same.
  const countBefore = (await adSetsOf(graphUrl, user.world)).length;
  const again = await launchBatch(user, batchId, 4);
  assert.equal(again.status, 200, again.text);
  assert.deepEqual(again.body.results.map((r: any) => (r.ok ? 'ok' : r.error?.code)), got, 'a repeated batch answers as the first');
  assert.deepEqual(again.body.results.map((r: any) => r.launch_id), first.body.results.map((r: any) => r.launch_id), 'a repeated batch replays the same launches');
  assert.equal((await adSetsOf(graphUrl, user.world)).length, countBefore, 'a repeated batch created ad sets');
  assert.equal((await launchRows(pool, user.id)).length, SCENARIOS.length, 'a repeated batch added launch rows');
  console.log(`# graph faults (script): ${SCENARIOS.length} scenarios in one batch, first run ${Math.round(first.ms)} ms, replay ${Math.round(again.ms)} ms`);
});

const FAULT_KINDS: Array<() => Record<string, unknown>> = [
  () => ({ reply: 'transient' }),
  () => ({ reply: 'unknown_error' }),
  () => ({ reply: 'rate_limit', code: 80004, regain_minutes: 0 }),
  () => ({ reply: 'rate_limit', code: 4, regain_minutes: 0 }),
  () => ({ reply: 'token_expired' }),
  () => ({ reply: 'permission' }),
  () => graphError(400, { code: 100, error_subcode: 1487246 }),
  () => graphError(400, { code: 100 }),
  () => custom(503, '<html>down</html>'),
  () => ({ reply: 'drop_connection', delay_ms: 50 }),
  () => ({ reply: 'hang' }),
  () => ({ reply: 'slow', delay_ms: 200 }),
  () => ({ reply: 'slow', delay_ms: 2600 }),
];

test('concurrent batches, sent twice at once, under random faults: every launch recorded, no ad set twice', async () => {
  const DIRECTIONS = 16;
  let runs = 0;
  const details = await fc.check(
    fc.asyncProperty(
      fc.array(fc.oneof(fc.constant('pass' as const), fc.nat(FAULT_KINDS.length - 1)), { minLength: 10, maxLength: 30 }),
      fc.integer({ min: 2, max: 8 }),
      async (script, concurrency) => {
        runs++;
        const user = await connectedUser(env, graphUrl, 'faults-random');
        const directions = await addDirections(user, DIRECTIONS, `random-${randomUUID().slice(0, 6)}`);
        await queueFaults(graphUrl, user.world, faultQueue(script.map((s) => (s === 'pass' ? 'pass' : FAULT_KINDS[s]()))));
        const batchId = randomUUID();
        const [a, b] = await Promise.all([launchBatch(user, batchId, concurrency), launchBatch(user, batchId, concurrency)]);
        for (const reply of [a, b]) {
          assert.equal(reply.status, 200, reply.text);
          assert.equal(reply.body.results.length, DIRECTIONS, 'one result per direction');
        }
        await new Promise((r) => setTimeout(r, 800));
        const { rows } = await assertBatchInvariants(user, directions, `batch with concurrency ${concurrency}`);
        // Both answers name, per direction, launches that the audit table has, with the recorded outcome.
        for (const reply of [a, b]) {
          for (const r of reply.body.results) {
            const row = rows.find((x) => x.id === r.launch_id);
            if (!row) {
              assert.ok(!r.ok, `success without a launch row: ${JSON.stringify(r)}`);
              continue;
            }
            if (r.ok) assert.equal(row.status, 'succeeded');
            else if (r.error.code !== 'launch_in_progress') assert.equal(row.status, 'failed', `${JSON.stringify(r)} vs row ${row.status}`);
          }
        }
        return true;
      },
    ),
    { numRuns: 3, seed },
  );
  assert.equal(details.failed, false,
    `FUZZ_SEED=${details.seed} reproduces; counterexample ${JSON.stringify(details.counterexample)}\n${String(details.errorInstance)}`);
  console.log(`# graph faults (random): ${runs} batches of ${DIRECTIONS} directions, each sent twice at once (seed ${details.seed})`);
});

test('one launch with the same idempotency key sent five times at once, Facebook slow: one ad set, one answer', async () => {
  const user = await connectedUser(env, graphUrl, 'faults-idem');
  const [direction] = await addDirections(user, 1, `idem-${randomUUID().slice(0, 6)}`);
  await queueFaults(graphUrl, user.world, [{ reply: 'slow', delay_ms: 700 }]);
  const key = `launch-${randomUUID()}`;
  const replies = await Promise.all(Array.from({ length: 5 }, () =>
    invokeFunction(env, 'create-adset-in-direction', { direction_id: direction.id, idempotency_key: key, status: 'PAUSED' }, user.accessToken)));
  for (const r of replies) assert.ok(r.status < 500, `HTTP ${r.status}: ${r.text}`);
  const succeeded = replies.filter((r) => r.status === 200);
  assert.ok(succeeded.length >= 1, replies.map((r) => r.text).join('\n'));
  assert.equal(new Set(succeeded.map((r) => r.body.adset_id)).size, 1, 'every success names the same ad set');
  for (const r of replies.filter((x) => x.status !== 200)) assert.equal(r.body?.error?.code, 'launch_in_progress', r.text);
  assert.equal((await adSetsOf(graphUrl, user.world)).length, 1, 'one ad set');
  const rows = await launchRows(pool, user.id);
  assert.equal(rows.length, 1);
  assert.deepEqual(launchRowProblems(rows), []);

  // A hanging Facebook: the caller gets 504 within the function's timeout, the row says so.
  await queueFaults(graphUrl, user.world, [{ reply: 'hang' }]);
  const hung = await invokeFunction(env, 'create-adset-in-direction', { direction_id: direction.id, status: 'PAUSED' }, user.accessToken, 30_000);
  assert.equal(hung.status, 504, hung.text);
  assert.equal(hung.body.error.code, 'facebook_timeout');
  assert.ok(hung.ms < 15_000, `the hang was cut after ${Math.round(hung.ms)} ms`);
  const after = await launchRows(pool, user.id);
  assert.deepEqual(launchRowProblems(after), []);
  assert.equal(after.find((r) => r.id === hung.body.launch_id)?.status, 'failed');
});
