// npm test: starts one test stack (own ports and data folder, never the dev stack's) with the Graph
// API double, runs every suite against it, and ends with one line "N passed, N failed".
//   npm test                 every suite
//   npm test -- pgtap smoke  only the named suites (names below)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadConfig, projectRoot } from '../stack/config.ts';
import { startStack, type RunningStack } from '../stack/stack.ts';
import { StackError } from '../stack/errors.ts';
import { cliEnv, supabaseCli } from '../stack/migrate.ts';
import { denoBin } from '../stack/functions.ts';
import { pidAlive, portIsOpen } from '../stack/process.ts';
import { pgPaths } from '../stack/postgres.ts';

interface SuiteResult {
  name: string;
  passed: number;
  failed: number;
  seconds: number;
  note?: string;
}

interface Suite {
  name: string;
  /** Suites that need no stack run before it starts. */
  needsStack: boolean;
  run(env: NodeJS.ProcessEnv): Promise<Omit<SuiteResult, 'name' | 'seconds'>>;
}

// Above Linux's ephemeral range (32768-60999): a fixed port there can be taken at any moment as the
// source port of an outgoing connection, and then a server cannot bind it.
const TEST_PORT_BASE = Number(process.env.TEST_STACK_PORT_BASE ?? 63320);
const artifacts = join(projectRoot, 'tests', 'artifacts');

