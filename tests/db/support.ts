// Shared by the tests/db suites: the test stack's database as postgres, fixture users, user JWTs.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { SignJWT } from 'jose';

export const dbUrl = (): string => {
  const url = process.env.STACK_DB_URL;
  if (!url) throw new Error('STACK_DB_URL is not set: run this suite through npm test (tests/run.ts), which starts the test stack');
  return url;
};

export const restUrl = (): string => {
  const api = process.env.STACK_API_URL;
  if (!api) throw new Error('STACK_API_URL is not set: run this suite through npm test');
  return `${api}/rest/v1`;
};

let pool: pg.Pool | undefined;
export function admin(): pg.Pool {
  pool ??= new pg.Pool({ connectionString: dbUrl(), max: 4 });
  return pool;
}

const created: string[] = [];

/** An auth user (its user_accounts row comes from the sign-up trigger); removed by cleanup(). */
export async function createUser(name: string): Promise<string> {
  const id = randomUUID();
  await admin().query(
    `insert into auth.users (instance_id, id, aud, role, email, email_confirmed_at, raw_app_meta_data, raw_user_meta_data)
     values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2, now(), '{}', '{}')`,
    [id, `${name}-${id.slice(0, 8)}@db-tests.local`],
  );
  created.push(id);
  return id;
}

export async function cleanup(): Promise<void> {
  if (created.length) await admin().query('delete from auth.users where id = any($1::uuid[])', [created.splice(0)]);
  await pool?.end();
  pool = undefined;
}

export const claims = (userId: string) => ({ sub: userId, role: 'authenticated', aud: 'authenticated' });

/** A user's access token as the auth service would sign it (HS256, STACK_JWT_SECRET). */
export async function userJwt(userId: string): Promise<string> {
  const secret = process.env.STACK_JWT_SECRET;
  if (!secret) throw new Error('STACK_JWT_SECRET is not set: run this suite through npm test');
  return new SignJWT(claims(userId))
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime('3600s')
    .sign(new TextEncoder().encode(secret));
}

/** A dedicated connection acting as the user for its whole session, as PostgREST does per request. */
export async function connectAs(userId: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: dbUrl() });
  await client.connect();
  await client.query('set role authenticated');
  await client.query(`select set_config('request.jwt.claims', $1, false)`, [JSON.stringify(claims(userId))]);
  return client;
}

export interface RestReply { status: number; body: unknown }

/** A PostgREST request with the user's JWT, through the stack's gateway. */
export async function rest(jwt: string, method: string, path: string, body?: unknown, prefer?: string): Promise<RestReply> {
  const anonKey = process.env.STACK_ANON_KEY ?? '';
  const response = await fetch(`${restUrl()}${path}`, {
    method,
    headers: {
      apikey: anonKey,
      authorization: `Bearer ${jwt}`,
      'content-type': 'application/json',
      ...(prefer ? { prefer } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try { parsed = text ? JSON.parse(text) : null; } catch { /* keep text */ }
  return { status: response.status, body: parsed };
}
