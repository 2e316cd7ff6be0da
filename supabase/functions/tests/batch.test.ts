// deno-lint-ignore-file no-explicit-any -- JSON from the Graph double and the functions, asserted field by field
// launch-directions: many directions of one user, bounded concurrency, Facebook throttling part-way.
// Every direction ends succeeded or failed with a reason; none is lost, none launched twice.
import assert from 'node:assert/strict';
import {
  addFaults, addNumber, connectedUser, env, graphAdSets, graphRequests, invoke, launchRowsOf, service, signUp, type FacebookWorld, type TestUser,
} from './support.ts';

async function insertDirections(user: TestUser, world: FacebookWorld, count: number, extra: Record<string, unknown> = {}): Promise<string[]> {
  const rows = Array.from({ length: count }, (_, i) => ({
    user_account_id: user.id,
    name: `Batch ${String(i).padStart(4, '0')} ${crypto.randomUUID().slice(0, 6)}`,
    objective: 'whatsapp',
    daily_budget_cents: 300000,
    fb_campaign_id: world.campaignId,
    default_settings: { targeting: { geo_locations: { countries: ['KZ'] } } },
    ...extra,
  }));
  const { data, error } = await service.from('account_directions').insert(rows).select('id, name');
  if (error) throw new Error(`inserting directions failed: ${error.message}`);
  return data.map((d) => d.id);
}

const runBatch = (body: Record<string, unknown>) => invoke('launch-directions', body, env.serviceRoleKey);

Deno.test('200 directions, Facebook throttling part-way: every direction accounted for, none launched twice', async () => {
  const { user, world } = await connectedUser({ connectedNumbers: ['+77011112233'] });
  await addNumber(user, '+77011112233');
  const unconnected = await addNumber(user, '+77990001122');
  const good = await insertDirections(user, world, 195);
  const refused = await insertDirections(user, world, 5, { whatsapp_phone_number_id: unconnected });
  const foreign = crypto.randomUUID();
  const directionIds = [...good, ...refused, foreign];
  // Part-way through, Facebook throttles the ad account: 60 refusals with the usage header.
  await addFaults(world, [{ after: 40, times: 60, reply: 'rate_limit', code: 80004, regain_minutes: 0 }]);

  const reply = await runBatch({ user_account_id: user.id, direction_ids: directionIds, concurrency: 8, batch_id: `nightly-${crypto.randomUUID()}` });
  assert.equal(reply.status, 200, reply.text);
  const results = reply.body.results as Array<{ direction_id: string; ok: boolean; adset_id?: string; error?: { code: string; message: string } }>;
  assert.deepEqual(results.map((r) => r.direction_id), directionIds, 'one result per direction, in order');
  for (const r of results) {
    if (!r.ok) assert.ok(r.error?.code && r.error.message, `a failure carries a reason: ${JSON.stringify(r)}`);
  }
  const byId = new Map(results.map((r) => [r.direction_id, r]));
  for (const id of good) assert.equal(byId.get(id)!.ok, true, `throttling was waited out: ${JSON.stringify(byId.get(id))}`);
  for (const id of refused) assert.equal(byId.get(id)!.error!.code, 'whatsapp_number_rejected');
  assert.equal(byId.get(foreign)!.error!.code, 'direction_not_found');
  assert.equal(reply.body.succeeded, 195);
  assert.equal(reply.body.failed, 6);

  const requests = await graphRequests(world);
  assert.ok(requests.some((r) => r.body?.name && r.response_status === 400 && r.response_body.error.code === 80004), 'throttling happened');
  const adsets = await graphAdSets(world);
  assert.equal(adsets.length, 195, 'one ad set per launched direction');
  assert.equal(new Set(adsets.map((a: any) => a.fields.name.split(' · ')[0])).size, 195, 'no direction got two ad sets');
  assert.deepEqual(new Set(results.filter((r) => r.ok).map((r) => r.adset_id)), new Set(adsets.map((a: any) => a.id)));

  const rows = await launchRowsOf(user.id);
  assert.equal(rows.filter((r) => r.status === 'pending').length, 0, 'no launch left pending');
  const succeededRows = rows.filter((r) => r.status === 'succeeded');
  assert.equal(succeededRows.length, 195);
  assert.equal(new Set(succeededRows.map((r) => r.direction_id)).size, 195);
  assert.ok(!JSON.stringify(rows).includes(world.token));

  // The same batch again (an automation retrying): answers from the records, no new ad set.
  const before = requests.length;
  const retried = await runBatch({ user_account_id: user.id, direction_ids: directionIds, concurrency: 8, batch_id: reply.body.batch_id });
  assert.equal(retried.status, 200, retried.text);
  assert.deepEqual(retried.body.results.map((r: any) => r.adset_id ?? null), results.map((r) => r.adset_id ?? null));
  assert.equal((await graphAdSets(world)).length, 195);
  assert.equal((await graphRequests(world)).length, before, 'nothing sent to Facebook on the replay');
});

