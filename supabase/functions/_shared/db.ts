// Direct Postgres connection (SUPABASE_DB_URL, as Supabase provides to functions) for the server-side
// work: the audit table, the Facebook token, batch resolution. One pool per runtime worker.
// @ts-types="npm:@types/pg@8"
import pg from 'pg';
import { requiredEnv } from './config.ts';

let pool: pg.Pool | undefined;

export function database(): pg.Pool {
  if (!pool) {
    pool = new pg.Pool({ connectionString: requiredEnv('SUPABASE_DB_URL'), max: 20, idleTimeoutMillis: 30_000 });
    // An idle client's connection error must not crash the runtime; the next query reconnects.
    pool.on('error', () => {});
  }
  return pool;
}
