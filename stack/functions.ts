// Starts the local edge runtime (Deno) with the function secrets Supabase would provide.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { StackError } from './errors.ts';
import { portIsOpen, startLogged, waitFor } from './process.ts';
import { projectRoot, supabaseDir, type StackConfig } from './config.ts';

export const denoBin = join(projectRoot, 'node_modules', '.bin', 'deno');

/** Parses supabase/functions/.env (the CLI's convention): KEY=value lines, # comments, optional quotes. */
export function readDotEnv(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const values: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = line.match(/^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/);
    if (!match) continue;
    values[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return values;
}

export interface FunctionSecrets {
  anonKey: string;
  serviceRoleKey: string;
}

export const functionsEnvFile = join(supabaseDir, 'functions', '.env');

/** Secrets from supabase/functions/.env (optional, git-ignored); the environment of the starting process wins. */
export function functionEnv(config: StackConfig, keys: FunctionSecrets, envFile = functionsEnvFile): Record<string, string> {
  const fromFile = readDotEnv(envFile);
  const pick = (name: string, fallback: string) => process.env[name] ?? fromFile[name] ?? fallback;
  const passthrough = Object.fromEntries(
    Object.keys(fromFile).map((k) => [k, process.env[k] ?? fromFile[k]]),
  );
  return {
    ...passthrough,
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(FACEBOOK_|LAUNCH_|DENO_|HOME$|PATH$)/.test(k)) as [string, string][]),
    SUPABASE_URL: config.apiUrl,
    SUPABASE_ANON_KEY: keys.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: keys.serviceRoleKey,
    SUPABASE_DB_URL: config.dbUrl,
    SUPABASE_JWT_SECRET: config.jwtSecret,
    FACEBOOK_GRAPH_API_URL: pick('FACEBOOK_GRAPH_API_URL', 'https://graph.facebook.com'),
    FACEBOOK_GRAPH_API_VERSION: pick('FACEBOOK_GRAPH_API_VERSION', 'v23.0'),
    FUNCTIONS_DIR: join(supabaseDir, 'functions'),
    FUNCTIONS_PORT: String(config.ports.functions),
  };
}

export async function startFunctions(config: StackConfig, keys: FunctionSecrets): Promise<ChildProcess> {
  if (!existsSync(denoBin)) throw new StackError('Deno is not installed', 'npm ci');
  if (await portIsOpen(config.ports.functions)) {
    throw new StackError(`port ${config.ports.functions} (functions) is already in use`, 'stop that program or set STACK_PORT_BASE');
  }
  const logFile = join(config.dataDir, 'logs', 'functions.log');
  const child = startLogged(denoBin, [
    'run', '--allow-net', '--allow-env', '--allow-read', '--no-prompt',
    '--config', join(supabaseDir, 'functions', 'deno.json'),
    join(projectRoot, 'stack', 'deno', 'functions-main.ts'),
  ], logFile, { env: functionEnv(config, keys), cwd: join(supabaseDir, 'functions') });
  let exited = false;
  child.once('exit', () => (exited = true));
  try {
    // The first start on a new machine downloads npm packages into Deno's cache: allow for it.
    await waitFor('the edge functions runtime (Deno)', () => portIsOpen(config.ports.functions), 120000, 50,
      () => (exited ? 'exited during start-up' : null));
  } catch (error) {
    const inUse = /AddrInUse/.test(readFileSync(logFile, 'utf8').slice(-4000));
    throw new StackError(
      inUse ? `port ${config.ports.functions} (functions) could not be bound: it is in use` : (error as Error).message,
      inUse ? 'choose other ports with STACK_PORT_BASE=<n> (best above 61000, outside the ephemeral range)' : 'read the log below',
      logFile);
  }
  return child;
}
