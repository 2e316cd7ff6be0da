// Forged and stale JWTs: wrong secret, expired, a forged service_role, alg "none", and a valid JWT
// of a user who has since been deleted. Checked against PostgREST, Auth and the functions.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  WRONG_SECRET, clientWithJwt, closeDb, createUser, db, describe, graphRequests, http, publicRelations, signJwt, signUp,
  unchanged, uniquePhone, type TestUser,
} from './support.ts';

let a: TestUser;
before(async () => { a = await createUser('jwt-victim'); });
after(closeDb);

const now = () => Math.floor(Date.now() / 1000);

/** A JWT is refused everywhere: PostgREST read and write, Auth's /user, and both functions. */
async function assertRefusedEverywhere(jwt: string, label: string): Promise<void> {
  const before = (await graphRequests()).length;
  await unchanged([a.id], async () => {
    const read = await http('/rest/v1/whatsapp_phone_numbers?select=*', { bearer: jwt });
    assert.equal(read.status, 401, `${label} read: ${describe(read)}`);
    const tokens = await http('/rest/v1/user_facebook_tokens?select=*', { bearer: jwt });
    assert.equal(tokens.status, 401, `${label} token read: ${describe(tokens)}`);
    assert.ok(!tokens.text.includes(a.facebookToken));
    const write = await http(`/rest/v1/whatsapp_phone_numbers?id=eq.${a.numbers[0].id}`, { method: 'PATCH', bearer: jwt, body: { label: 'forged' } });
    assert.equal(write.status, 401, `${label} write: ${describe(write)}`);
    const insert = await http('/rest/v1/whatsapp_phone_numbers', { method: 'POST', bearer: jwt, body: { user_account_id: a.id, phone_number: uniquePhone() } });
    assert.equal(insert.status, 401, `${label} insert: ${describe(insert)}`);
    const rpc = await http('/rest/v1/rpc/retire_whatsapp_number', { method: 'POST', bearer: jwt, body: { number_id: a.numbers[1].id } });
    assert.equal(rpc.status, 401, `${label} rpc: ${describe(rpc)}`);
    const user = await http('/auth/v1/user', { bearer: jwt });
    assert.ok([401, 403].includes(user.status), `${label} /auth/v1/user: ${describe(user)}`);
    const launch = await http('/functions/v1/create-adset-in-direction', { method: 'POST', bearer: jwt, body: { direction_id: a.directions[0].id } });
    assert.equal(launch.status, 401, `${label} create-adset-in-direction: ${describe(launch)}`);
    const batch = await http('/functions/v1/launch-directions', { method: 'POST', bearer: jwt, body: { user_account_id: a.id } });
    assert.equal(batch.status, 401, `${label} launch-directions: ${describe(batch)}`);
  });
  assert.equal((await graphRequests()).length, before, `${label}: the Graph double received no request`);
}

test('a JWT for A signed with the wrong secret: 401 on PostgREST, Auth and functions, nothing changed', async () => {
  await assertRefusedEverywhere(await signJwt({ sub: a.id, role: 'authenticated' }, WRONG_SECRET), 'wrong secret');
});

test('an expired JWT for A (right secret, exp in the past): 401 everywhere, nothing changed', async () => {
  await assertRefusedEverywhere(await signJwt({ sub: a.id, role: 'authenticated' }, undefined, now() - 60), 'expired');
});

test('a forged role: service_role JWT signed with the wrong secret: 401 everywhere, no token read, nothing changed', async () => {
  await assertRefusedEverywhere(await signJwt({ role: 'service_role', iss: 'supabase-demo' }, WRONG_SECRET), 'forged service_role');
});

