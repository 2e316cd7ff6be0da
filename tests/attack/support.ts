// Shared tools of the attack suite: fresh users with a full Facebook setup, raw HTTP, forged JWTs,
// and snapshots of the database taken as postgres (outside RLS), so every case can prove that
// nothing changed.
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { SignJWT } from 'jose';
import { stackEnv } from '../support/env.ts';

export const env = stackEnv();

let pool: pg.Pool | undefined;
/** A superuser connection (STACK_DB_URL): sees every row, bypasses RLS. */
export function db(): pg.Pool {
  pool ??= new pg.Pool({ connectionString: env.dbUrl, max: 3 });
  return pool;
}
export async function closeDb(): Promise<void> {
  await pool?.end();
  pool = undefined;
}

// ---------------------------------------------------------------------------------------------
// The catalogue: what PostgREST exposes, read at test time so new objects are attacked too.

export interface Relation {
  name: string;
  kind: 'table' | 'view';
  columns: string[];
  /** The primary key's first column (tables only), the natural on_conflict target. */
  primaryKey: string | null;
}

export async function publicRelations(): Promise<Relation[]> {
  const { rows } = await db().query<{ name: string; type: string; columns: string[]; pk: string | null }>(`
    select t.table_name as name, t.table_type as type,
           array_agg(c.column_name::text order by c.ordinal_position) as columns,
           (select a.attname::text from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
            where i.indrelid = format('public.%I', t.table_name)::regclass and i.indisprimary) as pk
    from information_schema.tables t
    join information_schema.columns c on c.table_schema = t.table_schema and c.table_name = t.table_name
    where t.table_schema = 'public'
    group by t.table_name, t.table_type
    order by t.table_name`);
  return rows.map((r) => ({ name: r.name, kind: r.type === 'VIEW' ? 'view' : 'table', columns: r.columns, primaryKey: r.pk }));
}

export interface PublicFunction {
  name: string;
  /** Argument names with a harmless sample value for each. */
  sampleArgs: Record<string, unknown>;
}

export async function publicFunctions(): Promise<PublicFunction[]> {
  const { rows } = await db().query<{ name: string; arg_names: string[] | null; arg_types: string[] }>(`
    select p.proname as name, p.proargnames as arg_names,
           array(select format_type(t, null) from unnest(p.proargtypes) t) as arg_types
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    left join pg_depend d on d.objid = p.oid and d.deptype = 'e'
    where n.nspname = 'public' and d.objid is null
    order by p.proname`);
  return rows.map((r) => {
    const sampleArgs: Record<string, unknown> = {};
    r.arg_types.forEach((type, i) => {
      const name = r.arg_names?.[i];
      if (name) sampleArgs[name] = sampleValue(type);
    });
    return { name: r.name, sampleArgs };
  });
}

function sampleValue(type: string): unknown {
  if (type === 'uuid') return randomUUID();
  if (/int|numeric|real|double/.test(type)) return 1;
  if (type === 'boolean') return true;
  if (/json/.test(type)) return {};
  return 'x';
}

// ---------------------------------------------------------------------------------------------
// Snapshots: every row of every public table that belongs to the given users, plus row counts of
// every table (so a row created for nobody, or for a third user, shows up too) and auth.users.

export interface Snapshot {
  counts: Record<string, number>;
  rows: Record<string, unknown[]>;
}

export async function snapshot(userIds: string[]): Promise<Snapshot> {
  // public and private base tables (the token itself lives server-side in private), plus auth.users.
  const { rows: tables } = await db().query<{ schema: string; name: string; columns: string[] }>(`
    select t.table_schema as schema, t.table_name as name, array_agg(c.column_name::text order by c.ordinal_position) as columns
    from information_schema.tables t
    join information_schema.columns c on c.table_schema = t.table_schema and c.table_name = t.table_name
    where t.table_type = 'BASE TABLE' and (t.table_schema in ('public', 'private') or (t.table_schema = 'auth' and t.table_name = 'users'))
    group by t.table_schema, t.table_name order by 1, 2`);
  assert.ok(tables.some((t) => t.schema === 'public'), 'the public schema has tables to snapshot');
  const counts: Record<string, number> = {};
  const rows: Record<string, unknown[]> = {};
  for (const table of tables) {
    const qualified = `${pg.escapeIdentifier(table.schema)}.${pg.escapeIdentifier(table.name)}`;
    const { rows: [{ n }] } = await db().query<{ n: number }>(`select count(*)::int as n from ${qualified}`);
    counts[`${table.schema}.${table.name}`] = n;
    const owner = table.columns.includes('user_account_id') ? 'user_account_id' : table.columns.includes('id') ? 'id' : null;
    if (!owner) continue;
    const { rows: own } = await db().query(
      `select to_jsonb(t) as row from ${qualified} t where ${pg.escapeIdentifier(owner)}::text = any($1::text[]) order by to_jsonb(t)::text`,
      [userIds]);
    rows[`${table.schema}.${table.name}`] = own.map((r) => r.row);
  }
  return { counts, rows };
}

