// Database benchmarks (issue 3). Each figure is measured beside its reference in the same run:
//  1. a user listing its WhatsApp numbers through PostgREST with RLS, beside the service role running
//     the same request (same explicit filter), with 10,000 users and 1,000,000 numbers;
//     the same pair straight in SQL with pgbench;
//  2. resolve_whatsapp_number(direction_id) beside a primary-key lookup of one direction (pgbench);
//  3. the direction_whatsapp_routes view over 100,000 directions (one set-based query).
// npm run bench calls runDbBenchmarks(env); alone: npx tsx bench/db.ts (uses STACK_* from the
// environment when STACK_DB_URL is set, otherwise starts its own stack on port base 57320).
import { execFile } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { SignJWT } from 'jose';
import { median, spreadOf, type BenchEnv, type BenchResult } from './types.ts';

const run = promisify(execFile);
const PGBENCH = '/usr/lib/postgresql/15/bin/pgbench';

export const USERS = Number(process.env.BENCH_DB_USERS ?? 10_000);
export const NUMBERS_PER_USER = 100;        // 1,000,000 numbers
export const DIRECTIONS_PER_USER = 10;      // 100,000 directions

// Deterministic ids: a bench entity is a uuid made from its integer index, so pgbench (integers only)
// can address it: user i = b0000000-0000-4000-8000-<hex i>, number = c..., direction = d....
const uuidSql = (prefix: string, expr: string) => `('${prefix}-0000-4000-8000-' || lpad(to_hex((${expr})::bigint), 12, '0'))::uuid`;
const uuidOf = (prefix: string, i: number) => `${prefix}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
const USER = 'b0000000';
const NUMBER = 'c0000000';
const DIRECTION = 'd0000000';

/** Loads the data set in one statement per table (triggers and FK checks off for the bulk load:
 *  the rows are valid by construction: E.164, unique per user, one active default per user). */
export async function loadBenchData(db: pg.Client, log: (s: string) => void = () => undefined): Promise<void> {
  const { rows } = await db.query(`select count(*)::int as n from auth.users where id = ${uuidSql(USER, '1')}`);
  if (rows[0].n > 0) {
    log('bench data already loaded');
    return;
  }
  const t0 = performance.now();
  await db.query('begin');
  // Users: the sign-up trigger creates their user_accounts rows (10,000 trigger calls).
  await db.query(`
    insert into auth.users (instance_id, id, aud, role, email, email_confirmed_at, raw_app_meta_data, raw_user_meta_data)
    select '00000000-0000-0000-0000-000000000000', ${uuidSql(USER, 'u')}, 'authenticated', 'authenticated',
           'bench' || u || '@bench.local', now(), '{}', '{}'
    from generate_series(1, ${USERS}) u`);
  // 1% of users have a legacy number and no default number (fallback levels three and four).
  await db.query(`
    update public.user_accounts set whatsapp_phone_number = '+7 701 ' || lpad((u % 10000000)::text, 7, '0')
    from generate_series(1, ${USERS}) u
    where id = ${uuidSql(USER, 'u')} and u % 200 = 0`);
  await db.query(`set local session_replication_role = replica`);
  await db.query(`
    insert into public.whatsapp_phone_numbers (id, user_account_id, phone_number, label, is_default, is_active)
    select ${uuidSql(NUMBER, `(u - 1) * ${NUMBERS_PER_USER} + k`)}, ${uuidSql(USER, 'u')},
           '+7700' || lpad((u * 1000 + k)::text, 8, '0'), 'Number ' || k,
           k = 1 and u % 100 <> 0, k % 10 <> 0
    from generate_series(1, ${USERS}) u, generate_series(1, ${NUMBERS_PER_USER}) k`);
  await db.query(`
    insert into public.account_directions (id, user_account_id, name, objective, daily_budget_cents, target_cpl_cents,
                                           default_settings, whatsapp_phone_number_id)
    select ${uuidSql(DIRECTION, `(u - 1) * ${DIRECTIONS_PER_USER} + j`)}, ${uuidSql(USER, 'u')}, 'Direction ' || j,
           (array['whatsapp', 'lead_forms', 'site_leads', 'instagram_traffic'])[1 + j % 4]::public.direction_objective,
           100000 + j, 5000,
           '{"targeting": {"geo_locations": {"countries": ["KZ"]}}}',
           case j % 4 when 0 then null                                                    -- the default
                      when 1 then ${uuidSql(NUMBER, `(u - 1) * ${NUMBERS_PER_USER} + 2`)}    -- own, active
                      when 2 then ${uuidSql(NUMBER, `(u - 1) * ${NUMBERS_PER_USER} + 10`)}   -- own, inactive
                      else ${uuidSql(NUMBER, `(u - 1) * ${NUMBERS_PER_USER} + 3`)} end
    from generate_series(1, ${USERS}) u, generate_series(1, ${DIRECTIONS_PER_USER}) j`);
  await db.query('commit');
  await db.query('analyze auth.users, public.user_accounts, public.whatsapp_phone_numbers, public.account_directions');
  log(`loaded ${USERS} users, ${USERS * NUMBERS_PER_USER} numbers, ${USERS * DIRECTIONS_PER_USER} directions in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

