// Every row of DESIGN.md's Graph error table, through the real stack and the Graph double: the
// reply's status and stable code, the retries counted, the audit row, and no token anywhere.
import assert from 'node:assert/strict';
import {
  addDirection, addFaults, connectFacebook, createFacebookWorld, functionLogs, graphAdSets, graphRequests, launch, launchReadyUser, launchRow, signUp, type FacebookWorld, type FunctionReply,
} from './support.ts';

const tokensUsed: string[] = [];

async function setup(options: Parameters<typeof launchReadyUser>[0] = {}) {
  const ready = await launchReadyUser(options);
  tokensUsed.push(ready.world.token);
  return ready;
}

function assertError(reply: FunctionReply, status: number, code: string) {
  assert.equal(reply.status, status, reply.text);
  assert.equal(reply.body.error.code, code, reply.text);
  assert.equal(typeof reply.body.error.message, 'string');
  assert.ok(reply.body.error.message.length > 20, 'a human sentence');
}

async function assertFailedRow(reply: FunctionReply, world: FacebookWorld, expected: { code: number | null; subcode?: number | null; attempts: number }) {
  assert.ok(reply.body.launch_id, `the reply names the launch: ${reply.text}`);
  const row = await launchRow(reply.body.launch_id);
  assert.equal(row.status, 'failed');
  assert.equal(row.fb_adset_id, null);
  assert.equal(row.error_code, expected.code);
  if (expected.subcode !== undefined) assert.equal(row.error_subcode, expected.subcode);
  assert.equal(row.attempts, expected.attempts);
  assert.ok(row.error_message);
  assert.ok(row.finished_at);
  if (expected.code !== null) assert.ok(row.fb_trace_id, 'Facebook trace id kept');
  assert.ok(!JSON.stringify(row).includes(world.token), 'no token in the audit row');
  assert.ok(!reply.text.includes(world.token), 'no token in the reply');
  return row;
}

Deno.test('190 expired token: 401 facebook_token_invalid, no retry, audit failed 190/463', async () => {
  const { user, world, directionId } = await setup();
  await addFaults(world, [{ reply: 'token_expired' }]);
  const reply = await launch(user, { direction_id: directionId });
  assertError(reply, 401, 'facebook_token_invalid');
  assert.match(reply.body.error.message, /Reconnect Facebook/);
  assert.equal(reply.body.error.facebook.code, 190);
  assert.equal((await graphRequests(world)).length, 1);
  await assertFailedRow(reply, world, { code: 190, subcode: 463, attempts: 1 });
});

Deno.test('190 unknown token: the stored token is not one Facebook knows', async () => {
  const user = await signUp();
  const world = await createFacebookWorld();
  const stale = { ...world, token: `EAAT${crypto.randomUUID().replace(/-/g, '')}` };
  tokensUsed.push(stale.token);
  await connectFacebook(user, stale);
  const directionId = await addDirection(user, world);
  const reply = await launch(user, { direction_id: directionId });
  assertError(reply, 401, 'facebook_token_invalid');
  await assertFailedRow(reply, stale, { code: 190, attempts: 1 });
});

Deno.test('100/1487246 number not on the Page: 422 naming number and Page, never retried without the number', async () => {
  const { user, world, directionId } = await setup({ connectedNumbers: ['+77990000000'] });
  const reply = await launch(user, { direction_id: directionId });
  assertError(reply, 422, 'whatsapp_number_rejected');
  assert.match(reply.body.error.message, /\+77011112233/);
  assert.match(reply.body.error.message, new RegExp(world.pageId));
  assert.equal(reply.body.error.facebook.subcode, 1487246);
  const requests = await graphRequests(world);
  assert.equal(requests.length, 1, 'no silent retry with the Page number');
  const row = await assertFailedRow(reply, world, { code: 100, subcode: 1487246, attempts: 1 });
  assert.equal(row.phone_number, '+77011112233');
  assert.equal(row.used_page_fallback, false);
});