/** Every non-null access_token value stored for these users, wherever a column of that name lives. */
export async function storedTokens(userIds: string[]): Promise<string[]> {
  const { rows: places } = await db().query<{ schema: string; name: string }>(`
    select c.table_schema as schema, c.table_name as name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.column_name = 'access_token' and c.table_schema in ('public', 'private')`);
  const found: string[] = [];
  for (const p of places) {
    const { rows } = await db().query(`select access_token from ${pg.escapeIdentifier(p.schema)}.${pg.escapeIdentifier(p.name)} where user_account_id = any($1::uuid[]) and access_token is not null`, [userIds]);
    found.push(...rows.map((r) => r.access_token as string));
  }
  return found.sort();
}

/** Runs `attack`, then asserts the given users' rows and every table's row count are unchanged. */
export async function unchanged<T>(userIds: string[], attack: () => Promise<T>): Promise<T> {
  const before = await snapshot(userIds);
  const result = await attack();
  const after = await snapshot(userIds);
  assert.deepEqual(after, before, 'the attack changed rows in the database');
  return result;
}

// ---------------------------------------------------------------------------------------------
// HTTP

export interface HttpResult {
  status: number;
  text: string;
  json: any;
  headers: Headers;
}

export async function http(path: string, init: { method?: string; bearer?: string | null; apikey?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  const apikey = init.apikey === undefined ? env.anonKey : init.apikey;
  if (apikey) headers.apikey = apikey;
  if (init.bearer) headers.authorization = `Bearer ${init.bearer}`;
  let body: string | undefined;
  if (init.rawBody !== undefined) body = init.rawBody;
  else if (init.body !== undefined) body = JSON.stringify(init.body);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  const res = await fetch(`${env.apiUrl}${path}`, { method: init.method ?? 'GET', headers, body });
  const text = await res.text();
  let json: any = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, text, json, headers: res.headers };
}

export function describe(r: HttpResult): string {
  return `HTTP ${r.status} ${r.text.slice(0, 400)}`;
}

/** The request was refused: a 4xx status (never 2xx, never 5xx). */
export function assertRefused(r: HttpResult, statuses: number[] = [400, 401, 403, 404, 405, 406, 409, 413, 415, 422]): void {
  assert.ok(statuses.includes(r.status), `expected one of ${statuses.join('/')}, got ${describe(r)}`);
}

/** PostgREST answered a read with no rows (200 and []), the RLS answer for rows one cannot see. */
export function assertEmpty(r: HttpResult): void {
  assert.equal(r.status, 200, describe(r));
  assert.deepEqual(r.json, [], describe(r));
}

// ---------------------------------------------------------------------------------------------
// JWTs

export async function signJwt(claims: Record<string, unknown>, secret = env.jwtSecret, expiresAt = Math.floor(Date.now() / 1000) + 3600): Promise<string> {
  return new SignJWT({ aud: 'authenticated', ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(Math.min(expiresAt - 60, Math.floor(Date.now() / 1000)))
    .setExpirationTime(expiresAt)
    .sign(new TextEncoder().encode(secret));
}

export const WRONG_SECRET = 'not-the-stack-secret-but-also-at-least-32-characters-long';

// ---------------------------------------------------------------------------------------------
// Users: signed up through supabase-js, then given a complete, launchable Facebook setup.

export interface TestUser {
  id: string;
  email: string;
  accessToken: string;
  client: SupabaseClient;
  /** The Facebook token stored in user_facebook_tokens: distinctive, never to be seen again. */
  facebookToken: string;
  adAccountId: string;
  pageId: string;
  campaignId: string;
  numbers: { id: string; phone: string }[];
  directions: { id: string; name: string }[];
  launchId: string;
}

export function newClient(): SupabaseClient {
  return createClient(env.apiUrl, env.anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
}

export function clientWithJwt(jwt: string): SupabaseClient {
  return createClient(env.apiUrl, env.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    global: { headers: { Authorization: `Bearer ${jwt}` } },
  });
}

const digits = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? randomInt(1, 10) : randomInt(0, 10))).join('');
export const uniquePhone = () => `+7701${digits(7)}`;
export const distinctiveToken = (tag: string) => `attack-${tag}-fbtoken-${randomUUID().replace(/-/g, '')}`;

export async function signUp(tag: string): Promise<{ id: string; email: string; accessToken: string; client: SupabaseClient }> {
  const client = newClient();
  const email = `attack-${tag}-${randomUUID()}@example.com`;
  const { data, error } = await client.auth.signUp({ email, password: 'attack-password-1' });
  assert.equal(error, null, `sign-up of ${email}`);
  assert.ok(data.session && data.user, 'sign-up returns a session');
  return { id: data.user.id, email, accessToken: data.session.access_token, client: clientWithJwt(data.session.access_token) };
}