async function jwtFor(secret: string, sub: string): Promise<string> {
  return new SignJWT({ sub, role: 'authenticated', aud: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt().setExpirationTime('3600s')
    .sign(new TextEncoder().encode(secret));
}

async function timedGet(url: string, headers: Record<string, string>, expectRows: number): Promise<number> {
  const t0 = performance.now();
  const response = await fetch(url, { headers });
  const body = await response.json() as unknown[];
  const elapsed = performance.now() - t0;
  if (response.status !== 200 || !Array.isArray(body) || body.length !== expectRows) {
    throw new Error(`GET ${url}: ${response.status} with ${Array.isArray(body) ? body.length : JSON.stringify(body).slice(0, 200)} rows, expected ${expectRows}`);
  }
  return elapsed;
}

/** A figure; `maxRatio` or `maxMs` is the bar it is held to (none: reported for information). */
const result = (r: Omit<BenchResult, 'ratio' | 'met'> & { maxRatio?: number; maxMs?: number }): BenchResult => {
  const { maxRatio, maxMs, ...rest } = r;
  const ratio = r.reference_median_ms ? r.median_ms / r.reference_median_ms : undefined;
  const met = maxRatio !== undefined ? ratio !== undefined && ratio <= maxRatio : maxMs !== undefined ? r.median_ms < maxMs : undefined;
  return { ...rest, ratio, met };
};

/** 1. PostgREST: the user's listing with RLS beside the service role's listing with the same filter. */
async function benchListingRest(env: BenchEnv, iterations = 300): Promise<BenchResult[]> {
  const sample = Array.from({ length: 50 }, (_, i) => 1 + ((i * 7919) % USERS));
  const jwts = await Promise.all(sample.map((u) => jwtFor(env.jwtSecret, uuidOf(USER, u))));
  const base = `${env.apiUrl}/rest/v1/whatsapp_phone_numbers?select=id,phone_number,label,is_default,is_active&order=phone_number`;
  const asUser = (i: number) => ({ apikey: env.anonKey, authorization: `Bearer ${jwts[i % jwts.length]}` });
  const asService = { apikey: env.anonKey, authorization: `Bearer ${env.serviceRoleKey}` };
  const filter = (i: number) => `&user_account_id=eq.${uuidOf(USER, sample[i % sample.length])}`;
  // warm-up
  for (let i = 0; i < 30; i++) {
    await timedGet(base + filter(i), asUser(i), NUMBERS_PER_USER);
    await timedGet(base + filter(i), asService, NUMBERS_PER_USER);
    await timedGet(base, asUser(i), NUMBERS_PER_USER);
  }
  const user: number[] = [], userNoFilter: number[] = [], service: number[] = [];
  for (let i = 0; i < iterations; i++) {
    // alternate the order so neither side always runs on a warmer connection
    const steps: Array<() => Promise<void>> = [
      async () => { user.push(await timedGet(base + filter(i), asUser(i), NUMBERS_PER_USER)); },
      async () => { userNoFilter.push(await timedGet(base, asUser(i), NUMBERS_PER_USER)); },
      async () => { service.push(await timedGet(base + filter(i), asService, NUMBERS_PER_USER)); },
    ];
    for (let s = 0; s < 3; s++) await steps[(s + i) % 3]();
  }
  const command = 'GET /rest/v1/whatsapp_phone_numbers?select=id,phone_number,label,is_default,is_active&order=phone_number';
  return [
    result({
      name: 'db: user lists its numbers via PostgREST (RLS)',
      workload: `${USERS.toLocaleString('en')} users, ${(USERS * NUMBERS_PER_USER).toLocaleString('en')} numbers; 100 rows per listing; through the gateway; ${iterations} paired requests, 50 users`,
      command: `${command}&user_account_id=eq.<own id> (user JWT)`,
      median_ms: median(user), spread: spreadOf(user),
      reference: 'same request by the service role (no RLS)', reference_median_ms: median(service),
      bar: 'ratio <= 1.2', maxRatio: 1.2,
    }),
    result({
      name: 'db: user lists its numbers via PostgREST, RLS alone filters',
      workload: 'as above, without the explicit filter (the browser\'s plain select)',
      command: `${command} (user JWT)`,
      median_ms: median(userNoFilter), spread: spreadOf(userNoFilter),
      reference: 'service role with the explicit filter', reference_median_ms: median(service),
      bar: 'ratio <= 1.2', maxRatio: 1.2,
    }),
  ];
}

interface PgbenchRun { latencyMs: number; tps: number }

async function pgbench(env: BenchEnv, script: string, seconds: number, pgoptions: string): Promise<PgbenchRun> {
  const url = new URL(env.dbUrl);
  const dir = mkdtempSync(join(tmpdir(), 'bench-db-'));
  const file = join(dir, 'script.sql');
  writeFileSync(file, script);
  try {
    const { stdout } = await run(PGBENCH, ['-n', '-M', 'prepared', '-c', '1', '-j', '1', '-T', String(seconds), '-f', file,
      '-h', url.hostname, '-p', url.port, '-U', decodeURIComponent(url.username || 'postgres'), url.pathname.slice(1) || 'postgres'],
      { env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password || 'postgres'), PGOPTIONS: pgoptions } });
    const latency = Number(stdout.match(/latency average = ([\d.]+) ms/)?.[1]);
    const tps = Number(stdout.match(/tps = ([\d.]+)/)?.[1]);
    const failed = Number(stdout.match(/number of failed transactions: (\d+)/)?.[1] ?? 0);
    if (!latency || failed) throw new Error(`pgbench failed:\n${stdout}`);
    return { latencyMs: latency, tps };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Side { script: string; pgoptions: string }

/** Runs a and b alternately, `rounds` times each (after a short warm-up), and returns their latencies. */
async function pgbenchPair(env: BenchEnv, a: Side, b: Side, rounds = 5, seconds = 3): Promise<[number[], number[]]> {
  await pgbench(env, a.script, 1, a.pgoptions);
  await pgbench(env, b.script, 1, b.pgoptions);
  const la: number[] = [], lb: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const order: Array<[Side, number[]]> = i % 2 === 0 ? [[a, la], [b, lb]] : [[b, lb], [a, la]];
    for (const [side, into] of order) into.push((await pgbench(env, side.script, seconds, side.pgoptions)).latencyMs);
  }
  return [la, lb];
}

const SERVICE_ROLE = '-c role=service_role -c request.jwt.claims={"role":"service_role"}';
const claimsOption = (userIndex: number) =>
  `-c role=authenticated -c request.jwt.claims={"sub":"${uuidOf(USER, userIndex)}","role":"authenticated"}`;

/** 1b. The same listing straight in SQL: RLS as the user beside the service role with the filter. */
async function benchListingSql(env: BenchEnv): Promise<BenchResult> {
  const user = 4242;
  const listing = `select id, phone_number, label, is_default, is_active from public.whatsapp_phone_numbers where user_account_id = '${uuidOf(USER, user)}' order by phone_number;\n`;
  const [rls, service] = await pgbenchPair(env, { script: listing, pgoptions: claimsOption(user) }, { script: listing, pgoptions: SERVICE_ROLE });
  return result({
    name: 'db: user lists its numbers in SQL (RLS), pgbench',
    workload: `${(USERS * NUMBERS_PER_USER).toLocaleString('en')} numbers; 100 rows; 1 client, prepared; rounds of 3 s`,
    command: `pgbench -M prepared: ${listing.trim()} as authenticated`,
    median_ms: median(rls), spread: spreadOf(rls),
    reference: 'same statement as service_role (bypasses RLS)', reference_median_ms: median(service),
    note: 'for information: the RLS cost without PostgREST and the gateway around it (the bar applies through PostgREST)',
  });
}

/** 2. resolve_whatsapp_number beside a primary-key lookup of one direction, as the user, pgbench. */
async function benchResolve(env: BenchEnv): Promise<BenchResult[]> {
  const user = 4242;
  const first = (user - 1) * DIRECTIONS_PER_USER + 1;
  const direction = uuidSql(DIRECTION, ':d');
  const pick = `\\set d random(${first}, ${first + DIRECTIONS_PER_USER - 1})\n`;
  const resolve = `${pick}select * from public.resolve_whatsapp_number(${direction});\n`;
  const pk = `${pick}select * from public.account_directions where id = ${direction};\n`;
  const [r, p] = await pgbenchPair(env, { script: resolve, pgoptions: claimsOption(user) }, { script: pk, pgoptions: claimsOption(user) });
  const anyPick = `\\set d random(1, ${USERS * DIRECTIONS_PER_USER})\n`;
  const [rs, ps] = await pgbenchPair(env,
    { script: `${anyPick}select * from public.resolve_whatsapp_number(${direction});\n`, pgoptions: SERVICE_ROLE },
    { script: `${anyPick}select * from public.account_directions where id = ${direction};\n`, pgoptions: SERVICE_ROLE }, 3);
  return [
    result({
      name: 'db: resolve_whatsapp_number (user, RLS)',
      workload: `${(USERS * DIRECTIONS_PER_USER).toLocaleString('en')} directions, ${(USERS * NUMBERS_PER_USER).toLocaleString('en')} numbers; one of the user's directions at random; 1 client, prepared`,
      command: `pgbench -M prepared: select * from public.resolve_whatsapp_number(<direction id>) as authenticated`,
      median_ms: median(r), spread: spreadOf(r),
      reference: 'select * from account_directions where id = <direction id>, same role, same run', reference_median_ms: median(p),
      bar: 'ratio <= 3', maxRatio: 3,
    }),
    result({
      name: 'db: resolve_whatsapp_number (service role)',
      workload: 'any of the 100,000 directions at random; 1 client, prepared',
      command: `pgbench -M prepared: select * from public.resolve_whatsapp_number(<direction id>) as service_role`,
      median_ms: median(rs), spread: spreadOf(rs),
      reference: 'primary-key lookup of the direction, same role, same run', reference_median_ms: median(ps),
      bar: 'ratio <= 3', maxRatio: 3,
    }),
  ];
}

/** 3. The routes view over every direction: one set-based statement. */
async function benchRoutesView(env: BenchEnv, db: pg.Client, runs = 7): Promise<BenchResult> {
  await db.query('set role service_role');
  try {
    const plan = (await db.query('explain (verbose) select * from public.direction_whatsapp_routes')).rows.map((r) => r['QUERY PLAN']).join('\n');
    if (/resolve_whatsapp_number|Function Scan/.test(plan)) throw new Error(`the routes view calls a function per row:\n${plan}`);
    const analyzed = (await db.query('explain (analyze, timing off) select * from public.direction_whatsapp_routes')).rows.map((r) => r['QUERY PLAN']).join('\n');
    const serverMs = Number(analyzed.match(/Execution Time: ([\d.]+) ms/)?.[1]);
    const times: number[] = [];
    let count = 0;
    for (let i = 0; i < runs + 1; i++) {
      const t0 = performance.now();
      const { rowCount } = await db.query({ text: 'select * from public.direction_whatsapp_routes', rowMode: 'array' });
      const elapsed = performance.now() - t0;
      count = rowCount ?? 0;
      if (i > 0) times.push(elapsed);
    }
    const counts = (await db.query('select count(*)::int as n from public.account_directions')).rows[0].n;
    if (count !== counts) throw new Error(`routes view returned ${count} rows for ${counts} directions`);
    return result({
      name: 'db: direction_whatsapp_routes, every direction',
      workload: `${count.toLocaleString('en')} directions (all rows fetched by the client), as service_role; ${runs} runs after a warm-up`,
      command: 'select * from public.direction_whatsapp_routes',
      median_ms: median(times), spread: spreadOf(times),
      bar: 'median < 1000 ms, one set-based query (plan has no per-row function call)', maxMs: 1000,
      note: `server-side execution ${serverMs.toFixed(0)} ms (EXPLAIN ANALYZE, timing off); the rest is sending and parsing ${count.toLocaleString('en')} rows. Plan: ${plan.split('\n').filter((l) => /Join|Scan/.test(l)).map((l) => l.trim().replace(/\s+\(.*$/, '')).join('; ')}`,
    });
  } finally {
    await db.query('reset role');
  }
}

export async function runDbBenchmarks(env: BenchEnv): Promise<BenchResult[]> {
  const db = new pg.Client({ connectionString: env.dbUrl });
  await db.connect();
  try {
    await loadBenchData(db, (s) => console.log(`db bench: ${s}`));
    const results: BenchResult[] = [];
    results.push(...await benchListingRest(env));
    results.push(await benchListingSql(env));
    results.push(...await benchResolve(env));
    results.push(await benchRoutesView(env, db));
    return results;
  } finally {
    await db.end();
  }
}

async function main(): Promise<void> {
  let env: BenchEnv;
  let stop: (() => Promise<void>) | undefined;
  if (process.env.STACK_DB_URL) {
    const need = (k: string) => { const v = process.env[k]; if (!v) throw new Error(`${k} is not set`); return v; };
    env = {
      apiUrl: need('STACK_API_URL'), dbUrl: need('STACK_DB_URL'), anonKey: need('STACK_ANON_KEY'),
      serviceRoleKey: need('STACK_SERVICE_ROLE_KEY'), webUrl: process.env.STACK_WEB_URL ?? '',
      jwtSecret: need('STACK_JWT_SECRET'), graphDoubleUrl: '', dataDir: process.env.STACK_DATA_DIR ?? '',
    };
  } else {
    process.env.STACK_PORT_BASE ??= '57320';
    process.env.STACK_DATA_DIR ??= '.stack/bench-db';
    const { loadConfig } = await import('../stack/config.ts');
    const { startStack } = await import('../stack/stack.ts');
    const config = loadConfig();
    const stack = await startStack(config, { reset: true, web: false });
    stop = stack.stop;
    env = {
      apiUrl: stack.status.api_url, dbUrl: stack.status.db_url, anonKey: stack.status.anon_key,
      serviceRoleKey: stack.status.service_role_key, webUrl: '', jwtSecret: config.jwtSecret, graphDoubleUrl: '', dataDir: config.dataDir,
    };
  }
  try {
    for (const r of await runDbBenchmarks(env)) {
      console.log(`${r.name}: median ${r.median_ms.toFixed(3)} ms (${r.spread})${r.reference_median_ms !== undefined ? `; reference ${r.reference_median_ms.toFixed(3)} ms; ratio ${r.ratio?.toFixed(2)}` : ''}${r.bar ? `; bar ${r.bar}: ${r.met ? 'met' : 'MISSED'}` : ''}`);
      if (r.note) console.log(`  ${r.note}`);
    }
  } finally {
    await stop?.();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
