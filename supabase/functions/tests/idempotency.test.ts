// The same idempotency key never creates a second ad set: not when repeated, not when 20 identical
// requests arrive together, and a launch that never finished says so instead of launching again.
import assert from 'node:assert/strict';
import {
  addDirection, addFaults, graphAdSets, graphControl, graphRequests, launch, launchReadyUser, launchRow, service,
} from './support.ts';

const setup = () => launchReadyUser();

Deno.test('20 concurrent identical requests: one Graph call, one ad set, one audit row, 20 identical answers', async () => {
  const { user, world, directionId } = await setup();
  // Facebook answers slowly so that every request arrives while the first is still in flight.
  await graphControl('POST', '/__control/latency', { ms: 300, ad_account_id: world.adAccountId });
  const body = { direction_id: directionId, idempotency_key: `launch-${crypto.randomUUID()}` };
  const replies = await Promise.all(Array.from({ length: 20 }, () => launch(user, body)));
  for (const reply of replies) assert.equal(reply.status, 200, reply.text);
  assert.equal(new Set(replies.map((r) => r.body.launch_id)).size, 1);
  assert.equal(new Set(replies.map((r) => r.body.adset_id)).size, 1);
  assert.equal(replies.filter((r) => r.body.replayed !== true).length, 1, 'one request launched, the others replayed it');
  assert.equal((await graphRequests(world)).length, 1);
  assert.equal((await graphAdSets(world)).length, 1);
  const { data } = await service.from('adset_launches').select('id, status').eq('user_account_id', user.id);
  assert.deepEqual(data, [{ id: replies[0].body.launch_id, status: 'succeeded' }]);
});

Deno.test('the same key later: the first result, no new call; a new key launches again', async () => {
  const { user, world, directionId } = await setup();
  const first = await launch(user, { direction_id: directionId, idempotency_key: 'monday-launch' });
  assert.equal(first.status, 200, first.text);
  const again = await launch(user, { direction_id: directionId, idempotency_key: 'monday-launch' });
  assert.equal(again.status, 200);
  assert.equal(again.body.adset_id, first.body.adset_id);
  assert.equal(again.body.replayed, true);
  assert.equal((await graphRequests(world)).length, 1);
  const other = await launch(user, { direction_id: directionId, idempotency_key: 'tuesday-launch' });
  assert.notEqual(other.body.adset_id, first.body.adset_id);
  assert.equal((await graphAdSets(world)).length, 2);
});