function exec(cmd: string, args: string[], env: NodeJS.ProcessEnv, label: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const shown = cmd === process.execPath ? 'node' : relative(projectRoot, cmd) || cmd;
    console.log(`\n━━ ${label}: ${shown} ${args.join(' ')}`);
    const child = spawn(cmd, args, { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    // Summaries are parsed from the output: colour codes must not split the numbers.
    child.on('close', (code) => resolve({ code: code ?? 1, output: output.replace(/\x1b\[[0-9;]*m/g, '') }));
    child.on('error', (error) => resolve({ code: 1, output: String(error) }));
  });
}

const bin = (name: string) => join(projectRoot, 'node_modules', '.bin', name);
const files = (dir: string, pattern: RegExp): string[] => {
  const abs = join(projectRoot, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => pattern.test(f)).map((f) => join(dir, f)).sort();
};

/** Node's test runner: its summary lines "ℹ pass N" / "ℹ fail N". */
function nodeSuite(name: string, dir: string): Suite {
  return {
    name, needsStack: true,
    async run(env) {
      const tests = files(dir, /\.test\.ts$/);
      if (tests.length === 0) return { passed: 0, failed: 0, note: 'no test files' };
      const { code, output } = await exec(process.execPath, ['--experimental-websocket', '--import', 'tsx', '--test', '--test-concurrency=1', ...tests], env, name);
      const pass = Number(output.match(/^(?:ℹ|#) pass (\d+)/m)?.[1] ?? 0);
      const fail = Number(output.match(/^(?:ℹ|#) fail (\d+)/m)?.[1] ?? 0);
      return { passed: pass, failed: fail + (code !== 0 && fail === 0 ? 1 : 0) };
    },
  };
}

function oneCheck(name: string, needsStack: boolean, check: (env: NodeJS.ProcessEnv) => Promise<boolean>): Suite {
  return { name, needsStack, async run(env) { const ok = await check(env); return { passed: ok ? 1 : 0, failed: ok ? 0 : 1 }; } };
}

const suites: Suite[] = [
  oneCheck('typecheck-node', false, async (env) => (await exec(bin('tsc'), ['-p', 'tsconfig.json'], env, 'tsc (stack, tests, bench)')).code === 0),
  oneCheck('typecheck-web', false, async (env) =>
    existsSync(join(projectRoot, 'web', 'tsconfig.json')) && (await exec(bin('tsc'), ['-p', 'web/tsconfig.json'], env, 'tsc (web)')).code === 0),
  oneCheck('typecheck-functions', false, async (env) => {
    const entry = [...files('supabase/functions', /(^|\/)(index|handler)\.ts$/), ...files('supabase/functions/tests', /\.ts$/), 'stack/deno/functions-main.ts'];
    return (await exec(denoBin, ['check', '--config', 'supabase/functions/deno.json', ...new Set(entry)], env, 'deno check')).code === 0;
  }),
  {
    name: 'web-components', needsStack: false,
    async run(env) {
      if (!existsSync(join(projectRoot, 'web', 'vitest.config.ts'))) return { passed: 0, failed: 1, note: 'web/vitest.config.ts missing' };
      const report = join(artifacts, 'vitest.json');
      const { code } = await exec(bin('vitest'), ['run', '--config', 'web/vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], env, 'web component tests');
      if (!existsSync(report)) return { passed: 0, failed: 1, note: 'vitest wrote no report' };
      const r = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numFailedTestSuites: number };
      return { passed: r.numPassedTests, failed: r.numFailedTests + r.numFailedTestSuites + (code !== 0 && r.numFailedTests === 0 && r.numFailedTestSuites === 0 ? 1 : 0) };
    },
  },
  {
    name: 'pgtap', needsStack: true,
    async run(env) {
      const tests = files('supabase/tests/database', /\.test\.sql$/);
      if (tests.length === 0) return { passed: 0, failed: 0, note: 'no pgTAP files' };
      const url = new URL(env.STACK_DB_URL!);
      const { code, output } = await exec('pg_prove', ['-h', url.hostname, '-p', url.port, '-U', 'postgres', '-d', 'postgres', '--verbose', ...tests],
        { ...env, PGPASSWORD: 'postgres' }, 'pgTAP');
      const passed = (output.match(/^\s*ok \d+/gm) ?? []).length;
      const failed = (output.match(/^\s*not ok \d+/gm) ?? []).length;
      return { passed, failed: failed + (code !== 0 && failed === 0 ? 1 : 0) };
    },
  },
  oneCheck('supabase-db-advisors', true, async (env) => {
    const { code, output } = await exec(supabaseCli, ['db', 'advisors', '--type', 'all', '--level', 'warn', '--fail-on', 'warn', `--remote=${env.STACK_DB_URL}`], { ...env, ...cliEnv() }, 'supabase db advisors');
    return code === 0 && /No issues found/.test(output);
  }),
  oneCheck('supabase-db-lint', true, async (env) => {
    const { code } = await exec(supabaseCli, ['db', 'lint', '--level', 'warning', '--fail-on', 'warning', `--remote=${env.STACK_DB_URL}`], { ...env, ...cliEnv() }, 'supabase db lint');
    return code === 0;
  }),
  nodeSuite('smoke', 'tests/smoke'),
  nodeSuite('db', 'tests/db'),
  nodeSuite('graph-double', 'tests/graph-double'),
  {
    name: 'functions', needsStack: true,
    async run(env) {
      if (files('supabase/functions/tests', /\.test\.ts$/).length === 0) return { passed: 0, failed: 0, note: 'no Deno tests' };
      const { code, output } = await exec(denoBin, ['test', '-A', '--no-check', '--config', 'supabase/functions/deno.json', 'supabase/functions/tests/'], env, 'Deno function tests');
      const m = output.match(/(?:ok|FAILED) \| (\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed/);
      const passed = Number(m?.[1] ?? 0);
      const failed = Number(m?.[2] ?? 0);
      return { passed, failed: failed + (code !== 0 && failed === 0 ? 1 : 0) };
    },
  },
  nodeSuite('attack', 'tests/attack'),
  nodeSuite('fuzz', 'tests/fuzz'),
  nodeSuite('faults', 'tests/faults'),
  nodeSuite('browser', 'tests/browser'),
];

async function startGraphDouble(port: number): Promise<{ url: string; close(): Promise<void> } | null> {
  const module = join(projectRoot, 'tests', 'graph-double', 'server.ts');
  if (!existsSync(module)) return null;
  const { startGraphDouble } = await import(module) as { startGraphDouble(o: { port: number; host: string }): Promise<{ url: string; close(): Promise<void> }> };
  return startGraphDouble({ port, host: '127.0.0.1' });
}

async function main() {
  const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = only.filter((n) => !suites.some((s) => s.name === n));
  if (unknown.length) {
    console.error(`unknown suite(s): ${unknown.join(', ')}; suites: ${suites.map((s) => s.name).join(', ')}`);
    process.exit(2);
  }
  const selected = suites.filter((s) => only.length === 0 || only.includes(s.name));
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });

  const results: SuiteResult[] = [];
  const record = async (suite: Suite, env: NodeJS.ProcessEnv) => {
    const t = performance.now();
    try {
      results.push({ name: suite.name, ...(await suite.run(env)), seconds: (performance.now() - t) / 1000 });
    } catch (error) {
      results.push({ name: suite.name, passed: 0, failed: 1, seconds: (performance.now() - t) / 1000, note: String(error) });
    }
  };

  const baseEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete baseEnv.FORCE_COLOR; // Deno forces colour when FORCE_COLOR is set at all
  for (const suite of selected.filter((s) => !s.needsStack)) await record(suite, baseEnv);

  const stackSuites = selected.filter((s) => s.needsStack);
  if (stackSuites.length) {
    // The test stack: its own ports and folder, a clean database every run, fast bcrypt, fast retries.
    process.env.STACK_PORT_BASE = String(TEST_PORT_BASE);
    process.env.STACK_DATA_DIR = TEST_PORT_BASE === 63320 ? '.stack/test' : `.stack/test-${TEST_PORT_BASE}`;
    process.env.STACK_AUTH_BCRYPT_COST = '4';
    process.env.FACEBOOK_RETRY_BASE_MS ??= '20';
    process.env.FACEBOOK_TIMEOUT_MS ??= '2000';
    const config = loadConfig();
    let double: Awaited<ReturnType<typeof startGraphDouble>> = null;
    let stack: RunningStack | undefined;
    try {
      double = await startGraphDouble(config.ports.graphDouble).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EADDRINUSE') throw error;
        throw new StackError(`port ${config.ports.graphDouble} (Graph API double) is in use: is another npm test running?`,
          'wait for it, or run this one on other ports: TEST_STACK_PORT_BASE=<n> npm test');
      });
      if (double) process.env.FACEBOOK_GRAPH_API_URL = double.url;
      stack = await startStack(config, { reset: true, web: true });
      if (stack.webProblem) console.error(`web app not served: ${stack.webProblem}`);
      const env: NodeJS.ProcessEnv = {
        ...baseEnv,
        STACK_API_URL: stack.status.api_url, STACK_DB_URL: stack.status.db_url, STACK_ANON_KEY: stack.status.anon_key,
        STACK_SERVICE_ROLE_KEY: stack.status.service_role_key, STACK_WEB_URL: stack.webProblem ? '' : stack.status.web_url,
        STACK_JWT_SECRET: config.jwtSecret, STACK_LOG_DIR: join(config.dataDir, 'logs'), STACK_DATA_DIR: config.dataDir, STACK_PORT_BASE: String(TEST_PORT_BASE),
        GRAPH_DOUBLE_URL: double?.url ?? '', TEST_ARTIFACTS_DIR: artifacts,
      };
      for (const suite of stackSuites) await record(suite, env);
    } catch (error) {
      const message = error instanceof StackError ? error.describe() : String(error);
      console.error(`\n${message}`);
      results.push({ name: 'test-stack', passed: 0, failed: 1, seconds: 0, note: message.split('\n')[0] });
    } finally {
      await stack?.stop();
      await double?.close();
    }
    // Nothing the test stack started may survive it.
    const leftovers = [];
    for (const port of Object.values(config.ports)) if (await portIsOpen(port)) leftovers.push(port);
    const pgPid = join(pgPaths(config).data, 'postmaster.pid');
    if (existsSync(pgPid) && pidAlive(Number(readFileSync(pgPid, 'utf8').split('\n')[0]))) leftovers.push('postgres');
    results.push({ name: 'stack-stops-cleanly', passed: leftovers.length ? 0 : 1, failed: leftovers.length ? 1 : 0, seconds: 0,
      note: leftovers.length ? `still listening/running: ${leftovers.join(', ')}` : undefined });
  }

  console.log('\n━━ summary');
  for (const r of results) {
    console.log(`  ${r.failed ? '✖' : '✔'} ${r.name.padEnd(22)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed  ${r.seconds.toFixed(1)}s${r.note ? `  (${r.note})` : ''}`);
  }
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
