// Launch benchmarks (issue 4): the function's overhead beside a plain PostgREST rpc through the same
// gateway, launches per second, and a 1,000-direction batch beside the ideal time for its concurrency.
//   npm run bench -- launch          (through bench/run.ts, its own stack)
//   NODE_OPTIONS=--experimental-websocket npx tsx bench/launch.ts   (alone: own Graph double and stack, ports 61420…)
import { createClient } from '@supabase/supabase-js';
import { pathToFileURL } from 'node:url';
import { median, spreadOf, type BenchEnv, type BenchResult } from './types.ts';

const COMMAND = 'npm run bench -- launch';

async function control(env: BenchEnv, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${env.graphDoubleUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`graph double ${path}: ${await res.text()}`);
}

const digits = (n: number) => String(1 + Math.floor(Math.random() * 9)) + Array.from({ length: n - 1 }, () => Math.floor(Math.random() * 10)).join('');

/** A fresh user connected to a fresh ad account in the double, with one number and `directions` directions. */
async function prepare(env: BenchEnv, directions: number, latencyMs: number) {
  if (!env.graphDoubleUrl) throw new Error('the Graph API double is not running: launch benchmarks need it');
  const world = { token: `EAAB${crypto.randomUUID().replace(/-/g, '')}`, adAccountId: digits(15), pageId: digits(15), campaignId: digits(18) };
  await control(env, '/__control/accounts', {
    tokens: [{ token: world.token }],
    ad_accounts: [{ id: world.adAccountId, latency_ms: latencyMs }],
    campaigns: [{ id: world.campaignId, ad_account_id: world.adAccountId, objective: 'OUTCOME_ENGAGEMENT' }],
    pages: [{ id: world.pageId, whatsapp: 'business', numbers: ['+77011112233'] }],
  });
  const options = { auth: { persistSession: false, autoRefreshToken: false } };
  const user = createClient(env.apiUrl, env.anonKey, options);
  const { data, error } = await user.auth.signUp({ email: `bench-${crypto.randomUUID()}@example.test`, password: 'bench-password-1' });
  if (error || !data.session) throw new Error(`sign-up failed: ${error?.message}`);
  const userId = data.user!.id;
  const service = createClient(env.apiUrl, env.serviceRoleKey, options);
  const must = <T extends { error: { message: string } | null }>(r: T, what: string) => {
    if (r.error) throw new Error(`${what}: ${r.error.message}`);
    return r;
  };
  must(await service.from('user_accounts').update({ ad_account_id: world.adAccountId, page_id: world.pageId }).eq('id', userId), 'connect');
  must(await service.from('user_facebook_tokens').insert({ user_account_id: userId, access_token: world.token }), 'token');
  must(await service.from('whatsapp_phone_numbers').insert({ user_account_id: userId, phone_number: '+77011112233', label: 'Main' }), 'number');
  const ids: string[] = [];
  for (let start = 0; start < directions; start += 500) {
    const rows = Array.from({ length: Math.min(500, directions - start) }, (_, i) => ({
      user_account_id: userId, name: `Bench ${start + i}`, objective: 'whatsapp', daily_budget_cents: 300000,
      fb_campaign_id: world.campaignId, default_settings: { targeting: { geo_locations: { countries: ['KZ'] } } },
    }));
    const { data: inserted } = must(await service.from('account_directions').insert(rows).select('id'), 'directions');
    ids.push(...inserted!.map((d) => d.id));
  }
  return { world, userId, accessToken: data.session.access_token, directionIds: ids };
}

async function timed(call: () => Promise<Response>): Promise<number> {
  const t = performance.now();
  const res = await call();
  const body = await res.text();
  if (!res.ok) throw new Error(`answered ${res.status}: ${body.slice(0, 300)}`);
  return performance.now() - t;
}