Deno.test('without direction_ids: every active WhatsApp direction, not the paused or other objectives', async () => {
  const { user, world } = await connectedUser();
  const active = await insertDirections(user, world, 3);
  await insertDirections(user, world, 1, { is_active: false });
  await insertDirections(user, world, 1, { objective: 'lead_forms' });
  const reply = await runBatch({ user_account_id: user.id });
  assert.equal(reply.status, 200, reply.text);
  assert.deepEqual(reply.body.results.map((r: any) => r.direction_id).sort(), [...active].sort());
  assert.ok(reply.body.results.every((r: any) => r.ok && r.source === 'page_default'));
  assert.equal((await graphAdSets(world)).length, 3);
});

Deno.test('one failure never stops the others: a token expiring mid-batch fails only the directions it hit', async () => {
  const { user, world } = await connectedUser();
  const ids = await insertDirections(user, world, 10);
  await addFaults(world, [{ after: 3, times: 2, reply: 'token_expired' }]);
  const reply = await runBatch({ user_account_id: user.id, direction_ids: ids, concurrency: 2 });
  assert.equal(reply.status, 200, reply.text);
  const failed = reply.body.results.filter((r: any) => !r.ok);
  assert.equal(failed.length, 2);
  assert.ok(failed.every((r: any) => r.error.code === 'facebook_token_invalid'));
  assert.equal((await graphAdSets(world)).length, 8);
});

Deno.test('a throttled launch pauses the whole batch: no worker calls Facebook during the pause', async () => {
  const { user, world } = await connectedUser();
  const ids = await insertDirections(user, world, 24);
  await addFaults(world, [{
    after: 6,
    reply: {
      status: 400,
      headers: { 'retry-after': '1' },
      body: { error: { message: 'User request limit reached', type: 'OAuthException', code: 17, error_subcode: 2446079, is_transient: true, fbtrace_id: 'AbCdEfGhIjK' } },
    },
  }]);
  const reply = await runBatch({ user_account_id: user.id, direction_ids: ids, concurrency: 4 });
  assert.equal(reply.status, 200, reply.text);
  assert.equal(reply.body.succeeded, 24);
  const requests = await graphRequests(world);
  const throttled = requests.find((r) => r.fault);
  assert.ok(throttled);
  const pauseStart = Date.parse(throttled.at);
  // Calls already in flight may land just after the refusal; none may start within the pause.
  const during = requests.filter((r) => Date.parse(r.at) > pauseStart + 250 && Date.parse(r.at) < pauseStart + 900);
  assert.deepEqual(during.map((r) => r.seq), [], 'requests sent while the batch should have been paused');
  assert.equal((await graphAdSets(world)).length, 24);
});

Deno.test('batch input: unknown user 404, not connected 409, bad ids and concurrency 400', async () => {
  const missing = await runBatch({ user_account_id: crypto.randomUUID() });
  assert.equal(missing.status, 404, missing.text);
  assert.equal(missing.body.error.code, 'user_not_found');
  const user = await signUp();
  const notConnected = await runBatch({ user_account_id: user.id });
  assert.equal(notConnected.status, 409, notConnected.text);
  assert.equal(notConnected.body.error.code, 'facebook_not_connected');
  for (const body of [{}, { user_account_id: user.id, direction_ids: [] }, { user_account_id: user.id, direction_ids: ['x'] }, { user_account_id: user.id, concurrency: 64 }]) {
    const reply = await runBatch(body);
    assert.equal(reply.status, 400, reply.text);
    assert.equal(reply.body.error.code, 'invalid_request');
  }
});
