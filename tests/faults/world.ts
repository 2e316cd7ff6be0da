// Test support for the fault suites: a Facebook world in the Graph API double, a user connected
// to it the way the web app does it, directions, raw function calls, and the audit rows.
import { randomInt, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { signUpUser, type SignedInUser, type StackUrls } from '../fuzz/stack-clients.ts';

export interface FacebookWorld {
  token: string;
  adAccountId: string;
  pageId: string;
  campaignId: string;
  numbers: string[];
}

const digits = (n: number) => String(randomInt(1, 10)) + Array.from({ length: n - 1 }, () => randomInt(0, 10)).join('');

export async function graphControl(graphUrl: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${graphUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`graph double ${path}: ${JSON.stringify(json)}`);
  return json;
}

export async function createWorld(graphUrl: string, numberCount = 3): Promise<FacebookWorld> {
  const world: FacebookWorld = {
    token: `EAAT${randomUUID().replace(/-/g, '')}`,
    adAccountId: digits(15),
    pageId: digits(15),
    campaignId: digits(18),
    numbers: Array.from({ length: numberCount }, () => `+7701${digits(7)}`),
  };
  await graphControl(graphUrl, 'POST', '/__control/accounts', {
    tokens: [{ token: world.token, ad_account_ids: [world.adAccountId] }],
    ad_accounts: [{ id: world.adAccountId }],
    campaigns: [{ id: world.campaignId, ad_account_id: world.adAccountId, objective: 'OUTCOME_ENGAGEMENT', budget_mode: 'adset' }],
    pages: [{ id: world.pageId, whatsapp: 'business', numbers: world.numbers }],
  });
  return world;
}

/** Faults for this world's ad account only, so suites sharing the double never see each other's. */
export async function queueFaults(graphUrl: string, world: FacebookWorld, faults: Array<Record<string, unknown>>): Promise<void> {
  if (faults.length === 0) return;
  await graphControl(graphUrl, 'POST', '/__control/faults',
    faults.map((f) => ({ ...f, match: { ad_account_id: world.adAccountId, method: 'POST', path: '/adsets' } })));
}

export async function pendingFaults(graphUrl: string, world: FacebookWorld): Promise<unknown[]> {
  const { faults } = await graphControl(graphUrl, 'GET', '/__control/faults');
  return (faults as Array<{ match?: { ad_account_id?: string } }>).filter((f) => f.match?.ad_account_id === world.adAccountId);
}

export async function adSetsOf(graphUrl: string, world: FacebookWorld): Promise<Array<{ id: string; fields: { name: string } }>> {
  return (await graphControl(graphUrl, 'GET', `/__control/adsets?ad_account_id=${world.adAccountId}`)).adsets;
}

export interface ConnectedUser extends SignedInUser {
  world: FacebookWorld;
  numberIds: string[];
}

/** A user connected to the world (ad account, Page, token) with the world's numbers, the first one default. */
export async function connectedUser(stack: StackUrls, graphUrl: string, prefix: string): Promise<ConnectedUser> {
  const user = await signUpUser(stack, prefix);
  const world = await createWorld(graphUrl);
  const account = await user.client.from('user_accounts').update({ ad_account_id: world.adAccountId, page_id: world.pageId }).eq('id', user.id);
  if (account.error) throw new Error(`connecting the ad account failed: ${account.error.message}`);
  const token = await user.client.from('user_facebook_tokens').insert({ user_account_id: user.id, access_token: world.token });
  if (token.error) throw new Error(`saving the token failed: ${token.error.message}`);
  const numberIds: string[] = [];
  for (const phone of world.numbers) {
    const { data, error } = await user.client.from('whatsapp_phone_numbers').insert({ phone_number: phone }).select('id').single();
    if (error) throw new Error(`adding ${phone} failed: ${error.message}`);
    numberIds.push(data.id);
  }
  return { ...user, world, numberIds };
}

/** Directions named `${prefix} NN` in creation order (the batch launches them in that order), bound round-robin. */
export async function addDirections(user: ConnectedUser, count: number, prefix: string): Promise<Array<{ id: string; name: string }>> {
  const rows = Array.from({ length: count }, (_, i) => ({
    name: `${prefix} ${String(i).padStart(2, '0')}`,
    objective: 'whatsapp',
    daily_budget_cents: 500_000,
    fb_campaign_id: user.world.campaignId,
    default_settings: { targeting: { geo_locations: { countries: ['KZ'] }, age_min: 25, age_max: 55 } },
    whatsapp_phone_number_id: i % 4 === 3 ? null : user.numberIds[i % user.numberIds.length],
  }));
  const created: Array<{ id: string; name: string }> = [];
  // One by one: created_at orders the batch, and one statement would give every row the same timestamp.
  for (const row of rows) {
    const { data, error } = await user.client.from('account_directions').insert(row).select('id, name').single();
    if (error) throw new Error(`adding a direction failed: ${error.message}`);
    created.push(data);
  }
  return created;
}

export interface FunctionReply {
  status: number;
  body: any;
  text: string;
  ms: number;
}

export async function invokeFunction(stack: StackUrls, name: string, body: unknown, bearer: string, timeoutMs = 120_000): Promise<FunctionReply> {
  const started = performance.now();
  const res = await fetch(`${stack.apiUrl}/functions/v1/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey: stack.anonKey, authorization: `Bearer ${bearer}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  return { status: res.status, body: parsed, text, ms: performance.now() - started };
}

export interface LaunchRow {
  id: string;
  direction_id: string;
  status: string;
  fb_adset_id: string | null;
  error_code: number | null;
  error_message: string | null;
  idempotency_key: string;
  finished_at: Date | null;
}

export async function launchRows(pool: pg.Pool, userId: string): Promise<LaunchRow[]> {
  const { rows } = await pool.query<LaunchRow>(
    `select id, direction_id, status, fb_adset_id, error_code, error_message, idempotency_key, finished_at
       from public.adset_launches where user_account_id = $1 order by created_at, id`,
    [userId],
  );
  return rows;
}

/** Problems with the audit rows: a launch left pending, a failure without a reason, a success without an ad set. */
export function launchRowProblems(rows: LaunchRow[]): string[] {
  const problems: string[] = [];
  for (const r of rows) {
    if (r.status === 'pending') problems.push(`launch ${r.id} (${r.idempotency_key}) is still pending`);
    if (r.status === 'failed' && !r.error_message) problems.push(`launch ${r.id} failed without a reason`);
    if (r.status === 'succeeded' && !r.fb_adset_id) problems.push(`launch ${r.id} succeeded without an ad set id`);
    if (r.status !== 'pending' && !r.finished_at) problems.push(`launch ${r.id} ended without finished_at`);
  }
  return problems;
}

/** Ad sets per direction name, from the double (the name starts with the direction's name). */
export function adSetsPerDirection(adSets: Array<{ fields: { name: string } }>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const a of adSets) {
    const direction = a.fields.name.split(' · ')[0];
    counts.set(direction, (counts.get(direction) ?? 0) + 1);
  }
  return counts;
}
