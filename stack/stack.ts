// Starts and stops one local stack instance: Postgres, bootstrap, migrations, seed, PostgREST,
// the Deno functions runtime, the gateway with local auth, and the web app.
import http from 'node:http';
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { loadConfig, type StackConfig } from './config.ts';
import { StackError } from './errors.ts';
import { apiKey } from './keys.ts';
import { applyBootstrap, applyMigrations, applySeed } from './migrate.ts';
import { clusterExists, initCluster, pgPaths, startServer, stopServer } from './postgres.ts';
import { startPostgrest } from './postgrest.ts';
import { startFunctions } from './functions.ts';
import { createAuthService } from './auth.ts';
import { createGateway } from './gateway.ts';
import { buildWebIfStale, createWebServer, webAppPresent } from './web.ts';
import { pidAlive, portIsOpen, stopChild } from './process.ts';

export interface StackStatus {
  api_url: string;
  db_url: string;
  anon_key: string;
  service_role_key: string;
  web_url: string;
}

interface StateFile extends StackStatus {
  pid: number;
  child_pids: number[];
  data_dir: string;
  started_at: string;
}

export interface RunningStack {
  config: StackConfig;
  status: StackStatus;
  timings: Record<string, number>;
  /** Why the web app is not served, when it is not. */
  webProblem: string | null;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Serve the web app (build it first when stale). */
  web?: boolean;
  /** Drop the database folder first: a clean database, migrations and seed re-applied. */
  reset?: boolean;
  log?: (line: string) => void;
  /** Aborts a start in progress: everything started so far is stopped, nothing is left behind. */
  signal?: AbortSignal;
}

const stateFile = (config: StackConfig) => join(config.dataDir, 'stack.json');

export function readState(config: StackConfig): StateFile | null {
  try {
    return JSON.parse(readFileSync(stateFile(config), 'utf8')) as StateFile;
  } catch {
    return null;
  }
}

function listen(server: http.Server, port: number, what: string, envHint: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE'
        ? new StackError(`port ${port} (${what}) is already in use by another program`, `stop that program, or choose other ports: ${envHint}`)
        : error);
    });
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

/** Cleans up after a stack whose foreground process died without stopping its children. */
function recoverCrashedRun(config: StackConfig, log: (line: string) => void): void {
  const state = readState(config);
  if (!state) return;
  if (pidAlive(state.pid)) {
    throw new StackError(`a stack is already running from ${config.dataDir} (pid ${state.pid}) at ${state.api_url}`,
      'use it as it is, or stop it first with npm run stop (set the same STACK_DATA_DIR)');
  }
  log('cleaning up after a previous run that did not stop cleanly');
  for (const pid of state.child_pids) if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
  stopServer(config, 'immediate');
  rmSync(stateFile(config), { force: true });
}

export async function startStack(config: StackConfig = loadConfig(), options: StartOptions = {}): Promise<RunningStack> {
  const log = options.log ?? (() => undefined);
  const timings: Record<string, number> = {};
  const t0 = performance.now();
  const mark = (name: string) => {
    timings[name] = Math.round(performance.now() - t0);
    options.signal?.throwIfAborted();
  };

  mkdirSync(config.dataDir, { recursive: true });
  recoverCrashedRun(config, log);
  for (const [port, what] of [[config.ports.api, 'API gateway'], [config.ports.rest, 'PostgREST'], [config.ports.restAdmin, 'PostgREST admin']] as const) {
    if (await portIsOpen(port)) {
      throw new StackError(`port ${port} (${what}) is already in use by another program`,
        'stop that program, or move the whole stack: STACK_PORT_BASE=<n> npm start (API = n+1, database = n+2)');
    }
  }

  if (options.reset && clusterExists(config)) {
    stopServer(config, 'fast');
    rmSync(pgPaths(config).data, { recursive: true, force: true });
  }

  const children: ChildProcess[] = [];
  const servers: http.Server[] = [];
  let pool: pg.Pool | undefined;
  let stopped = false;

  async function stop() {
    if (stopped) return;
    stopped = true;
    await Promise.all(servers.map((s) => new Promise<void>((r) => { s.closeAllConnections?.(); s.close(() => r()); })));
    await Promise.all(children.map((c) => stopChild(c)));
    await pool?.end().catch(() => undefined);
    stopServer(config, 'fast');
    rmSync(stateFile(config), { force: true });
  }

  try {
    const created = initCluster(config);
    mark('initdb');
    await startServer(config);
    mark('postgres');
    await applyBootstrap(config);
    mark('bootstrap');
    applyMigrations(config);
    mark('migrations');
    if (created) await applySeed(config);
    mark('seed');

    const [anonKey, serviceRoleKey] = await Promise.all([apiKey('anon', config.jwtSecret), apiKey('service_role', config.jwtSecret)]);
    const keys = { anonKey, serviceRoleKey };

    const functionsStarting = startFunctions(config, keys).then((c) => { children.push(c); mark('functions'); });
    children.push(await startPostgrest(config));
    mark('postgrest');

    pool = new pg.Pool({ connectionString: config.dbUrl, max: 10 });
    // A restarted database must not crash the gateway: idle clients report errors on the pool,
    // checked-out clients on themselves, and an unhandled 'error' event would end the process.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    const gateway = createGateway({ config, apiKeys: [anonKey, serviceRoleKey], auth: createAuthService(config, pool) });
    await listen(gateway, config.ports.api, 'API gateway', 'STACK_PORT_BASE=<n> or STACK_API_PORT=<port>');
    servers.push(gateway);
    mark('api_ready');

    let webProblem: string | null = null;
    if (options.web && process.env.STACK_WEB !== '0') {
      try {
        if (!webAppPresent()) throw new StackError('web/ has no app yet', 'add web/index.html and web/vite.config.ts');
        buildWebIfStale();
        mark('web_build');
      } catch (error) {
        // The API stays useful while the web app is broken; the failure is reported, not hidden.
        webProblem = error instanceof StackError ? error.describe() : String(error);
      }
      if (!webProblem) {
        const web = createWebServer(config, anonKey);
        await listen(web, config.ports.web, 'web app', 'STACK_PORT_BASE=<n> or STACK_WEB_PORT=<port>');
        servers.push(web);
      }
    }
    await functionsStarting;
    mark('ready');

    const status: StackStatus = {
      api_url: config.apiUrl, db_url: config.dbUrl, anon_key: anonKey, service_role_key: serviceRoleKey, web_url: config.webUrl,
    };
    const state: StateFile = {
      ...status, pid: process.pid, child_pids: children.map((c) => c.pid!).filter(Boolean), data_dir: config.dataDir,
      started_at: new Date().toISOString(),
    };
    writeFileSync(stateFile(config), JSON.stringify(state, null, 2));
    return { config, status, timings, webProblem, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/** Stops the stack started from config.dataDir by another process. */
export async function stopRunningStack(config: StackConfig): Promise<'stopped' | 'not-running'> {
  const state = readState(config);
  if (state && pidAlive(state.pid)) {
    process.kill(state.pid, 'SIGTERM');
    const deadline = Date.now() + 15000;
    while (pidAlive(state.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  }
  for (const pid of state?.child_pids ?? []) if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
  const wasRunning = Boolean(state) || existsSync(join(pgPaths(config).data, 'postmaster.pid'));
  stopServer(config, 'fast');
  rmSync(stateFile(config), { force: true });
  return wasRunning ? 'stopped' : 'not-running';
}
