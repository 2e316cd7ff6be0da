// Who may launch what: anon and forged JWTs are refused, users act only on their own directions,
// automations with the service role act on anyone's, and only automations run batches.
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import {
  connectFacebook, createFacebookWorld, env, graphRequests, invoke, launch, launchReadyUser, launchRow, signUp,
} from './support.ts';

const setup = () => launchReadyUser();

Deno.test('anon key: 401, nothing sent', async () => {
  const { world, directionId } = await setup();
  const reply = await invoke('create-adset-in-direction', { direction_id: directionId }, env.anonKey);
  assert.equal(reply.status, 401, reply.text);
  assert.equal(reply.body.error.code, 'unauthorized');
  assert.equal((await graphRequests(world)).length, 0);
});

Deno.test('no Authorization header: 401', async () => {
  const { directionId } = await setup();
  const reply = await invoke('create-adset-in-direction', { direction_id: directionId }, null);
  assert.equal(reply.status, 401, reply.text);
});

Deno.test('forged JWT (service_role claim signed with another secret): 401, nothing sent', async () => {
  const { world, directionId } = await setup();
  const forged = await new SignJWT({ role: 'service_role' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode('not-the-stack-secret-but-long-enough-for-hs256'));
  const reply = await invoke('create-adset-in-direction', { direction_id: directionId }, forged);
  assert.equal(reply.status, 401, reply.text);
  assert.equal((await graphRequests(world)).length, 0);
});

Deno.test('expired user JWT: 401', async () => {
  const { user, directionId } = await setup();
  const expired = await new SignJWT({ role: 'authenticated', sub: user.id })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
    .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
    .sign(new TextEncoder().encode(env.jwtSecret));
  const reply = await invoke('create-adset-in-direction', { direction_id: directionId }, expired);
  assert.equal(reply.status, 401, reply.text);
});

Deno.test("another user's direction: 404 as if it did not exist, nothing sent or written", async () => {
  const owner = await setup();
  const intruder = await signUp();
  const intruderWorld = await createFacebookWorld();
  await connectFacebook(intruder, intruderWorld);
  const reply = await launch(intruder, { direction_id: owner.directionId });
  assert.equal(reply.status, 404, reply.text);
  assert.equal(reply.body.error.code, 'direction_not_found');
  assert.equal((await graphRequests(owner.world)).length, 0);
  assert.equal((await graphRequests(intruderWorld)).length, 0);
  const dry = await launch(intruder, { direction_id: owner.directionId, dry_run: true });
  assert.equal(dry.status, 404, 'a dry run reveals nothing either');
  assert.ok(!dry.text.includes(owner.world.adAccountId));
});

Deno.test("service role: launches any user's direction with that user's connection", async () => {
  const { user, world, directionId } = await setup();
  const reply = await invoke('create-adset-in-direction', { direction_id: directionId }, env.serviceRoleKey);
  assert.equal(reply.status, 200, reply.text);
  assert.equal(reply.body.source, 'default');
  const requests = await graphRequests(world);
  assert.equal(requests.length, 1);
  assert.equal(requests[0].access_token, world.token, "the direction's user's token was used");
  const row = await launchRow(reply.body.launch_id);
  assert.equal(row.user_account_id, user.id);
  assert.ok(!reply.text.includes(world.token));
});

Deno.test('the user sees their own launch rows, not the token', async () => {
  const { user, world, directionId } = await setup();
  const reply = await launch(user, { direction_id: directionId });
  assert.equal(reply.status, 200, reply.text);
  const { data, error } = await user.client.from('adset_launches').select('*').eq('id', reply.body.launch_id);
  assert.equal(error, null);
  assert.equal(data!.length, 1);
  assert.ok(!JSON.stringify(data).includes(world.token));
  const token = await user.client.from('user_facebook_tokens').select('access_token');
  assert.ok(token.error || token.data?.every((row) => row.access_token === null), 'the browser cannot read the token back');
});

Deno.test('launch-directions: a user JWT is refused with 403, anon with 401', async () => {
  const { user } = await setup();
  const asUser = await invoke('launch-directions', { user_account_id: user.id }, user.accessToken);
  assert.equal(asUser.status, 403, asUser.text);
  assert.equal(asUser.body.error.code, 'forbidden');
  const asAnon = await invoke('launch-directions', { user_account_id: user.id }, env.anonKey);
  assert.equal(asAnon.status, 401, asAnon.text);
});

Deno.test('CORS preflight answers with Supabase\'s headers', async () => {
  const res = await fetch(`${env.apiUrl}/functions/v1/create-adset-in-direction`, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173' } });
  await res.body?.cancel();
  assert.equal(res.status, 200);
  assert.match(res.headers.get('access-control-allow-headers') ?? '', /authorization/);
});
