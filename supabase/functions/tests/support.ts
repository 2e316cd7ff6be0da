// deno-lint-ignore-file no-explicit-any -- JSON from the Graph double and the functions, asserted field by field
// Test support for the function suites: the running stack (env from the test runner), fresh users
// signed up through supabase-js, the Graph API double's control API, and raw function calls.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';

function need(name: string): string {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`${name} is not set: run these tests through npm test, which starts the stack and the Graph double`);
  return value;
}

export const env = {
  apiUrl: need('STACK_API_URL'),
  anonKey: need('STACK_ANON_KEY'),
  serviceRoleKey: need('STACK_SERVICE_ROLE_KEY'),
  jwtSecret: need('STACK_JWT_SECRET'),
  graphUrl: need('GRAPH_DOUBLE_URL'),
  logDir: Deno.env.get('STACK_LOG_DIR') ?? '',
};

const clientOptions = { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } };
export const service: SupabaseClient = createClient(env.apiUrl, env.serviceRoleKey, clientOptions);

const random = (digits: number) => Array.from({ length: digits }, (_, i) => (i === 0 ? 1 + Math.floor(Math.random() * 9) : Math.floor(Math.random() * 10))).join('');
export const uniqueDigits = random;

export interface TestUser {
  id: string;
  email: string;
  client: SupabaseClient;
  accessToken: string;
}

export async function signUp(): Promise<TestUser> {
  const email = `fn-${crypto.randomUUID()}@example.test`;
  const client = createClient(env.apiUrl, env.anonKey, clientOptions);
  const { data, error } = await client.auth.signUp({ email, password: 'launch-test-password-1' });
  if (error || !data.session || !data.user) throw new Error(`sign-up failed: ${error?.message ?? 'no session'}`);
  return { id: data.user.id, email, client, accessToken: data.session.access_token };
}

/** A Facebook world in the double for one user: token, ad account, engagement campaign, Page with numbers. */
export interface FacebookWorld {
  token: string;
  adAccountId: string;
  pageId: string;
  campaignId: string;
}

export async function graphControl(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${env.graphUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`graph double ${path}: ${JSON.stringify(json)}`);
  return json;
}

export async function createFacebookWorld(options: {
  connectedNumbers?: string[];
  pageWhatsApp?: 'business' | 'personal' | 'none';
  objective?: string;
  budgetMode?: 'adset' | 'campaign';
  rateLimit?: { max_calls: number; window_ms: number; regain_minutes?: number };
  latencyMs?: number;
} = {}): Promise<FacebookWorld> {
  const world = {
    token: `EAAT${crypto.randomUUID().replace(/-/g, '')}`,
    adAccountId: random(15),
    pageId: random(15),
    campaignId: random(18),
  };
  await graphControl('POST', '/__control/accounts', {
    tokens: [{ token: world.token, ad_account_ids: [world.adAccountId] }],
    ad_accounts: [{ id: world.adAccountId, rate_limit: options.rateLimit, latency_ms: options.latencyMs }],
    campaigns: [{ id: world.campaignId, ad_account_id: world.adAccountId, objective: options.objective ?? 'OUTCOME_ENGAGEMENT', budget_mode: options.budgetMode ?? 'adset' }],
    pages: [{ id: world.pageId, whatsapp: options.pageWhatsApp ?? 'business', numbers: options.connectedNumbers ?? [] }],
  });
  return world;
}

/** Connects the user's account to the world the way the web app does: with the user's own JWT. */
export async function connectFacebook(user: TestUser, world: FacebookWorld): Promise<void> {
  const account = await user.client.from('user_accounts').update({ ad_account_id: world.adAccountId, page_id: world.pageId }).eq('id', user.id);
  if (account.error) throw new Error(`connecting the ad account failed: ${account.error.message}`);
  const token = await user.client.from('user_facebook_tokens').insert({ user_account_id: user.id, access_token: world.token });
  if (token.error) throw new Error(`saving the token failed: ${token.error.message}`);
}

export async function addNumber(user: TestUser, phone: string, extra: Record<string, unknown> = {}): Promise<string> {
  const { data, error } = await user.client.from('whatsapp_phone_numbers').insert({ phone_number: phone, label: `Line ${phone.slice(-4)}`, ...extra }).select('id').single();
  if (error) throw new Error(`adding ${phone} failed: ${error.message}`);
  return data.id;
}

