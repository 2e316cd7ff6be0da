// The double must refuse what Facebook refuses, with Facebook's codes, and accept what Facebook accepts.
// Run: node --import tsx --test tests/graph-double/double.test.ts
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startGraphDouble, type GraphDouble } from './server.ts';

let double: GraphDouble;
const TOKEN = 'EAAB-test-token';
const ACCOUNT = '1001';
const PAGE = '5001';

before(async () => {
  double = await startGraphDouble({ port: 0 });
});
after(() => double.close());
beforeEach(async () => {
  await control('POST', '/__control/reset');
  await control('POST', '/__control/accounts', {
    tokens: [{ token: TOKEN }, { token: 'expired-token', expired: true }, { token: 'other-account-token', ad_account_ids: ['9999'] }],
    ad_accounts: [{ id: `act_${ACCOUNT}` }, { id: '1002', rate_limit: { max_calls: 3, window_ms: 60_000, regain_minutes: 2 } }],
    campaigns: [
      { id: '7001', ad_account_id: ACCOUNT, objective: 'OUTCOME_ENGAGEMENT' },
      { id: '7002', ad_account_id: ACCOUNT, objective: 'OUTCOME_TRAFFIC' },
      { id: '7003', ad_account_id: ACCOUNT, objective: 'OUTCOME_LEADS', budget_mode: 'campaign' },
      { id: '7004', ad_account_id: '1002', objective: 'OUTCOME_ENGAGEMENT' },
    ],
    pages: [
      { id: PAGE, whatsapp: 'business', numbers: ['+77074094375', '77011234567'] },
      { id: '5002', whatsapp: 'personal', numbers: ['+77020000000'] },
      { id: '5003', whatsapp: 'none' },
    ],
    wabas: [{ id: '8001', phone_numbers: [{ id: '9001', display_phone_number: '+7 707 409 4375', verified_name: 'Clinic', quality_rating: 'GREEN', code_verification_status: 'VERIFIED', status: 'CONNECTED' }] }],
  });
});

async function control(method: string, path: string, body?: unknown) {
  const res = await fetch(double.url + path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json();
}

function adSet(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    name: 'Implants · 2025-07-01',
    campaign_id: '7001',
    daily_budget: '500000',
    billing_event: 'IMPRESSIONS',
    optimization_goal: 'CONVERSATIONS',
    destination_type: 'WHATSAPP',
    bid_strategy: 'LOWEST_COST_WITHOUT_CAP',
    targeting: { geo_locations: { countries: ['KZ'] }, age_min: 25, age_max: 55, targeting_automation: { advantage_audience: 0 } },
    status: 'PAUSED',
    promoted_object: { page_id: PAGE, whatsapp_phone_number: '+77074094375' },
    ...overrides,
  };
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
  return fields;
}

/** Posts form-encoded, object fields as JSON strings, the way the Marketing API SDKs do. */
async function post(fields: Record<string, unknown>, opts: { token?: string | null; account?: string; version?: string } = {}) {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) form.set(k, typeof v === 'string' ? v : JSON.stringify(v));
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (opts.token !== null) headers.authorization = `Bearer ${opts.token ?? TOKEN}`;
  const res = await fetch(`${double.url}/${opts.version ?? 'v23.0'}/act_${opts.account ?? ACCOUNT}/adsets`, { method: 'POST', headers, body: form });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

function assertGraphError(reply: { status: number; body: any }, code: number, subcode?: number) {
  assert.ok(reply.status >= 400, `expected an error status, got ${reply.status}`);
  const error = reply.body.error;
  assert.equal(error.code, code, JSON.stringify(error));
  if (subcode !== undefined) assert.equal(error.error_subcode, subcode, JSON.stringify(error));
  assert.equal(error.type, 'OAuthException');
  assert.equal(typeof error.fbtrace_id, 'string');
  assert.equal(typeof error.is_transient, 'boolean');
}

