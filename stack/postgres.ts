// The stack's private PostgreSQL 15 cluster: initdb once, pg_ctl start/stop, loopback only.
// Postgres refuses to run as root, so as root every server command runs as the `postgres` OS user.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { StackError } from './errors.ts';
import { isRoot, portIsOpen, run } from './process.ts';
import type { StackConfig } from './config.ts';

export const PG_BIN = '/usr/lib/postgresql/15/bin';

export interface PgPaths {
  data: string;
  socketDir: string;
  logFile: string;
}

/** Whether the `postgres` OS user can reach a folder (as root the server runs as that user). */
function serverUserCanReach(dir: string): boolean {
  if (!isRoot) return true;
  let probe = dir;
  while (!existsSync(probe)) probe = dirname(probe);
  return spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', probe], { stdio: 'ignore' }).status === 0;
}

const clusterBases = new Map<string, string>();

/**
 * Where the cluster lives: in the stack's folder, unless the project sits where the `postgres` user
 * cannot go (a checkout under /root, mode 700); then in a folder of its own under /var/tmp, named
 * after the stack's folder so each stack keeps one cluster.
 */
export function clusterBase(config: StackConfig): string {
  let base = clusterBases.get(config.dataDir);
  if (!base) {
    base = serverUserCanReach(config.dataDir)
      ? config.dataDir
      : join('/var/tmp', 'whatsapp-number-router', createHash('sha256').update(config.dataDir).digest('hex').slice(0, 16));
    clusterBases.set(config.dataDir, base);
  }
  return base;
}

export function pgPaths(config: StackConfig): PgPaths {
  const base = clusterBase(config);
  return {
    data: join(base, 'db'),
    socketDir: join(base, 'run'),
    logFile: join(base, 'logs', 'postgres.log'),
  };
}

function postgresUid(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new StackError('the `postgres` OS user does not exist', 'install PostgreSQL 15: apt-get install -y postgresql-15');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function asServerUser(cmd: string, args: string[]): [string, string[]] {
  return isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

function pgCommand(bin: string, args: string[], opts: { cwd?: string } = {}): string {
  const [cmd, fullArgs] = asServerUser(join(PG_BIN, bin), args);
  return run(cmd, fullArgs, { cwd: opts.cwd ?? '/tmp' });
}

function ownedDir(path: string, mode: number): void {
  mkdirSync(path, { recursive: true, mode });
  chmodSync(path, mode);
  if (isRoot) {
    const { uid, gid } = postgresUid();
    chownSync(path, uid, gid);
  }
}

export function clusterExists(config: StackConfig): boolean {
  return existsSync(join(pgPaths(config).data, 'PG_VERSION'));
}

/** Creates the cluster if missing. Returns true when it was created now. */
export function initCluster(config: StackConfig): boolean {
  if (!existsSync(join(PG_BIN, 'initdb'))) {
    throw new StackError('PostgreSQL 15 server binaries are missing', 'apt-get install -y postgresql-15');
  }
  const paths = pgPaths(config);
  mkdirSync(join(config.dataDir, 'logs'), { recursive: true, mode: 0o755 });
  const base = clusterBase(config);
  mkdirSync(base, { recursive: true, mode: 0o755 });
  chmodSync(base, 0o755);
  ownedDir(paths.socketDir, 0o755);
  ownedDir(dirname(paths.logFile), 0o777);
  // The server's log stays findable beside the other logs when the cluster lives elsewhere.
  const projectLog = join(config.dataDir, 'logs', 'postgres.log');
  if (paths.logFile !== projectLog && !lstatSync(projectLog, { throwIfNoEntry: false })) symlinkSync(paths.logFile, projectLog);
  if (clusterExists(config)) return false;
  ownedDir(paths.data, 0o700);
  const pwfile = join(paths.socketDir, 'pwfile');
  writeFileSync(pwfile, 'postgres\n', { mode: 0o644 });
  pgCommand('initdb', [
    '-D', paths.data, '-U', 'postgres', '--pwfile', pwfile, '-E', 'UTF8', '--locale=C.UTF-8',
    '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync', '--no-instructions',
  ]);
  // Settings of a development database: loopback only, enough connections for tests, fast commits.
  writeFileSync(
    join(paths.data, 'postgresql.auto.conf'),
    [
      "listen_addresses = '127.0.0.1'",
      'max_connections = 200',
      "shared_buffers = '256MB'",
      'synchronous_commit = off',
      "shared_preload_libraries = ''",
      "log_min_messages = 'warning'",
      "log_min_error_statement = 'panic'",
      '',
    ].join('\n'),
  );
  return true;
}

export function serverRunning(config: StackConfig): boolean {
  try {
    pgCommand('pg_ctl', ['status', '-D', pgPaths(config).data]);
    return true;
  } catch {
    return false;
  }
}

export async function startServer(config: StackConfig): Promise<void> {
  const paths = pgPaths(config);
  if (serverRunning(config)) return;
  if (await portIsOpen(config.ports.db)) {
    throw new StackError(
      `port ${config.ports.db} (database) is already in use by another program`,
      `stop that program, or choose other ports: STACK_PORT_BASE=<n> (database = n+2) or STACK_DB_PORT=<port>`,
    );
  }
  try {
    pgCommand('pg_ctl', [
      'start', '-D', paths.data, '-l', paths.logFile, '-w', '-t', '30',
      '-o', `-p ${config.ports.db} -k ${paths.socketDir}`,
    ]);
  } catch (error) {
    throw new StackError(`PostgreSQL did not start: ${(error as Error).message.split('\n')[0]}`,
      `read the log below; if the data folder is damaged, run npm run reset`, paths.logFile);
  }
}

export function stopServer(config: StackConfig, mode: 'fast' | 'immediate' = 'fast'): void {
  if (!clusterExists(config) || !serverRunning(config)) return;
  pgCommand('pg_ctl', ['stop', '-D', pgPaths(config).data, '-m', mode, '-w', '-t', '30']);
}

export function adminClient(config: StackConfig): pg.Client {
  return new pg.Client({ connectionString: config.dbUrl });
}

export async function runSql(config: StackConfig, sql: string): Promise<void> {
  const client = adminClient(config);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
