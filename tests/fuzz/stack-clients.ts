// Clients for the fuzz, fault and load suites: real users signed up through the stack's auth,
// raw PostgREST calls (to see exact status codes and send any body), and a postgres pool that
// reads the true state of the database behind RLS.
import { randomUUID } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';

export interface StackUrls {
  apiUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  dbUrl: string;
}

export interface SignedInUser {
  id: string;
  email: string;
  accessToken: string;
  client: SupabaseClient;
}

export async function signUpUser(stack: StackUrls, prefix: string): Promise<SignedInUser> {
  const email = `${prefix}-${randomUUID()}@example.com`;
  const client = createClient(stack.apiUrl, stack.anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
  const { data, error } = await client.auth.signUp({ email, password: 'fuzz-password-1' });
  if (error || !data.session || !data.user) throw new Error(`sign-up of ${email} failed: ${error?.message ?? 'no session returned'}`);
  return { id: data.user.id, email, accessToken: data.session.access_token, client };
}

export interface RestReply {
  status: number;
  body: any;
  text: string;
}

/** One PostgREST call through the gateway as the given bearer (a user's token or a key). */
export async function rest(
  stack: StackUrls,
  bearer: string,
  method: string,
  path: string,
  body?: unknown,
  options: { prefer?: string; timeoutMs?: number; rawBody?: string } = {},
): Promise<RestReply> {
  const headers: Record<string, string> = { apikey: stack.anonKey, authorization: `Bearer ${bearer}` };
  if (body !== undefined || options.rawBody !== undefined) headers['content-type'] = 'application/json';
  if (options.prefer) headers.prefer = options.prefer;
  const response = await fetch(`${stack.apiUrl}/rest/v1/${path}`, {
    method,
    headers,
    body: options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
    signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
  });
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  return { status: response.status, body: parsed, text };
}

export function adminPool(dbUrl: string, max = 4): pg.Pool {
  const pool = new pg.Pool({ connectionString: dbUrl, max });
  pool.on('error', () => undefined); // a Postgres restart (fault suites) must not crash the test process
  return pool;
}

/** Runs `work` over `items` with at most `limit` in flight, keeping order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