Deno.test('100/1487246 with Page fallback allowed: launched with the Page number, fallback recorded', async () => {
  const { user, world, directionId } = await setup({ connectedNumbers: ['+77990000000'], direction: { allow_page_number_fallback: true } });
  const reply = await launch(user, { direction_id: directionId });
  assert.equal(reply.status, 200, reply.text);
  assert.equal(reply.body.used_page_fallback, true);
  assert.equal(reply.body.source, 'page_default');
  assert.equal(reply.body.whatsapp_phone_number, null);
  const requests = await graphRequests(world);
  assert.equal(requests.length, 2);
  assert.equal(requests[0].body.promoted_object.whatsapp_phone_number, '+77011112233');
  assert.equal('whatsapp_phone_number' in requests[1].body.promoted_object, false);
  const row = await launchRow(reply.body.launch_id);
  assert.equal(row.status, 'succeeded');
  assert.equal(row.used_page_fallback, true);
  assert.equal(row.number_source, 'page_default');
  assert.equal(row.phone_number, null);
  assert.equal(row.error_subcode, 1487246, 'the refusal that caused the fallback is kept');
  assert.match(row.error_message, /\+77011112233/);
  assert.equal(row.attempts, 2);
  assert.equal('whatsapp_phone_number' in row.request.body.promoted_object, false, 'the request as finally sent');
});

Deno.test("100/2446885 Page with a personal WhatsApp: 422 with Facebook's Russian words, no fallback even when allowed", async () => {
  const { user, world, directionId } = await setup({ pageWhatsApp: 'personal', direction: { allow_page_number_fallback: true } });
  const reply = await launch(user, { direction_id: directionId });
  assertError(reply, 422, 'whatsapp_number_rejected');
  assert.match(reply.body.error.message, new RegExp(`Page ${world.pageId}`));
  assert.match(reply.body.error.message, /personal/);
  assert.equal(reply.body.error.facebook.user_title, 'Требуется Страница с аккаунтом WhatsApp Business');
  assert.match(reply.body.error.facebook.user_msg, /личному аккаунту/);
  assert.equal((await graphRequests(world)).length, 1, 'leaving the number out cannot help: not retried');
  const row = await assertFailedRow(reply, world, { code: 100, subcode: 2446885, attempts: 1 });
  assert.equal(row.error_user_title, 'Требуется Страница с аккаунтом WhatsApp Business');
  assert.equal(row.used_page_fallback, false);
});

Deno.test('100/2446886 Page not linked to WhatsApp: 422 naming the Page', async () => {
  const { user, world, directionId } = await setup({ pageWhatsApp: 'none', direction: { allow_page_number_fallback: true } });
  const reply = await launch(user, { direction_id: directionId });
  assertError(reply, 422, 'whatsapp_number_rejected');
  assert.match(reply.body.error.message, new RegExp(`Page ${world.pageId} is not linked to WhatsApp`));
  assert.equal((await graphRequests(world)).length, 1);
  await assertFailedRow(reply, world, { code: 100, subcode: 2446886, attempts: 1 });
});

Deno.test("100 other (campaign objective 2490408, campaign budget 1885621): 422 facebook_invalid_parameter with Facebook's message", async () => {
  const traffic = await setup({ objective: 'OUTCOME_TRAFFIC' });
  const reply = await launch(traffic.user, { direction_id: traffic.directionId });
  assertError(reply, 422, 'facebook_invalid_parameter');
  assert.match(reply.body.error.message, /objective OUTCOME_TRAFFIC/);
  assert.equal(reply.body.error.facebook.subcode, 2490408);
  await assertFailedRow(reply, traffic.world, { code: 100, subcode: 2490408, attempts: 1 });

  const cbo = await setup({ budgetMode: 'campaign' });
  const cboReply = await launch(cbo.user, { direction_id: cbo.directionId });
  assertError(cboReply, 422, 'facebook_invalid_parameter');
  assert.equal(cboReply.body.error.facebook.subcode, 1885621);
});

Deno.test('10/200 permissions: 403 facebook_permission_denied, no retry', async () => {
  const { user, world, directionId } = await setup();
  await addFaults(world, [{ reply: 'permission' }]);
  const reply = await launch(user, { direction_id: directionId });
  assertError(reply, 403, 'facebook_permission_denied');
  assert.match(reply.body.error.message, new RegExp(`act_${world.adAccountId}`));
  await assertFailedRow(reply, world, { code: 200, attempts: 1 });
});

Deno.test('transient (code 2) twice then success: retried, one ad set, attempts counted', async () => {
  const { user, world, directionId } = await setup();
  await addFaults(world, [{ reply: 'transient', times: 2 }]);
  const reply = await launch(user, { direction_id: directionId });
  assert.equal(reply.status, 200, reply.text);
  assert.equal((await graphRequests(world)).length, 3);
  assert.equal((await graphAdSets(world)).length, 1);
  const row = await launchRow(reply.body.launch_id);
  assert.equal(row.attempts, 3);
  assert.equal(row.status, 'succeeded');
});