/** A signed-up user with two numbers, two launchable directions, a token, a launch row, and a matching Graph double world. */
export async function createUser(tag: string): Promise<TestUser> {
  const base = await signUp(tag);
  const facebookToken = distinctiveToken(tag);
  const adAccountId = digits(12);
  const pageId = digits(15);
  const campaignId = digits(16);
  const phones = [uniquePhone(), uniquePhone()];

  // The user's own writes go through supabase-js and RLS, as the browser does.
  const numbers = [];
  for (const [i, phone] of phones.entries()) {
    const { data, error } = await base.client.from('whatsapp_phone_numbers').insert({ phone_number: phone, label: `${tag} number ${i + 1}` }).select('id, phone_number').single();
    assert.equal(error, null, `adding ${phone}`);
    numbers.push({ id: data!.id as string, phone: data!.phone_number as string });
  }
  const directions = [];
  for (const [i, number] of numbers.entries()) {
    const name = `${tag} direction ${i + 1}`;
    const { data, error } = await base.client.from('account_directions').insert({
      name, daily_budget_cents: 5000, fb_campaign_id: campaignId, whatsapp_phone_number_id: number.id,
      default_settings: { targeting: { geo_locations: { countries: ['KZ'] } } },
    }).select('id, name').single();
    assert.equal(error, null, `adding direction ${name}`);
    directions.push({ id: data!.id as string, name: data!.name as string });
  }
  const account = await base.client.from('user_accounts').update({ ad_account_id: adAccountId, page_id: pageId }).eq('id', base.id);
  assert.equal(account.error, null, 'connecting the ad account and Page');
  const token = await base.client.from('user_facebook_tokens').insert({ access_token: facebookToken });
  assert.equal(token.error, null, 'storing the Facebook token');

  // A launch record, as the functions write it (service role only).
  const { rows: [launch] } = await db().query<{ id: string }>(
    `insert into public.adset_launches (user_account_id, direction_id, whatsapp_phone_number_id, phone_number, number_source, status, fb_adset_id, finished_at, idempotency_key, request)
     values ($1, $2, $3, $4, 'direction', 'succeeded', '1200000000001', now(), $5, '{"method":"POST"}') returning id`,
    [base.id, directions[0].id, numbers[0].id, numbers[0].phone, `seed-${randomUUID()}`]);

  await graphWorld({ token: facebookToken, adAccountId, pageId, campaignId, phones });
  return { ...base, facebookToken, adAccountId, pageId, campaignId, numbers, directions, launchId: launch.id };
}

/** Teaches the Graph double this user's token, ad account, campaign and Page (with both numbers). */
export async function graphWorld(w: { token: string; adAccountId: string; pageId: string; campaignId: string; phones: string[] }): Promise<void> {
  assert.ok(env.graphDoubleUrl, 'GRAPH_DOUBLE_URL is set (the Graph API double runs with the test stack)');
  const res = await fetch(`${env.graphDoubleUrl}/__control/accounts`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      tokens: [{ token: w.token, ad_account_ids: [w.adAccountId] }],
      ad_accounts: [{ id: w.adAccountId }],
      campaigns: [{ id: w.campaignId, ad_account_id: w.adAccountId, objective: 'OUTCOME_ENGAGEMENT' }],
      pages: [{ id: w.pageId, whatsapp: 'business', numbers: w.phones }],
    }),
  });
  assert.equal(res.status, 200, `graph double accepted the world: ${await res.text()}`);
}

export interface RecordedGraphRequest { seq: number; path: string; ad_account_id: string | null; access_token: string | null }

export async function graphRequests(): Promise<RecordedGraphRequest[]> {
  const res = await fetch(`${env.graphDoubleUrl}/__control/requests`);
  assert.equal(res.status, 200);
  return (await res.json() as { requests: RecordedGraphRequest[] }).requests;
}

export async function graphFault(fault: unknown): Promise<void> {
  const res = await fetch(`${env.graphDoubleUrl}/__control/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
  assert.equal(res.status, 200, `graph double accepted the fault: ${await res.text()}`);
}

export async function clearGraphFaults(): Promise<void> {
  await fetch(`${env.graphDoubleUrl}/__control/faults`, { method: 'DELETE' });
}

// ---------------------------------------------------------------------------------------------
// Logs

/** The stack's log files that must never carry a token. */
export function logFiles(): string[] {
  assert.ok(env.logDir, 'STACK_LOG_DIR is set');
  return ['functions.log', 'postgrest.log', 'postgres.log'].map((f) => join(env.logDir, f));
}

export function readLog(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}