test('an unsigned JWT (alg "none") and a tampered payload on a real session token are refused', async () => {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: a.id, role: 'service_role', exp: now() + 3600 })}.`;
  await assertRefusedEverywhere(none, 'alg none');
  // Someone else's real session with the payload swapped to A (and to service_role): signature no longer matches.
  const thief = await signUp('jwt-thief');
  const [header, payload, signature] = thief.accessToken.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  await assertRefusedEverywhere(`${header}.${b64({ ...claims, sub: a.id })}.${signature}`, 'tampered sub');
  await assertRefusedEverywhere(`${header}.${b64({ ...claims, role: 'service_role' })}.${signature}`, 'tampered role');
});

test('the anon key with role swapped to service_role (re-signed with a wrong secret) used as apikey: refused by the gateway', async () => {
  const forgedKey = await signJwt({ role: 'service_role', iss: 'supabase-demo' }, WRONG_SECRET);
  await unchanged([a.id], async () => {
    const res = await http('/rest/v1/user_facebook_tokens?select=*', { apikey: forgedKey });
    assert.equal(res.status, 401, describe(res));
    assert.ok(!res.text.includes(a.facebookToken));
  });
});

test('a valid JWT of a deleted user sees nothing and writes nothing (PostgREST and functions)', async () => {
  const ghost = await createUser('jwt-ghost');
  const jwt = ghost.accessToken;
  await db().query('delete from auth.users where id = $1', [ghost.id]);
  const { rows } = await db().query('select count(*)::int as n from public.user_accounts where id = $1', [ghost.id]);
  assert.equal(rows[0].n, 0, 'deleting the auth user cascaded to the account');

  const relations = await publicRelations();
  const before = (await graphRequests()).length;
  await unchanged([a.id, ghost.id], async () => {
    for (const r of relations) {
      const columns = r.columns.filter((c) => c !== 'access_token').join(',');
      const res = await http(`/rest/v1/${r.name}?select=${columns}`, { bearer: jwt });
      assert.equal(res.status, 200, `${r.name}: ${describe(res)}`);
      assert.deepEqual(res.json, [], `the deleted user sees no rows in ${r.name}`);
    }
    const ghostClient = clientWithJwt(jwt);
    const number = await ghostClient.from('whatsapp_phone_numbers').insert({ phone_number: uniquePhone() });
    assert.ok(['42501', '23503'].includes(number.error?.code ?? ''), `number insert refused: ${JSON.stringify(number.error)}`);
    const direction = await ghostClient.from('account_directions').insert({ name: 'ghost', daily_budget_cents: 100 });
    assert.ok(['42501', '23503'].includes(direction.error?.code ?? ''), `direction insert refused: ${JSON.stringify(direction.error)}`);
    const token = await ghostClient.from('user_facebook_tokens').insert({ access_token: `ghost-${randomUUID()}` });
    assert.ok(['42501', '23503'].includes(token.error?.code ?? ''), `token insert refused: ${JSON.stringify(token.error)}`);
    const account = await ghostClient.from('user_accounts').insert({ id: ghost.id });
    assert.equal(account.error?.code, '42501', JSON.stringify(account.error));
    const planted = await ghostClient.from('whatsapp_phone_numbers').insert({ user_account_id: a.id, phone_number: uniquePhone() });
    assert.equal(planted.error?.code, '42501', JSON.stringify(planted.error));
    const launch = await http('/functions/v1/create-adset-in-direction', { method: 'POST', bearer: jwt, body: { direction_id: ghost.directions[0].id } });
    assert.equal(launch.status, 404, describe(launch));
    const foreign = await http('/functions/v1/create-adset-in-direction', { method: 'POST', bearer: jwt, body: { direction_id: a.directions[0].id, dry_run: true } });
    assert.equal(foreign.status, 404, describe(foreign));
    const user = await http('/auth/v1/user', { bearer: jwt });
    assert.ok(user.status >= 400 && user.status < 500, `Auth does not return a deleted user: ${describe(user)}`);
  });
  assert.equal((await graphRequests()).length, before, 'the Graph double received no request');
  const { rows: left } = await db().query(
    `select (select count(*) from public.whatsapp_phone_numbers where user_account_id = $1)
          + (select count(*) from public.account_directions where user_account_id = $1)
          + (select count(*) from public.user_facebook_tokens where user_account_id = $1)
          + (select count(*) from public.adset_launches where user_account_id = $1) as n`, [ghost.id]);
  assert.equal(Number(left[0].n), 0, 'no row of the deleted user exists');
});

test('control: the right secret and a live user are accepted, so the 401s above are about the forgery', async () => {
  const jwt = await signJwt({ sub: a.id, role: 'authenticated' });
  const res = await http('/rest/v1/whatsapp_phone_numbers?select=id', { bearer: jwt });
  assert.equal(res.status, 200, describe(res));
  assert.equal(res.json.length, 2);
  const fn = await http('/functions/v1/create-adset-in-direction', { method: 'POST', bearer: jwt, body: { direction_id: a.directions[0].id, dry_run: true } });
  assert.equal(fn.status, 200, describe(fn));
});