export async function runLaunchBenchmarks(env: BenchEnv, samples = 300): Promise<BenchResult[]> {
  const { accessToken, directionIds } = await prepare(env, 1, 0);
  const directionId = directionIds[0];
  const headers = { apikey: env.anonKey, authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
  const launchOnce = () =>
    fetch(`${env.apiUrl}/functions/v1/create-adset-in-direction`, { method: 'POST', headers, body: JSON.stringify({ direction_id: directionId }) });
  const rpcOnce = () =>
    fetch(`${env.apiUrl}/rest/v1/rpc/resolve_whatsapp_number`, { method: 'POST', headers, body: JSON.stringify({ direction_id: directionId }) });

  for (let i = 0; i < 40; i++) { await timed(launchOnce); await timed(rpcOnce); }
  const launches: number[] = [];
  const rpcs: number[] = [];
  for (let i = 0; i < samples; i++) { launches.push(await timed(launchOnce)); rpcs.push(await timed(rpcOnce)); }
  const overhead = median(launches) / median(rpcs);

  const throughput = async (call: () => Promise<Response>, total: number, clients = 8) => {
    let left = total;
    const t = performance.now();
    await Promise.all(Array.from({ length: clients }, async () => { while (left-- > 0) await timed(call); }));
    return total / ((performance.now() - t) / 1000);
  };
  const launchRps: number[] = [];
  const rpcRps: number[] = [];
  for (let round = 0; round < 3; round++) { launchRps.push(await throughput(launchOnce, 600)); rpcRps.push(await throughput(rpcOnce, 600)); }

  // Batch: 1,000 directions, Facebook answering in 50 ms, concurrency 16.
  const batchLatencyMs = 50;
  const concurrency = 16;
  const batch = await prepare(env, 1000, batchLatencyMs);
  const idealMs = Math.ceil(batch.directionIds.length / concurrency) * batchLatencyMs;
  const batchRuns: number[] = [];
  for (let run = 0; run < 3; run++) {
    const t = performance.now();
    const res = await fetch(`${env.apiUrl}/functions/v1/launch-directions`, {
      method: 'POST',
      headers: { apikey: env.anonKey, authorization: `Bearer ${env.serviceRoleKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user_account_id: batch.userId, concurrency }),
    });
    const body = await res.json();
    batchRuns.push(performance.now() - t);
    if (!res.ok || body.succeeded !== 1000) throw new Error(`batch run ${run}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  }

  return [
    {
      name: 'launch latency', workload: `one create-adset-in-direction launch by a signed-in user, Graph double answering at once, sequential, ${samples} each, interleaved`,
      command: COMMAND, median_ms: median(launches), spread: spreadOf(launches),
      reference: "rpc('resolve_whatsapp_number') through the same gateway", reference_median_ms: median(rpcs),
      ratio: overhead, bar: 'ratio <= 4', met: overhead <= 4,
    },
    {
      name: 'launch throughput', workload: '600 launches by 8 concurrent clients, 3 rounds (figure: launches/s)',
      command: COMMAND, median_ms: median(launchRps), spread: `rounds: ${launchRps.map((x) => x.toFixed(0)).join(', ')} launches/s`,
      reference: "rpc('resolve_whatsapp_number'), 8 clients (req/s)", reference_median_ms: median(rpcRps),
      ratio: median(launchRps) / median(rpcRps), bar: '>= 100 launches/s', met: median(launchRps) >= 100,
      note: 'this row is launches per second, not milliseconds',
    },
    {
      name: 'batch of 1,000 directions', workload: `launch-directions, 1,000 directions, Graph double at ${batchLatencyMs} ms, concurrency ${concurrency}, 3 runs`,
      command: COMMAND, median_ms: median(batchRuns), spread: `runs: ${batchRuns.map((x) => x.toFixed(0)).join(', ')} ms`,
      reference: `ideal: ceil(1000 / ${concurrency}) x ${batchLatencyMs} ms`, reference_median_ms: idealMs,
      ratio: median(batchRuns) / idealMs, bar: 'ratio <= 1.5', met: median(batchRuns) / idealMs <= 1.5,
    },
  ];
}

/** Alone: a Graph double and a stack of its own, the results printed. */
async function runAlone(): Promise<void> {
  const { loadConfig } = await import('../stack/config.ts');
  const { startStack } = await import('../stack/stack.ts');
  const { startGraphDouble } = await import('../tests/graph-double/server.ts');
  process.env.STACK_PORT_BASE ??= '61420';
  process.env.STACK_DATA_DIR ??= '.stack/bench-launch';
  process.env.STACK_AUTH_BCRYPT_COST ??= '4';
  const config = loadConfig();
  const double = await startGraphDouble({ port: config.ports.graphDouble, host: '127.0.0.1' });
  process.env.FACEBOOK_GRAPH_API_URL = double.url;
  const stack = await startStack(config, { reset: true, web: false });
  try {
    const results = await runLaunchBenchmarks({
      apiUrl: stack.status.api_url, dbUrl: stack.status.db_url, anonKey: stack.status.anon_key, serviceRoleKey: stack.status.service_role_key,
      webUrl: stack.status.web_url, jwtSecret: config.jwtSecret, graphDoubleUrl: double.url, dataDir: config.dataDir,
    });
    for (const r of results) {
      console.log(`${r.name}: ${r.median_ms.toFixed(2)} (${r.spread}); reference ${r.reference_median_ms?.toFixed(2)}; ratio ${r.ratio?.toFixed(2)}; bar ${r.bar}: ${r.met ? 'met' : 'MISSED'}`);
    }
  } finally {
    await stack.stop();
    await double.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runAlone().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
