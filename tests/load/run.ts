// Load: 50 users work on their WhatsApp numbers and directions at once for 60 seconds, through the
// gateway and PostgREST on loopback. Reports p50/p95/p99 latency, throughput, 5xx count, and checks
// the invariants at the end. Exit code 1 when any request answered 5xx or failed outright, or an
// invariant is broken.
//
//   npm run load                       starts its own stack (ports 64321.., data .stack/load)
//   STACK_API_URL=... STACK_DB_URL=... STACK_ANON_KEY=... npx tsx tests/load/run.ts   against a running stack
//   LOAD_USERS (<= 50, default 50), LOAD_SECONDS (<= 60, default 60)
import { randomInt } from 'node:crypto';
import { loadConfig } from '../../stack/config.ts';
import { startStack, type RunningStack } from '../../stack/stack.ts';
import { UserModel } from '../fuzz/model.ts';
import { adminPool, rest, signUpUser, type SignedInUser, type StackUrls } from '../fuzz/stack-clients.ts';

const MAX_USERS = 50;
const MAX_SECONDS = 60;

function boundedInt(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`${name} must be an integer from 1 to ${max}, got "${raw}"`);
  return n;
}

function assertLoopback(url: string, what: string): void {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host)) {
    throw new Error(`${what} ${url} is not on loopback: this load run only targets the local stack`);
  }
}

interface Sample {
  op: string;
  ms: number;
  status: number | null;
}

const samples: Sample[] = [];
const failures: string[] = [];

async function timed(op: string, call: () => Promise<{ status: number; text: string }>): Promise<{ status: number; body: any } | null> {
  const started = performance.now();
  try {
    const reply = await call();
    const ms = performance.now() - started;
    samples.push({ op, ms, status: reply.status });
    if (reply.status >= 500 && failures.length < 20) failures.push(`${op}: HTTP ${reply.status} ${reply.text.slice(0, 200)}`);
    let body: any = null;
    try {
      body = reply.text ? JSON.parse(reply.text) : null;
    } catch {
      body = null;
    }
    return { status: reply.status, body };
  } catch (error) {
    samples.push({ op, ms: performance.now() - started, status: null });
    if (failures.length < 20) failures.push(`${op}: ${(error as Error).message} ${String((error as { cause?: unknown }).cause ?? '')}`);
    return null;
  }
}

const pick = <T,>(items: T[]): T | undefined => (items.length ? items[randomInt(0, items.length)] : undefined);

/** One user's session: a realistic mix of reads and writes on their own numbers and directions. */
async function work(stack: StackUrls, user: SignedInUser, until: number): Promise<void> {
  const token = user.accessToken;
  const call = (op: string, method: string, path: string, body?: unknown, prefer?: string) =>
    timed(op, () => rest(stack, token, method, path, body, { prefer, timeoutMs: 30_000 }));
  let numbers: Array<{ id: string; is_default: boolean; is_active: boolean }> = [];
  let directions: string[] = [];
  const refresh = async () => {
    const n = await call('list numbers', 'GET', 'whatsapp_phone_numbers?select=id,is_default,is_active&order=created_at');
    if (n?.status === 200) numbers = n.body;
  };
  await refresh();
  while (Date.now() < until) {
    const roll = randomInt(0, 100);
    const number = pick(numbers);
    if (roll < 20 || numbers.length === 0) {
      if (numbers.length >= 8 && number) {
        await call('retire number', 'POST', 'rpc/retire_whatsapp_number', { number_id: number.id, replacement_id: null });
      } else {
        await call('add number', 'POST', 'whatsapp_phone_numbers', { phone_number: `+7 70${randomInt(0, 10)} ${randomInt(100, 1000)} ${randomInt(10, 100)} ${randomInt(10, 100)}`, label: 'load' });
      }
      await refresh();
    } else if (roll < 35) {
      await refresh();
    } else if (roll < 45 && number) {
      await call('set default', 'PATCH', `whatsapp_phone_numbers?id=eq.${number.id}`, { is_default: true });
      await refresh();
    } else if (roll < 52 && number) {
      await call('toggle active', 'PATCH', `whatsapp_phone_numbers?id=eq.${number.id}`, { is_active: !number.is_active });
      await refresh();
    } else if (roll < 62) {
      if (directions.length >= 6) {
        const d = directions.shift()!;
        await call('delete direction', 'DELETE', `account_directions?id=eq.${d}`);
      } else {
        const r = await call('add direction', 'POST', 'account_directions', { name: `load ${randomInt(0, 1e6)}`, daily_budget_cents: 2500, whatsapp_phone_number_id: number?.id ?? null }, 'return=representation');
        if (r?.status === 201) directions.push(r.body[0].id);
      }
    } else if (roll < 72 && directions.length) {
      await call('bind direction', 'PATCH', `account_directions?id=eq.${pick(directions)}`, { whatsapp_phone_number_id: randomInt(0, 3) === 0 ? null : number?.id ?? null });
    } else if (roll < 87 && directions.length) {
      await call('resolve number', 'POST', 'rpc/resolve_whatsapp_number', { direction_id: pick(directions) });
    } else if (roll < 94) {
      await call('routes view', 'GET', 'direction_whatsapp_routes?select=direction_id,phone_number,source');
    } else if (number) {
      await call('delete number', 'DELETE', `whatsapp_phone_numbers?id=eq.${number.id}`);
      await refresh();
    }
    await new Promise((r) => setTimeout(r, randomInt(0, 20)));
  }
}