Deno.test('unknown error (code 1, is_transient) once then success: retried', async () => {
  const { user, world, directionId } = await setup();
  await addFaults(world, [{ reply: 'unknown_error' }]);
  const reply = await launch(user, { direction_id: directionId });
  assert.equal(reply.status, 200, reply.text);
  assert.equal((await launchRow(reply.body.launch_id)).attempts, 2);
});

Deno.test('transient every time: bounded attempts, 503 facebook_unavailable with Retry-After', async () => {
  const { user, world, directionId } = await setup();
  await addFaults(world, [{ reply: 'transient', times: 20 }]);
  const reply = await launch(user, { direction_id: directionId });
  assertError(reply, 503, 'facebook_unavailable');
  assert.ok(Number(reply.headers.get('retry-after')) >= 1);
  const attempts = (await graphRequests(world)).length;
  assert.ok(attempts >= 2 && attempts <= 10, `bounded retries, got ${attempts}`);
  await assertFailedRow(reply, world, { code: 2, attempts });
});

Deno.test('rate limit (17, usage header says 0 minutes) twice then success: backed off and retried', async () => {
  const { user, world, directionId } = await setup();
  await addFaults(world, [{ reply: 'rate_limit', code: 17, regain_minutes: 0, times: 2 }]);
  const reply = await launch(user, { direction_id: directionId });
  assert.equal(reply.status, 200, reply.text);
  assert.equal((await launchRow(reply.body.launch_id)).attempts, 3);
  assert.equal((await graphAdSets(world)).length, 1);
});

Deno.test('rate limit with Retry-After 1 s: the retry waits at least that long, then succeeds', async () => {
  const { user, world, directionId } = await setup();
  await addFaults(world, [{
    reply: {
      status: 400,
      headers: { 'retry-after': '1' },
      body: { error: { message: 'User request limit reached', type: 'OAuthException', code: 17, error_subcode: 2446079, is_transient: true, fbtrace_id: 'AbCdEfGhIjK' } },
    },
  }]);
  const reply = await launch(user, { direction_id: directionId });
  assert.equal(reply.status, 200, reply.text);
  const requests = await graphRequests(world);
  assert.equal(requests.length, 2);
  const gap = Date.parse(requests[1].at) - Date.parse(requests[0].at);
  assert.ok(gap >= 950, `waited ${gap} ms before retrying`);
});

Deno.test('rate limit with estimated_time_to_regain_access 5 minutes: 429 with Retry-After 300, no sleeping', async () => {
  const { user, world, directionId } = await setup();
  await addFaults(world, [{ reply: 'rate_limit', code: 80004, regain_minutes: 5, times: 5 }]);
  const started = Date.now();
  const reply = await launch(user, { direction_id: directionId });
  assertError(reply, 429, 'facebook_rate_limited');
  assert.equal(reply.headers.get('retry-after'), '300');
  assert.ok(Date.now() - started < 5000, 'answered at once instead of waiting five minutes');
  assert.equal((await graphRequests(world)).length, 1);
  await assertFailedRow(reply, world, { code: 80004, attempts: 1 });
});

Deno.test('rate limit (613) every time: bounded retries then 429', async () => {
  const { user, world, directionId } = await setup();
  await addFaults(world, [{ reply: 'rate_limit', code: 613, regain_minutes: 0, times: 20 }]);
  const reply = await launch(user, { direction_id: directionId });
  assertError(reply, 429, 'facebook_rate_limited');
  const attempts = (await graphRequests(world)).length;
  assert.ok(attempts >= 2 && attempts <= 10, `bounded retries, got ${attempts}`);
  await assertFailedRow(reply, world, { code: 613, subcode: 1487742, attempts });
});

Deno.test('a call that never ends is cut by the timeout: 504, not retried (the ad set might exist)', async () => {
  const { user, world, directionId } = await setup();
  await addFaults(world, [{ reply: 'hang' }]);
  const started = Date.now();
  const reply = await launch(user, { direction_id: directionId });
  assertError(reply, 504, 'facebook_timeout');
  assert.match(reply.body.error.message, /Ads Manager/);
  assert.ok(Date.now() - started < 30_000);
  assert.equal((await graphRequests(world)).length, 1);
  const row = await assertFailedRow(reply, world, { code: null, attempts: 1 });
  assert.match(row.error_message, /^facebook_timeout: /);
  // Replaying the same key answers the same outcome from the audit row, without calling Facebook.
  const replay = await launch(user, { direction_id: directionId, idempotency_key: row.idempotency_key });
  assertError(replay, 504, 'facebook_timeout');
  assert.equal((await graphRequests(world)).length, 1);
});

