// Postgres restarted under the running stack, in the middle of UI writes and of a launch batch:
// requests in flight fail cleanly (an HTTP status with a JSON body, within a bound — never a reset
// socket or a hang), the stack answers again without a manual step (PostgREST, the gateway's auth
// pool, the functions' pool), and no half-written row remains.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { loadConfig, type StackConfig } from '../../stack/config.ts';
import { serverRunning, startServer, stopServer } from '../../stack/postgres.ts';
import { stackEnv } from '../support/env.ts';
import { adminPool, rest, signUpUser, type SignedInUser } from '../fuzz/stack-clients.ts';
import { adSetsOf, adSetsPerDirection, addDirections, connectedUser, graphControl, invokeFunction, launchRows } from './world.ts';

const env = stackEnv();
const pool = adminPool(env.dbUrl);
const REQUEST_BOUND_MS = 20_000;
const RECOVERY_BOUND_MS = 40_000;
let config: StackConfig;

before(() => {
  if (!process.env.STACK_DATA_DIR || !process.env.STACK_PORT_BASE) {
    throw new Error('STACK_DATA_DIR and STACK_PORT_BASE must name the running test stack (npm test passes them): this suite restarts its Postgres');
  }
  config = loadConfig({ ...process.env });
  assert.equal(config.dbUrl, env.dbUrl, 'STACK_DATA_DIR/STACK_PORT_BASE name the stack under test');
  assert.ok(serverRunning(config), `no Postgres running in ${config.dataDir}`);
});