/** The rules at the end of the run, for every load user, with resolution re-derived by the reference model. */
async function invariantProblems(dbUrl: string, userIds: string[]): Promise<string[]> {
  const pool = adminPool(dbUrl);
  try {
    const problems: string[] = [];
    const one = async (what: string, sql: string) => {
      const { rows } = await pool.query(sql, [userIds]);
      if (rows.length) problems.push(`${what}: ${rows.length}`);
    };
    await one('users with more than one default', 'select user_account_id from public.whatsapp_phone_numbers where user_account_id = any($1) and is_default group by 1 having count(*) > 1');
    await one('inactive defaults', 'select id from public.whatsapp_phone_numbers where user_account_id = any($1) and is_default and not is_active');
    await one("directions on another user's number", `select d.id from public.account_directions d join public.whatsapp_phone_numbers n on n.id = d.whatsapp_phone_number_id
        where d.user_account_id = any($1) and n.user_account_id <> d.user_account_id`);
    await one('numbers not in E.164', `select id from public.whatsapp_phone_numbers where user_account_id = any($1) and phone_number !~ '^\\+[1-9][0-9]{7,14}$'`);

    const numbers = await pool.query('select id, user_account_id, phone_number, is_default, is_active from public.whatsapp_phone_numbers where user_account_id = any($1)', [userIds]);
    const directions = await pool.query('select id, user_account_id, whatsapp_phone_number_id from public.account_directions where user_account_id = any($1)', [userIds]);
    const resolved = await pool.query(`select d.id, r.phone_number, r.whatsapp_phone_number_id, r.source::text as source
        from public.account_directions d cross join lateral public.resolve_whatsapp_number(d.id) r where d.user_account_id = any($1)`, [userIds]);
    const models = new Map(userIds.map((id) => [id, new UserModel(id)]));
    for (const n of numbers.rows) models.get(n.user_account_id)!.numbers.push({ id: n.id, phone: n.phone_number, isDefault: n.is_default, isActive: n.is_active });
    for (const d of directions.rows) models.get(d.user_account_id)!.directions.push({ id: d.id, numberId: d.whatsapp_phone_number_id });
    let mismatches = 0;
    for (const d of directions.rows) {
      const expected = models.get(d.user_account_id)!.resolve(d.id);
      const got = resolved.rows.filter((r) => r.id === d.id).map(({ id, ...rest }) => rest);
      if (JSON.stringify(got) !== JSON.stringify([expected])) mismatches++;
    }
    if (mismatches) problems.push(`directions whose resolve_whatsapp_number differs from the fallback chain: ${mismatches}`);
    console.log(`invariants over ${numbers.rows.length} numbers and ${directions.rows.length} directions of ${userIds.length} users: ${problems.length ? 'BROKEN' : 'hold'}`);
    return problems;
  } finally {
    await pool.end();
  }
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

async function main(): Promise<number> {
  const usersWanted = boundedInt('LOAD_USERS', MAX_USERS, MAX_USERS);
  const seconds = boundedInt('LOAD_SECONDS', MAX_SECONDS, MAX_SECONDS);
  let own: RunningStack | undefined;
  let stack: StackUrls;
  if (process.env.STACK_API_URL) {
    const need = (n: string) => process.env[n] || (() => { throw new Error(`${n} is not set (needed with STACK_API_URL)`); })();
    stack = { apiUrl: need('STACK_API_URL'), anonKey: need('STACK_ANON_KEY'), serviceRoleKey: process.env.STACK_SERVICE_ROLE_KEY ?? '', dbUrl: need('STACK_DB_URL') };
  } else {
    const config = loadConfig({ ...process.env, STACK_PORT_BASE: '64320', STACK_DATA_DIR: '.stack/load', STACK_AUTH_BCRYPT_COST: process.env.STACK_AUTH_BCRYPT_COST ?? '4' });
    console.log(`starting a load stack on ${config.apiUrl} (data ${config.dataDir})`);
    own = await startStack(config, { reset: true, web: false });
    stack = { apiUrl: own.status.api_url, anonKey: own.status.anon_key, serviceRoleKey: own.status.service_role_key, dbUrl: own.status.db_url };
  }
  try {
    assertLoopback(stack.apiUrl, 'API');
    assertLoopback(stack.dbUrl.replace(/^postgres(ql)?:/, 'http:'), 'database');
    const users: SignedInUser[] = [];
    for (let i = 0; i < usersWanted; i += 10) {
      users.push(...await Promise.all(Array.from({ length: Math.min(10, usersWanted - i) }, () => signUpUser(stack, 'load'))));
    }
    console.log(`${users.length} users signed up; working for ${seconds} s`);
    const started = Date.now();
    await Promise.all(users.map((u) => work(stack, u, started + seconds * 1000)));
    const elapsed = (Date.now() - started) / 1000;

    const all = samples.map((s) => s.ms).sort((a, b) => a - b);
    const fiveHundreds = samples.filter((s) => s.status !== null && s.status >= 500).length;
    const broken = samples.filter((s) => s.status === null).length;
    const refused = samples.filter((s) => s.status !== null && s.status >= 400 && s.status < 500).length;
    console.log(`\n${samples.length} requests in ${elapsed.toFixed(1)} s (${(samples.length / elapsed).toFixed(0)} req/s), ${users.length} concurrent users`);
    console.log(`latency ms: p50 ${percentile(all, 50).toFixed(1)}  p95 ${percentile(all, 95).toFixed(1)}  p99 ${percentile(all, 99).toFixed(1)}  max ${all[all.length - 1]?.toFixed(1)}`);
    console.log(`5xx: ${fiveHundreds}   failed without an answer: ${broken}   4xx (rules refusing, e.g. number in use): ${refused}`);
    const ops = [...new Set(samples.map((s) => s.op))].sort();
    for (const op of ops) {
      const ms = samples.filter((s) => s.op === op).map((s) => s.ms).sort((a, b) => a - b);
      console.log(`  ${op.padEnd(17)} ${String(ms.length).padStart(6)}  p50 ${percentile(ms, 50).toFixed(1).padStart(6)}  p95 ${percentile(ms, 95).toFixed(1).padStart(6)}  p99 ${percentile(ms, 99).toFixed(1).padStart(6)}`);
    }
    for (const f of failures) console.log(`  ! ${f}`);
    const problems = await invariantProblems(stack.dbUrl, users.map((u) => u.id));
    for (const p of problems) console.log(`  ! ${p}`);
    const ok = fiveHundreds === 0 && broken === 0 && problems.length === 0;
    console.log(ok ? 'load: PASS' : 'load: FAIL');
    return ok ? 0 : 1;
  } finally {
    await own?.stop();
  }
}

main().then((code) => process.exit(code), (error) => {
  console.error(error);
  process.exit(1);
});