Deno.test('dropped connection: 503 facebook_unavailable, not retried, audit failed', async () => {
  const { user, world, directionId } = await setup();
  await addFaults(world, [{ reply: 'drop_connection' }]);
  const reply = await launch(user, { direction_id: directionId });
  assertError(reply, 503, 'facebook_unavailable');
  assert.equal((await graphRequests(world)).length, 1);
  await assertFailedRow(reply, world, { code: null, attempts: 1 });
});

Deno.test('a failed launch replayed with its key: same reply, no second Graph call', async () => {
  const { user, world, directionId } = await setup({ connectedNumbers: ['+77990000000'] });
  const first = await launch(user, { direction_id: directionId, idempotency_key: 'retry-after-refusal' });
  assertError(first, 422, 'whatsapp_number_rejected');
  const again = await launch(user, { direction_id: directionId, idempotency_key: 'retry-after-refusal' });
  assertError(again, 422, 'whatsapp_number_rejected');
  assert.equal(again.body.launch_id, first.body.launch_id);
  assert.equal(again.body.error.message, first.body.error.message);
  assert.equal((await graphRequests(world)).length, 1);
});

Deno.test('not connected to Facebook: 409 facebook_not_connected naming what is missing, nothing written', async () => {
  const user = await signUp();
  const world = await createFacebookWorld();
  await user.client.from('user_accounts').update({ ad_account_id: world.adAccountId }).eq('id', user.id);
  const directionId = await addDirection(user, world);
  const reply = await launch(user, { direction_id: directionId });
  assertError(reply, 409, 'facebook_not_connected');
  assert.match(reply.body.error.message, /Facebook Page/);
  assert.match(reply.body.error.message, /access token/);
  const { data } = await user.client.from('adset_launches').select('id');
  assert.deepEqual(data, []);
});

Deno.test('directions that cannot launch: not WhatsApp 422, inactive 409, no campaign 409', async () => {
  const { user, world } = await setup();
  const leadForms = await addDirection(user, world, { objective: 'lead_forms' });
  assertError(await launch(user, { direction_id: leadForms }), 422, 'direction_not_whatsapp');
  const inactive = await addDirection(user, world, { is_active: false });
  assertError(await launch(user, { direction_id: inactive }), 409, 'direction_inactive');
  const noCampaign = await addDirection(user, world, { fb_campaign_id: null });
  assertError(await launch(user, { direction_id: noCampaign }), 409, 'direction_campaign_missing');
  assert.equal((await graphRequests(world)).length, 0);
});

Deno.test('bad input: 400 invalid_request saying what is expected', async () => {
  const { user, directionId } = await setup();
  const cases: Array<[unknown, RegExp]> = [
    [{}, /direction_id is required/],
    [{ direction_id: 'implants' }, /must be a UUID/],
    [{ direction_id: directionId, status: 'RUNNING' }, /"ACTIVE" or "PAUSED"/],
    [{ direction_id: directionId, dry_run: 'yes' }, /true or false/],
    [{ direction_id: directionId, daily_budget_cents: -5 }, /whole number/],
    [{ direction_id: directionId, daily_budget_cents: 10.5 }, /whole number/],
    [{ direction_id: directionId, idempotency_key: 'has spaces' }, /idempotency_key must be/],
    [{ direction_id: directionId, directionId }, /Unknown field directionId/],
    [[directionId], /JSON object/],
    ['{not json', /not valid JSON/],
  ];
  for (const [body, message] of cases) {
    const reply = await launch(user, body as Record<string, unknown>);
    assertError(reply, 400, 'invalid_request');
    assert.match(reply.body.error.message, message);
  }
  assertError(await launch(user, { direction_id: crypto.randomUUID() }), 404, 'direction_not_found');
});

Deno.test('the function logs never contain a Facebook token', async () => {
  const logs = await functionLogs();
  assert.ok(tokensUsed.length > 10);
  for (const token of tokensUsed) assert.ok(!logs.includes(token), 'a token reached the function logs');
  assert.match(logs, /Ad set launch failed/, 'the failures above were logged');
});