after(async () => {
  // Never leave the shared test stack without its database.
  if (config && !serverRunning(config)) await startServer(config);
  await pool.end();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Outcome {
  what: string;
  at: number;
  ms: number;
  status: number | null;
  clean: boolean;
  detail: string;
}

/** One HTTP call, classified: a status with a JSON body is clean; a socket error or a hang is not. */
async function observe(what: string, call: () => Promise<{ status: number; text: string }>): Promise<Outcome> {
  const at = Date.now();
  try {
    const { status, text } = await call();
    let json = true;
    try {
      if (text) JSON.parse(text);
    } catch {
      json = false;
    }
    const clean = status < 400 || json;
    return { what, at, ms: Date.now() - at, status, clean, detail: clean ? text.slice(0, 160) : `non-JSON body: ${text.slice(0, 160)}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { what, at, ms: Date.now() - at, status: null, clean: false, detail: `${(error as Error).name}: ${(error as Error).message} ${cause?.code ?? cause?.message ?? ''}` };
  }
}

async function raw(method: string, path: string, bearer: string, body?: unknown, prefer?: string) {
  const r = await rest(env, bearer, method, path, body, { prefer, timeoutMs: REQUEST_BOUND_MS });
  return { status: r.status, text: r.text, body: r.body };
}

/** Restarts Postgres the way a crash or a maintenance restart would, measuring the outage. */
async function restartPostgres(mode: 'fast' | 'immediate', downMs: number): Promise<{ stoppedAt: number; startedAt: number }> {
  stopServer(config, mode);
  const stoppedAt = Date.now();
  await sleep(downMs);
  await startServer(config);
  return { stoppedAt, startedAt: Date.now() };
}

/** Polls until `check` succeeds; returns how long recovery took. */
async function recovers(what: string, check: () => Promise<boolean>, since: number): Promise<number> {
  const deadline = Date.now() + RECOVERY_BOUND_MS;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return Date.now() - since;
    await sleep(100);
  }
  throw new Error(`${what} did not recover within ${RECOVERY_BOUND_MS} ms after Postgres came back`);
}

/** A user's screen of work, over and over: add a number, a direction on it, make it default, retire it. */
async function uiWriter(user: SignedInUser, stop: () => boolean, outcomes: Outcome[], index: number): Promise<void> {
  let n = 0;
  while (!stop()) {
    n++;
    const label = `w${index}-${n}`;
    const phone = `+7702${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
    let numberId: string | undefined;
    const add = await observe('add number', async () => {
      const r = await raw('POST', 'whatsapp_phone_numbers', user.accessToken, { phone_number: phone, label }, 'return=representation');
      if (r.status === 201) numberId = r.body[0].id;
      return r;
    });
    outcomes.push(add);
    if (!numberId) {
      await sleep(50);
      continue;
    }
    outcomes.push(await observe('add direction', () =>
      raw('POST', 'account_directions', user.accessToken, { name: `restart ${label}`, daily_budget_cents: 1000, whatsapp_phone_number_id: numberId })));
    outcomes.push(await observe('set default', () =>
      raw('PATCH', `whatsapp_phone_numbers?id=eq.${numberId}`, user.accessToken, { is_default: true })));
    if (n % 2 === 0) {
      outcomes.push(await observe('retire', () =>
        raw('POST', 'rpc/retire_whatsapp_number', user.accessToken, { number_id: numberId, replacement_id: null })));
    }
  }
}

async function signUpWriter(stop: () => boolean, outcomes: Outcome[]): Promise<void> {
  while (!stop()) {
    outcomes.push(await observe('sign up', async () => {
      const res = await fetch(`${env.apiUrl}/auth/v1/signup`, {
        method: 'POST',
        headers: { apikey: env.anonKey, 'content-type': 'application/json' },
        body: JSON.stringify({ email: `restart-${randomUUID()}@example.com`, password: 'restart-password-1' }),
        signal: AbortSignal.timeout(REQUEST_BOUND_MS),
      });
      return { status: res.status, text: await res.text() };
    }));
    await sleep(20);
  }
}

/** Rules that must hold over the whole database, whatever was interrupted. */
async function databaseProblems(): Promise<string[]> {
  const checks: Array<[string, string]> = [
    ['auth users without their user account', 'select u.id from auth.users u left join public.user_accounts a on a.id = u.id where a.id is null'],
    ['user accounts without their auth user', 'select a.id from public.user_accounts a left join auth.users u on u.id = a.id where u.id is null'],
    ['users with more than one default number', 'select user_account_id from public.whatsapp_phone_numbers where is_default group by 1 having count(*) > 1'],
    ['inactive default numbers', 'select id from public.whatsapp_phone_numbers where is_default and not is_active'],
    ['directions on another user\'s number', `select d.id from public.account_directions d join public.whatsapp_phone_numbers n on n.id = d.whatsapp_phone_number_id
                                               where n.user_account_id <> d.user_account_id`],
    ['refresh tokens of missing sessions', 'select t.id from auth.refresh_tokens t left join auth.sessions s on s.id = t.session_id where t.session_id is not null and s.id is null'],
  ];
  const problems: string[] = [];
  for (const [what, sql] of checks) {
    const { rows } = await pool.query(sql);
    if (rows.length) problems.push(`${what}: ${rows.length} (${rows.slice(0, 3).map((r) => Object.values(r)[0]).join(', ')})`);
  }
  return problems;
}

for (const mode of ['fast', 'immediate'] as const) {
  test(`UI writes and sign-ups through a Postgres ${mode} restart: clean failures, recovery without a manual step, nothing half-written`, async () => {
    const users = await Promise.all(Array.from({ length: 5 }, (_, i) => signUpUser(env, `restart-${mode}-${i}`)));
    const outcomes: Outcome[] = [];
    let stopping = false;
    const writers = [...users.map((u, i) => uiWriter(u, () => stopping, outcomes, i)), signUpWriter(() => stopping, outcomes)];

    await sleep(1000);
    const { stoppedAt, startedAt } = await restartPostgres(mode, 2000);
    const recovery = {
      rest: await recovers('PostgREST (a user reads their numbers)', async () => (await raw('GET', 'whatsapp_phone_numbers?limit=1', users[0].accessToken)).status === 200, startedAt),
      auth: await recovers('the gateway\'s auth (sign in)', async () => (await users[0].client.auth.signInWithPassword({ email: users[0].email, password: 'fuzz-password-1' })).error === null, startedAt),
      functions: await recovers('the functions (health)', async () => (await invokeFunction(env, 'health', {}, users[0].accessToken, 5000)).status === 200, startedAt),
    };
    const recoveredAt = startedAt + Math.max(recovery.rest, recovery.auth);
    await sleep(2000);
    stopping = true;
    await Promise.all(writers);

    const unclean = outcomes.filter((o) => !o.clean);
    const slow = outcomes.filter((o) => o.ms > REQUEST_BOUND_MS - 1000);
    const during = outcomes.filter((o) => o.at + o.ms >= stoppedAt && o.at <= recoveredAt);
    const afterRecovery = outcomes.filter((o) => o.at > recoveredAt + 500);
    const failedAfter = afterRecovery.filter((o) => o.status === null || o.status >= 500);
    const statuses = new Map<string, number>();
    for (const o of during) statuses.set(String(o.status), (statuses.get(String(o.status)) ?? 0) + 1);
    console.log(`# postgres ${mode} restart: ${outcomes.length} requests, ${during.length} in the outage window (statuses ${[...statuses].map(([s, c]) => `${s}×${c}`).join(' ')}), ` +
      `recovery after start: rest ${recovery.rest} ms, auth ${recovery.auth} ms, functions ${recovery.functions} ms; ${afterRecovery.length} requests after recovery`);

    assert.deepEqual(unclean.map((o) => `${o.what}: ${o.detail}`), [], 'requests that failed without an HTTP status and a JSON body');
    assert.deepEqual(slow.map((o) => `${o.what}: ${o.ms} ms`), [], 'requests that hung');
    assert.ok(afterRecovery.length > 20, 'the writers kept working after the restart');
    assert.deepEqual(failedAfter.map((o) => `${o.what}: ${o.status} ${o.detail}`), [], 'requests failing after recovery');
    assert.deepEqual(await databaseProblems(), []);

    // Every number the API confirmed is there; a retired one is gone with its direction moved to "use default".
    const ids = users.map((u) => u.id);
    const { rows } = await pool.query(`select d.id from public.account_directions d where d.user_account_id = any($1)
        and d.whatsapp_phone_number_id is not null and not exists (select 1 from public.whatsapp_phone_numbers n where n.id = d.whatsapp_phone_number_id)`, [ids]);
    assert.deepEqual(rows, []);
  });
}

test('a launch batch through a Postgres restart: the batch answers, no launch stays pending, no ad set twice', async () => {
  const user = await connectedUser(env, env.graphDoubleUrl, 'restart-batch');
  const directions = await addDirections(user, 24, `restart-${randomUUID().slice(0, 6)}`);
  // Facebook takes 400 ms per call, so the restart lands while launches are between claim and finish.
  await graphControl(env.graphDoubleUrl, 'POST', '/__control/latency', { ms: 400, ad_account_id: user.world.adAccountId });
  const batchId = randomUUID();
  const batch = observe('launch-directions', async () => {
    const r = await invokeFunction(env, 'launch-directions', { user_account_id: user.id, batch_id: batchId, concurrency: 4, status: 'PAUSED' }, env.serviceRoleKey, 90_000);
    return { status: r.status, text: r.text };
  });
  await sleep(900);
  const { startedAt } = await restartPostgres('fast', 1500);
  const outcome = await batch;
  assert.ok(outcome.clean, `the batch call failed uncleanly: ${outcome.detail}`);
  await recovers('the functions (a batch can be asked again)', async () => (await invokeFunction(env, 'health', {}, env.serviceRoleKey, 5000)).status === 200, startedAt);
  await graphControl(env.graphDoubleUrl, 'POST', '/__control/latency', { ms: 0, ad_account_id: user.world.adAccountId });

  const rows = await launchRows(pool, user.id);
  const adSets = await adSetsOf(env.graphDoubleUrl, user.world);
  const byStatus = (s: string) => rows.filter((r) => r.status === s).length;
  console.log(`# postgres restart mid-batch: batch answered ${outcome.status} after ${outcome.ms} ms; ${rows.length} launch rows ` +
    `(${byStatus('succeeded')} succeeded, ${byStatus('failed')} failed, ${byStatus('pending')} pending), ${adSets.length} ad sets at Facebook`);

  // A launch interrupted between its Graph call and its audit update must not stay pending forever.
  const pending = rows.filter((r) => r.status === 'pending');
  assert.deepEqual(pending.map((r) => `${r.idempotency_key} (${r.id})`), [],
    'launch rows left pending by the restart: Facebook may have created their ad sets, yet the audit says neither succeeded nor failed');
  assert.equal(adSets.length, byStatus('succeeded'), 'every ad set at Facebook has its succeeded launch row');

  // The automation asks for the same batch again: nothing is launched twice, every direction answered.
  const again = await invokeFunction(env, 'launch-directions', { user_account_id: user.id, batch_id: batchId, concurrency: 4, status: 'PAUSED' }, env.serviceRoleKey, 90_000);
  assert.equal(again.status, 200, again.text);
  assert.equal(again.body.results.length, directions.length);
  const twice = [...adSetsPerDirection(await adSetsOf(env.graphDoubleUrl, user.world))].filter(([, n]) => n > 1);
  assert.deepEqual(twice, [], 'directions with two ad sets after the batch was asked again');
  assert.deepEqual((await launchRows(pool, user.id)).filter((r) => r.status === 'pending'), []);
});