describe('accepts what Facebook accepts', () => {
  it('creates an ad set from a form-encoded request and answers a numeric id', async () => {
    const reply = await post(adSet());
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.match(reply.body.id, /^\d+$/);
    const { adsets } = await control('GET', `/__control/adsets?ad_account_id=${ACCOUNT}`);
    assert.equal(adsets.length, 1);
    assert.equal(adsets[0].fields.promoted_object.whatsapp_phone_number, '+77074094375');
    assert.ok(reply.headers.get('x-business-use-case-usage'));
  });

  it('accepts a JSON body with the token as access_token and a digits-only number', async () => {
    const res = await fetch(`${double.url}/v23.0/act_${ACCOUNT}/adsets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...adSet({ promoted_object: JSON.stringify({ page_id: PAGE, whatsapp_phone_number: '77011234567' }) }), access_token: TOKEN }),
    });
    assert.equal(res.status, 200);
    const { requests } = await control('GET', '/__control/requests');
    assert.equal(requests.at(-1).access_token, TOKEN);
    assert.deepEqual(requests.at(-1).body.promoted_object, { page_id: PAGE, whatsapp_phone_number: '77011234567' });
  });

  it('lets the Page number apply when the number is omitted', async () => {
    const reply = await post(adSet({ promoted_object: { page_id: PAGE } }));
    assert.equal(reply.status, 200);
  });

  it('does not require advantage_audience before v23', async () => {
    const reply = await post(adSet({ targeting: { geo_locations: { countries: ['KZ'] } } }), { version: 'v22.0' });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
  });

  it('answers Page WhatsApp fields and WABA phone numbers', async () => {
    const page = await (await fetch(`${double.url}/v23.0/${PAGE}?fields=has_whatsapp_number,has_whatsapp_business_number,whatsapp_number&access_token=${TOKEN}`)).json();
    assert.deepEqual(page, { id: PAGE, has_whatsapp_number: true, has_whatsapp_business_number: true, whatsapp_number: '77074094375' });
    const personal = await (await fetch(`${double.url}/v23.0/5002?fields=has_whatsapp_business_number&access_token=${TOKEN}`)).json();
    assert.equal(personal.has_whatsapp_business_number, false);
    const numbers = await (await fetch(`${double.url}/v23.0/8001/phone_numbers?fields=display_phone_number,verified_name,status&access_token=${TOKEN}`)).json();
    assert.deepEqual(numbers.data, [{ id: '9001', display_phone_number: '+7 707 409 4375', verified_name: 'Clinic', status: 'CONNECTED' }]);
  });
});

describe('refuses what Facebook refuses', () => {
  it('token: missing 104, unknown 190, expired 190/463', async () => {
    assertGraphError(await post(adSet(), { token: null }), 104);
    assertGraphError(await post(adSet(), { token: 'forged' }), 190);
    assertGraphError(await post(adSet(), { token: 'expired-token' }), 190, 463);
  });

  it('ad account: unknown 100/33, not granted 200', async () => {
    assertGraphError(await post(adSet(), { account: '424242' }), 100, 33);
    const denied = await post(adSet(), { token: 'other-account-token' });
    assertGraphError(denied, 200);
    assert.equal(denied.status, 403);
  });

  it('deprecated API versions: 2635', async () => {
    assertGraphError(await post(adSet(), { version: 'v16.0' }), 2635);
  });

  it('required fields: name, campaign_id, billing_event', async () => {
    assertGraphError(await post(adSet({ name: undefined })), 100);
    assertGraphError(await post(adSet({ campaign_id: undefined })), 100);
    assertGraphError(await post(adSet({ campaign_id: 'abc' })), 100);
    assertGraphError(await post(adSet({ campaign_id: '7999' })), 100, 1885010);
    assertGraphError(await post(adSet({ billing_event: undefined })), 100);
  });

  it('enumerations: billing_event, optimization_goal, destination_type, bid_strategy, status', async () => {
    assertGraphError(await post(adSet({ billing_event: 'LINK_CLICKS' })), 100, 2490487);
    assertGraphError(await post(adSet({ optimization_goal: 'CHATS' })), 100);
    assertGraphError(await post(adSet({ destination_type: undefined })), 100, 2490413);
    assertGraphError(await post(adSet({ destination_type: 'TELEGRAM' })), 100);
    assertGraphError(await post(adSet({ bid_strategy: 'COST_CAP' })), 100, 1815857);
    assertGraphError(await post(adSet({ status: 'RUNNING' })), 100);
    assertGraphError(await post(adSet({ start_time: 'tomorrow' })), 100);
  });

  it('campaign objective must suit WhatsApp conversations: 2490408', async () => {
    assertGraphError(await post(adSet({ campaign_id: '7002' })), 100, 2490408);
  });

  it('budget: none 1885272, with campaign budget 1885621, decimals refused, too low', async () => {
    assertGraphError(await post(adSet({ daily_budget: undefined })), 100, 1885272);
    assertGraphError(await post(adSet({ campaign_id: '7003' })), 100, 1885621);
    assert.equal((await post(adSet({ campaign_id: '7003', daily_budget: undefined }))).status, 200);
    assertGraphError(await post(adSet({ daily_budget: '5000.50' })), 100);
    assertGraphError(await post(adSet({ daily_budget: '50' })), 100, 1885272);
  });

  it('targeting: geo_locations required, advantage_audience required since v23, ages bounded', async () => {
    assertGraphError(await post(adSet({ targeting: undefined })), 100);
    assertGraphError(await post(adSet({ targeting: 'not json' })), 100);
    assertGraphError(await post(adSet({ targeting: { age_min: 20, targeting_automation: { advantage_audience: 0 } } })), 100, 1487756);
    assertGraphError(await post(adSet({ targeting: { geo_locations: { countries: [] }, targeting_automation: { advantage_audience: 0 } } })), 100, 1487756);
    assertGraphError(await post(adSet({ targeting: { geo_locations: { countries: ['KZ'] } } })), 100, 1870227);
    assertGraphError(await post(adSet({ targeting: { geo_locations: { countries: ['KZ'] }, targeting_automation: { advantage_audience: 2 } } })), 100, 1870227);
    assertGraphError(await post(adSet({ targeting: { geo_locations: { countries: ['KZ'] }, age_min: 40, age_max: 30, targeting_automation: { advantage_audience: 0 } } })), 100, 1870087);
  });

  it('promoted_object: page required, no WABA id beside the number, number format', async () => {
    assertGraphError(await post(adSet({ promoted_object: undefined })), 100, 1885014);
    assertGraphError(await post(adSet({ promoted_object: { whatsapp_phone_number: '+77074094375' } })), 100, 1885014);
    assertGraphError(await post(adSet({ promoted_object: { page_id: PAGE, whatsapp_phone_number: '+77074094375', whats_app_business_phone_number_id: '9001' } })), 100);
    assertGraphError(await post(adSet({ promoted_object: { page_id: PAGE, whatsapp_phone_number: '+7 707 409 43 75' } })), 100);
    assertGraphError(await post(adSet({ promoted_object: { page_id: '5999' } })), 100, 1487390);
  });

  it('a number not connected to the Page: 100/1487246', async () => {
    const reply = await post(adSet({ promoted_object: { page_id: PAGE, whatsapp_phone_number: '+77779998877' } }));
    assertGraphError(reply, 100, 1487246);
  });

  it('a Page with a personal WhatsApp: the real 2446885 reply, in Russian', async () => {
    const reply = await post(adSet({ promoted_object: { page_id: '5002' } }));
    assertGraphError(reply, 100, 2446885);
    assert.equal(reply.body.error.message, 'Invalid parameter');
    assert.equal(reply.body.error.error_user_title, 'Требуется Страница с аккаунтом WhatsApp Business');
    assert.match(reply.body.error.error_user_msg, /личному аккаунту/);
  });

  it('a Page not linked to WhatsApp: 100/2446886, with or without a number', async () => {
    assertGraphError(await post(adSet({ promoted_object: { page_id: '5003' } })), 100, 2446886);
    assertGraphError(await post(adSet({ promoted_object: { page_id: '5003', whatsapp_phone_number: '+77074094375' } })), 100, 2446886);
  });

  it('nothing is created by a refused request', async () => {
    await post(adSet({ campaign_id: '7002' }));
    const { adsets } = await control('GET', '/__control/adsets');
    assert.equal(adsets.length, 0);
  });
});

describe('throttling and faults', () => {
  it('business-use-case throttling answers 80004 with estimated_time_to_regain_access', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await post(adSet({ campaign_id: '7004' }), { account: '1002' })).status, 200);
    const limited = await post(adSet({ campaign_id: '7004' }), { account: '1002' });
    assertGraphError(limited, 80004);
    const usage = JSON.parse(limited.headers.get('x-business-use-case-usage')!);
    assert.equal(usage['1002'][0].estimated_time_to_regain_access, 2);
  });

  it('scripted replies: after, times, rate limit headers, transient, token expiry', async () => {
    await control('POST', '/__control/faults', [
      { match: { path: '/adsets' }, after: 1, times: 2, reply: 'rate_limit', code: 17, regain_minutes: 0 },
      { reply: 'transient' },
      { reply: 'token_expired' },
    ]);
    assert.equal((await post(adSet())).status, 200);
    const first = await post(adSet());
    assertGraphError(first, 17, 2446079);
    assert.equal(first.body.error.is_transient, true);
    assert.ok(first.headers.get('x-business-use-case-usage'));
    assertGraphError(await post(adSet()), 17);
    const transient = await post(adSet());
    assertGraphError(transient, 2);
    assert.equal(transient.body.error.is_transient, true);
    assertGraphError(await post(adSet()), 190, 463);
    assert.equal((await post(adSet())).status, 200);
    const { requests } = await control('GET', '/__control/requests');
    assert.deepEqual(requests.map((r: any) => r.fault ?? null), [null, 'rate_limit', 'rate_limit', 'transient', 'token_expired', null]);
  });

  it('hang never answers, drop_connection resets, slow delays, latency applies', async () => {
    await control('POST', '/__control/faults', [{ reply: 'hang' }, { reply: 'drop_connection' }, { reply: 'slow', delay_ms: 150 }]);
    await assert.rejects(
      fetch(`${double.url}/v23.0/act_${ACCOUNT}/adsets`, { method: 'POST', body: 'name=x', signal: AbortSignal.timeout(200) }),
      (error: Error) => error.name === 'TimeoutError',
    );
    await assert.rejects(fetch(`${double.url}/v23.0/act_${ACCOUNT}/adsets`, { method: 'POST', body: 'name=x' }).then((res) => res.text()));
    const started = Date.now();
    assert.equal((await post(adSet())).status, 200);
    assert.ok(Date.now() - started >= 140);
    await control('POST', '/__control/latency', { ms: 60 });
    const again = Date.now();
    await post(adSet());
    assert.ok(Date.now() - again >= 55);
  });

  it('refuses a malformed fault script with a clear message', async () => {
    const res = await fetch(double.url + '/__control/faults', { method: 'POST', body: JSON.stringify({ reply: 'explode' }) });
    assert.equal(res.status, 400);
    assert.match((await res.json()).error, /reply must be one of/);
  });
});
