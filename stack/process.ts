// Small helpers for the processes the stack owns.
import { spawn, spawnSync, type SpawnOptions, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { openSync } from 'node:fs';

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a command to completion; returns stdout, throws with stderr on failure. */
export function run(cmd: string, args: string[], opts: SpawnOptions & { input?: string } = {}): string {
  const result = spawnSync(cmd, args, { encoding: 'utf8', ...opts } as Parameters<typeof spawnSync>[2]);
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const err = new Error(`${cmd} ${args.join(' ')} exited ${result.status}: ${String(result.stderr || result.stdout).trim()}`);
    (err as Error & { stderr?: string }).stderr = String(result.stderr ?? '');
    throw err;
  }
  return String(result.stdout ?? '');
}

/** Starts a long-running child whose output goes to a log file. */
export function startLogged(cmd: string, args: string[], logFile: string, opts: SpawnOptions = {}): ChildProcess {
  const fd = openSync(logFile, 'a');
  const child = spawn(cmd, args, { stdio: ['ignore', fd, fd], ...opts });
  return child;
}

export function portIsOpen(port: number, host = '127.0.0.1', timeoutMs = 300): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Polls until check() is true. A check that throws means "not ready yet"; gaveUp() returning a reason
 * (e.g. the process exited) ends the wait at once instead of polling until the timeout.
 */
export async function waitFor(
  what: string, check: () => Promise<boolean>, timeoutMs: number, intervalMs = 25, gaveUp: () => string | null = () => null,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const reason = gaveUp();
    if (reason) throw new Error(`${what} ${reason}`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${what} did not become ready within ${timeoutMs} ms`);
}

export function pidAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function stopChild(child: ChildProcess | undefined, graceMs = 3000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
