// Direct Postgres connection (SUPABASE_DB_URL, as Supabase provides to functions) for the server-side
// work: the audit table, the Facebook token, batch resolution. One pool per runtime worker.
// A database restart must never take the runtime down: every client, idle or checked out, has an
// error listener, and the pool opens new connections once Postgres answers again.
// @ts-types="npm:@types/pg@8"
import pg from 'pg';
import { requiredEnv, numberFromEnv } from './config.ts';
import { log } from './log.ts';
import { sleep } from './rate-gate.ts';

let pool: pg.Pool | undefined;

export function database(): pg.Pool {
  if (!pool) {
    pool = new pg.Pool({ connectionString: requiredEnv('SUPABASE_DB_URL'), max: 20, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000 });
    // An idle client's connection error must not crash the runtime; the pool drops it, the next query reconnects.
    pool.on('error', (error) => log('warn', 'database connection lost (idle client)', { error: String(error) }));
    // A checked-out client whose server goes away emits 'error' too (besides failing its query):
    // without a listener that event is unhandled and ends the process.
    pool.on('connect', (client) => {
      client.on('error', (error) => log('warn', 'database connection lost', { error: String(error) }));
    });
  }
  return pool;
}

// SQLSTATE classes 08 (connection exception) and 57P01-57P03 (admin/crash shutdown, cannot connect
// now: the server is starting or stopping), and what node-postgres and Deno say when the socket
// goes away or cannot be opened.
const CONNECTION_SQLSTATE = /^(08...|57P0[123])$/;
const CONNECTION_TEXT =
  /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTCONN|EHOSTUNREACH|connection refused|connection reset|broken pipe|Connection terminated|timeout exceeded when trying to connect|not queryable|the database system is (starting up|shutting down|in recovery)|terminating connection/i;

/** True when the error means "the database could not be reached", not "the statement was refused". */
export function isConnectionError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  // The server answered with a SQLSTATE: only the connection ones count; a constraint, permission or
  // syntax error is never retried.
  if (typeof severity === 'string' && typeof code === 'string') return CONNECTION_SQLSTATE.test(code);
  return CONNECTION_TEXT.test(`${(error as Error).name ?? ''} ${(error as Error).message ?? ''} ${code ?? ''}`);
}

/** How long a database write that matters (the launch record) keeps trying through an outage. */
export function databaseRetryBudgetMs(): number {
  return numberFromEnv('LAUNCH_DB_RETRY_MS', 20_000, 0, 600_000);
}

/**
 * Runs `work` again while the database cannot be reached (a restart, a failover), with exponential
 * backoff, for at most `budgetMs`. Statement errors (constraints, permissions) are thrown at once.
 * `work` must be safe to repeat: its first run may have been applied although its reply was lost.
 */
export async function withDatabaseRetry<T>(what: string, work: (attempt: number) => Promise<T>, budgetMs = databaseRetryBudgetMs()): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      if (!isConnectionError(error) || Date.now() >= deadline) throw error;
      const delay = Math.min(1_000, 50 * 2 ** (attempt - 1), Math.max(0, deadline - Date.now()));
      if (attempt === 1) log('warn', 'database unavailable, retrying', { what, error: String(error), budget_ms: budgetMs });
      await sleep(delay);
    }
  }
}