export async function setLegacyNumber(user: TestUser, phone: string): Promise<void> {
  const { error } = await user.client.from('user_accounts').update({ whatsapp_phone_number: phone }).eq('id', user.id);
  if (error) throw new Error(`setting the legacy number failed: ${error.message}`);
}

export async function addDirection(user: TestUser, world: FacebookWorld, extra: Record<string, unknown> = {}): Promise<string> {
  const { data, error } = await user.client.from('account_directions').insert({
    name: `Direction ${crypto.randomUUID().slice(0, 8)}`,
    objective: 'whatsapp',
    daily_budget_cents: 500000,
    target_cpl_cents: 150000,
    fb_campaign_id: world.campaignId,
    default_settings: { targeting: { geo_locations: { countries: ['KZ'] }, age_min: 25, age_max: 55 } },
    ...extra,
  }).select('id').single();
  if (error) throw new Error(`adding a direction failed: ${error.message}`);
  return data.id;
}

export type WorldOptions = Parameters<typeof createFacebookWorld>[0];

/** A fresh user connected (with their own JWT) to a fresh Facebook world. */
export async function connectedUser(options: WorldOptions = {}): Promise<{ user: TestUser; world: FacebookWorld }> {
  const user = await signUp();
  const world = await createFacebookWorld(options);
  await connectFacebook(user, world);
  return { user, world };
}

/**
 * A user ready to launch: connected, with `number` (default +77011112233; null for none) connected on
 * the Page and saved as their default number, and one WhatsApp direction (`direction` overrides).
 */
export async function launchReadyUser(
  options: WorldOptions & { direction?: Record<string, unknown>; number?: string | null } = {},
): Promise<{ user: TestUser; world: FacebookWorld; directionId: string }> {
  const { direction, number: asked, ...worldOptions } = options;
  const number = asked === undefined ? '+77011112233' : asked;
  const { user, world } = await connectedUser({ connectedNumbers: number ? [number] : [], ...worldOptions });
  if (number) await addNumber(user, number);
  const directionId = await addDirection(user, world, direction ?? {});
  return { user, world, directionId };
}

export interface FunctionReply {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

/** Calls a function through the gateway, as supabase-js' functions.invoke does. */
export async function invoke(name: string, body: unknown, authorization: string | null, apikey = env.anonKey): Promise<FunctionReply> {
  const headers: Record<string, string> = { 'content-type': 'application/json', apikey };
  if (authorization) headers.authorization = `Bearer ${authorization}`;
  const res = await fetch(`${env.apiUrl}/functions/v1/${name}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch { /* leave null: the assertion shows the text */ }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

export const launch = (user: TestUser, body: Record<string, unknown>) => invoke('create-adset-in-direction', body, user.accessToken);

export async function graphRequests(world: FacebookWorld): Promise<any[]> {
  return (await graphControl('GET', `/__control/requests?ad_account_id=${world.adAccountId}`)).requests;
}

export async function graphAdSets(world: FacebookWorld): Promise<any[]> {
  return (await graphControl('GET', `/__control/adsets?ad_account_id=${world.adAccountId}`)).adsets;
}

export async function addFaults(world: FacebookWorld, faults: Array<Record<string, unknown>>): Promise<void> {
  await graphControl('POST', '/__control/faults', faults.map((f) => ({ ...f, match: { ad_account_id: world.adAccountId, ...(f.match as object ?? {}) } })));
}

export async function launchRow(launchId: string): Promise<Record<string, any>> {
  const { data, error } = await service.from('adset_launches').select('*').eq('id', launchId).single();
  if (error) throw new Error(`reading launch ${launchId} failed: ${error.message}`);
  return data;
}

export async function launchRowsOf(userId: string): Promise<Record<string, any>[]> {
  const { data, error } = await service.from('adset_launches').select('*').eq('user_account_id', userId).order('created_at');
  if (error) throw new Error(`reading launches failed: ${error.message}`);
  return data;
}

/** The functions' log file written by the stack, for "the token never appears in a log line". */
export async function functionLogs(): Promise<string> {
  if (!env.logDir) throw new Error('STACK_LOG_DIR is not set: the function logs cannot be checked');
  return await Deno.readTextFile(`${env.logDir}/functions.log`);
}

/** Number of log lines mentioning a launch id: the structured line per launch names it. */
export async function logLinesFor(launchId: string): Promise<Record<string, unknown>[]> {
  const text = await functionLogs();
  return text.split('\n').filter((l) => l.includes(launchId)).map((l) => {
    try {
      return JSON.parse(l);
    } catch {
      return { raw: l };
    }
  });
}

export async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  return value;
}
