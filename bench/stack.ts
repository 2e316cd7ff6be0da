// Stack benchmarks: cold start of `npm start` (the CLI) to "API answering, migrations applied", beside
// Postgres alone starting; and the gateway beside direct PostgREST for one RLS-filtered select.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import pg from 'pg';
import { loadConfig, projectRoot } from '../stack/config.ts';
import { initCluster, startServer, stopServer } from '../stack/postgres.ts';
import { median, spreadOf, type BenchEnv, type BenchResult } from './types.ts';

// One Node process with the tsx loader: the tsx wrapper would SIGKILL a child busy in a synchronous call.
const nodeWithTsx = [process.execPath, '--import', 'tsx'] as const;

async function until(check: () => Promise<boolean>, timeoutMs: number, gaveUp: () => string | null = () => null) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const reason = gaveUp();
    if (reason) throw new Error(reason);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('timed out');
}

/** One `stack/cli.ts start` from a stopped stack whose folder exists: ms until the API answers with migrations applied. */
async function timeCliStart(base: number, dataDir: string): Promise<number> {
  const env = { ...process.env, STACK_PORT_BASE: String(base), STACK_DATA_DIR: dataDir, STACK_WEB: '0' };
  const t0 = performance.now();
  const child = spawn(nodeWithTsx[0], [...nodeWithTsx.slice(1), join(projectRoot, 'stack', 'cli.ts'), 'start'], { cwd: projectRoot, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const config = loadConfig(env);
  try {
    await until(async () => {
      const res = await fetch(`${config.apiUrl}/rest/v1/`, { headers: { apikey: 'x' } });
      if (res.status !== 401 && !res.ok) return false;
      const db = new pg.Client({ connectionString: config.dbUrl });
      await db.connect();
      try {
        const { rows } = await db.query('select count(*)::int as n from supabase_migrations.schema_migrations');
        return rows[0].n > 0;
      } finally {
        await db.end();
      }
    }, 60000, () => (child.exitCode !== null ? `the stack CLI exited: ${stderr.trim()}` : null));
    return performance.now() - t0;
  } finally {
    // An exited child never emits 'exit' again: awaiting it would leave nothing to keep Node running.
    if (child.exitCode === null && child.signalCode === null) {
      const stopped = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await stopped;
    }
  }
}

async function timePostgresAlone(base: number, dataDir: string): Promise<number> {
  const config = loadConfig({ ...process.env, STACK_PORT_BASE: String(base), STACK_DATA_DIR: dataDir });
  initCluster(config);
  const t0 = performance.now();
  await startServer(config);
  const elapsed = performance.now() - t0;
  stopServer(config);
  return elapsed;
}

export async function benchColdStart(runs = 5): Promise<BenchResult> {
  const base = 62320;
  const dataDir = '.stack/bench-cold-start';
  rmSync(join(projectRoot, dataDir), { recursive: true, force: true });
  await timeCliStart(base, dataDir); // first start creates the cluster and applies everything once
  const stack: number[] = [];
  const postgres: number[] = [];
  for (let i = 0; i < runs; i++) {
    stack.push(await timeCliStart(base, dataDir));
    postgres.push(await timePostgresAlone(base, dataDir));
  }
  rmSync(join(projectRoot, dataDir), { recursive: true, force: true });
  const m = median(stack);
  const r = median(postgres);
  return {
    name: 'stack cold start', workload: `\`node --import tsx stack/cli.ts start\` (what npm start runs) from a stopped stack until the gateway answers and migrations are applied (${runs} runs)`,
    command: 'npm run bench -- stack', median_ms: m, spread: spreadOf(stack), reference: 'Postgres alone (pg_ctl start -w)',
    reference_median_ms: r, ratio: m / r, bar: 'median < 3000 ms', met: m < 3000,
  };
}

export async function benchGateway(env: BenchEnv, requests = 400): Promise<BenchResult[]> {
  const config = loadConfig({ ...process.env, STACK_DATA_DIR: env.dataDir, STACK_PORT_BASE: String(Number(new URL(env.apiUrl).port) - 1) });
  const supabase = createClient(env.apiUrl, env.anonKey, { auth: { persistSession: false } });
  const { data, error } = await supabase.auth.signInWithPassword({ email: 'demo1@example.com', password: 'demo-password-1' });
  if (error) throw new Error(`demo sign-in failed: ${error.message}`);
  const token = data.session!.access_token;
  const viaGateway = `${env.apiUrl}/rest/v1/whatsapp_phone_numbers?select=id,phone_number,label,is_default`;
  const direct = `http://127.0.0.1:${config.ports.rest}/whatsapp_phone_numbers?select=id,phone_number,label,is_default`;
  const headers = { apikey: env.anonKey, authorization: `Bearer ${token}` };
  const one = async (url: string) => {
    const t = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    return performance.now() - t;
  };
  for (let i = 0; i < 50; i++) { await one(viaGateway); await one(direct); }
  const g: number[] = [];
  const d: number[] = [];
  for (let i = 0; i < requests; i++) { g.push(await one(viaGateway)); d.push(await one(direct)); }
  // Throughput with 8 concurrent clients for a fixed request count, alternating the two targets.
  const throughput = async (url: string, total = 2000, clients = 8) => {
    let left = total;
    const t = performance.now();
    await Promise.all(Array.from({ length: clients }, async () => { while (left-- > 0) await one(url); }));
    return total / ((performance.now() - t) / 1000);
  };
  const gRps: number[] = [];
  const dRps: number[] = [];
  for (let i = 0; i < 3; i++) { gRps.push(await throughput(viaGateway)); dRps.push(await throughput(direct)); }
  return [
    {
      name: 'gateway latency', workload: `one RLS-filtered select of the demo user's numbers, sequential, ${requests} each, interleaved`,
      command: 'npm run bench -- gateway', median_ms: median(g), spread: spreadOf(g), reference: 'the same request straight to PostgREST',
      reference_median_ms: median(d), ratio: median(g) / median(d),
    },
    {
      name: 'gateway throughput', workload: '2,000 requests by 8 concurrent clients, 3 rounds each (figure: requests/s)',
      command: 'npm run bench -- gateway', median_ms: median(gRps), spread: `rounds: ${gRps.map((x) => x.toFixed(0)).join(', ')} req/s`,
      reference: 'straight to PostgREST (req/s)', reference_median_ms: median(dRps), ratio: median(gRps) / median(dRps),
      note: 'this row is requests per second, not milliseconds',
    },
  ];
}