Deno.test('the Idempotency-Key header works like the body field', async () => {
  const { user, world, directionId } = await setup();
  const call = () =>
    fetch(`${Deno.env.get('STACK_API_URL')}/functions/v1/create-adset-in-direction`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.accessToken}`, 'content-type': 'application/json', 'idempotency-key': 'header-key-1' },
      body: JSON.stringify({ direction_id: directionId }),
    }).then((r) => r.json());
  const [a, b] = [await call(), await call()];
  assert.match(a.adset_id, /^\d+$/, `the first call launched: ${JSON.stringify(a)}`);
  assert.equal(a.adset_id, b.adset_id);
  assert.equal(b.replayed, true, 'the second call was answered from the first launch');
  assert.equal((await graphRequests(world)).length, 1);
});

Deno.test('a key reused for another direction: 409 idempotency_key_reused, nothing sent', async () => {
  const { user, world, directionId } = await setup();
  const second = await addDirection(user, world);
  assert.equal((await launch(user, { direction_id: directionId, idempotency_key: 'shared' })).status, 200);
  const reply = await launch(user, { direction_id: second, idempotency_key: 'shared' });
  assert.equal(reply.status, 409, reply.text);
  assert.equal(reply.body.error.code, 'idempotency_key_reused');
  assert.equal((await graphRequests(world)).length, 1);
});

Deno.test('keys are per user: two users may use the same key', async () => {
  const a = await setup();
  const b = await setup();
  assert.equal((await launch(a.user, { direction_id: a.directionId, idempotency_key: 'daily' })).status, 200);
  assert.equal((await launch(b.user, { direction_id: b.directionId, idempotency_key: 'daily' })).status, 200);
  assert.equal((await graphAdSets(b.world)).length, 1);
});

Deno.test('a launch that crashed mid-way (row left pending): the key answers 409 launch_outcome_unknown, never relaunches', async () => {
  const { user, world, directionId } = await setup();
  const { error } = await service.from('adset_launches').insert({
    user_account_id: user.id,
    direction_id: directionId,
    number_source: 'default',
    phone_number: '+77011112233',
    status: 'pending',
    idempotency_key: 'crashed-launch',
    started_at: new Date(Date.now() - 3_600_000).toISOString(),
  });
  assert.equal(error, null);
  const reply = await launch(user, { direction_id: directionId, idempotency_key: 'crashed-launch' });
  assert.equal(reply.status, 409, reply.text);
  assert.equal(reply.body.error.code, 'launch_outcome_unknown');
  assert.match(reply.body.error.message, /Ads Manager/);
  assert.equal((await graphRequests(world)).length, 0);
});

Deno.test('a pending row nobody keeps alive (its process died) is ended as launch_outcome_unknown at once, and answered so again', async () => {
  const { user, world, directionId } = await setup();
  // Started a minute ago (well within a launch's longest legitimate life) but untouched since: no heartbeat.
  const minuteAgo = new Date(Date.now() - 60_000).toISOString();
  const { data, error } = await service.from('adset_launches').insert({
    user_account_id: user.id,
    direction_id: directionId,
    number_source: 'default',
    phone_number: '+77011112233',
    status: 'pending',
    idempotency_key: 'abandoned-launch',
    started_at: minuteAgo,
    updated_at: minuteAgo,
  }).select('id').single();
  assert.equal(error, null);
  const started = Date.now();
  const reply = await launch(user, { direction_id: directionId, idempotency_key: 'abandoned-launch' });
  assert.ok(Date.now() - started < 5_000, `answered after ${Date.now() - started} ms`);
  assert.equal(reply.status, 409, reply.text);
  assert.equal(reply.body.error.code, 'launch_outcome_unknown');
  assert.equal(reply.body.launch_id, data!.id);
  const row = await launchRow(data!.id);
  assert.equal(row.status, 'failed');
  assert.match(row.error_message, /^launch_outcome_unknown: /);
  assert.ok(row.finished_at);
  const again = await launch(user, { direction_id: directionId, idempotency_key: 'abandoned-launch' });
  assert.equal(again.status, 409, again.text);
  assert.equal(again.body.error.code, 'launch_outcome_unknown');
  assert.equal((await graphRequests(world)).length, 0);
});

Deno.test('a replayed failure answers the code of the first answer: is_transient with an unknown code stays facebook_unavailable', async () => {
  const { user, world, directionId } = await setup();
  const attempts = Number(Deno.env.get('FACEBOOK_MAX_ATTEMPTS') ?? 4);
  await addFaults(world, Array.from({ length: attempts }, () => ({
    reply: { status: 500, body: { error: { message: 'Something odd', type: 'OAuthException', code: 99, is_transient: true, fbtrace_id: 'Atransient99' } } },
  })));
  const body = { direction_id: directionId, idempotency_key: 'transient-99' };
  const first = await launch(user, body);
  assert.equal(first.status, 503, first.text);
  assert.equal(first.body.error.code, 'facebook_unavailable');
  const row = await launchRow(first.body.launch_id);
  assert.equal(row.error_code, 99);
  assert.match(row.error_message, /^facebook_unavailable: Something odd$/);
  const again = await launch(user, body);
  assert.equal(again.status, 503, again.text);
  assert.equal(again.body.error.code, 'facebook_unavailable');
  assert.equal(again.body.launch_id, first.body.launch_id);
  assert.equal(again.body.error.facebook.message, 'Something odd', 'the stored code is not part of Facebook\'s message');
  assert.equal((await graphRequests(world)).length, attempts);
});

Deno.test('without a key every launch gets its own record', async () => {
  const { user, world, directionId } = await setup();
  const a = await launch(user, { direction_id: directionId });
  const b = await launch(user, { direction_id: directionId });
  assert.notEqual(a.body.launch_id, b.body.launch_id);
  assert.equal((await graphAdSets(world)).length, 2);
});
