// The Facebook token through PostgREST, as the browser sends it with supabase-js: upsert works,
// and nothing the browser can ask for ever returns the token.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { admin, cleanup, createUser, userJwt } from './support.ts';

let alice: string;
let bob: string;
let browser: SupabaseClient;
let bobBrowser: SupabaseClient;

function clientFor(jwt: string | null): SupabaseClient {
  const apiUrl = process.env.STACK_API_URL;
  const anonKey = process.env.STACK_ANON_KEY;
  if (!apiUrl || !anonKey) throw new Error('STACK_API_URL and STACK_ANON_KEY must be set: run this suite through npm test');
  return createClient(apiUrl, anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    global: jwt ? { headers: { Authorization: `Bearer ${jwt}` } } : {},
  });
}

async function storedToken(userId: string): Promise<string | null> {
  const { rows } = await admin().query('select access_token from private.facebook_access_tokens where user_account_id = $1', [userId]);
  return rows[0]?.access_token ?? null;
}

before(async () => {
  alice = await createUser('token-alice');
  bob = await createUser('token-bob');
  browser = clientFor(await userJwt(alice));
  bobBrowser = clientFor(await userJwt(bob));
});
after(cleanup);

test('supabase-js upsert({access_token}, {onConflict}) stores a first token and replaces it', async () => {
  const first = await browser.from('user_facebook_tokens').upsert({ access_token: 'EAA-alice-1' }, { onConflict: 'user_account_id', ignoreDuplicates: false });
  assert.equal(first.error, null, JSON.stringify(first.error));
  assert.equal(first.status, 201);
  const second = await browser.from('user_facebook_tokens').upsert({ access_token: 'EAA-alice-2' }, { onConflict: 'user_account_id', ignoreDuplicates: false });
  assert.equal(second.error, null, JSON.stringify(second.error));
  assert.equal(await storedToken(alice), 'EAA-alice-2', 'the server holds the latest token');
  const { data } = await browser.from('user_accounts').select('has_facebook_token').single();
  assert.deepEqual(data, { has_facebook_token: true });
});

test('ignoreDuplicates: true replaces nothing', async () => {
  const r = await browser.from('user_facebook_tokens').upsert({ access_token: 'EAA-ignored' }, { onConflict: 'user_account_id', ignoreDuplicates: true });
  assert.equal(r.error, null, JSON.stringify(r.error));
  assert.equal(await storedToken(alice), 'EAA-alice-2');
});

test('the browser never reads the token back: select, representation, embedding, filters', async () => {
  const all = await browser.from('user_facebook_tokens').select('*');
  assert.equal(all.error, null);
  assert.deepEqual(all.data?.map((r) => r.access_token), [null], 'select * gives a null access_token');

  const represented = await browser.from('user_facebook_tokens')
    .upsert({ access_token: 'EAA-alice-3' }, { onConflict: 'user_account_id' }).select();
  assert.equal(represented.error, null, JSON.stringify(represented.error));
  assert.deepEqual(represented.data?.map((r) => r.access_token), [null], 'return=representation gives null');

  const embedded = await browser.from('user_accounts').select('id, user_facebook_tokens(access_token)').single();
  assert.equal(embedded.error, null, JSON.stringify(embedded.error));
  assert.equal(JSON.stringify(embedded.data).includes('EAA'), false, JSON.stringify(embedded.data));

  const probe = await browser.from('user_facebook_tokens').select('user_account_id').like('access_token', 'EAA%');
  assert.deepEqual(probe.data, [], 'a filter on the token matches nothing');

  const updated = await browser.from('user_facebook_tokens').update({ access_token: 'EAA-alice-4' }).eq('user_account_id', alice).select();
  assert.equal(updated.error, null, JSON.stringify(updated.error));
  assert.deepEqual(updated.data?.map((r) => r.access_token), [null], 'update (PATCH) works and returns null');
  assert.equal(await storedToken(alice), 'EAA-alice-4');

  const privateTable = await browser.schema('private' as 'public').from('facebook_access_tokens').select('*');
  assert.notEqual(privateTable.error, null, 'the private schema is not exposed');
});

test('another user can neither read nor set the token', async () => {
  const seen = await bobBrowser.from('user_facebook_tokens').select('user_account_id').eq('user_account_id', alice);
  assert.deepEqual(seen.data, []);
  const forged = await bobBrowser.from('user_facebook_tokens').upsert({ user_account_id: alice, access_token: 'EAA-evil' }, { onConflict: 'user_account_id' });
  assert.equal(forged.error?.code, '42501', JSON.stringify(forged));
  const patched = await bobBrowser.from('user_facebook_tokens').update({ access_token: 'EAA-evil' }).eq('user_account_id', alice).select();
  assert.deepEqual(patched.data, [], 'updating another user\'s row touches nothing');
  assert.equal(await storedToken(alice), 'EAA-alice-4');
});

test('anon cannot set a token', async () => {
  const r = await clientFor(null).from('user_facebook_tokens').upsert({ access_token: 'EAA-anon' }, { onConflict: 'user_account_id' });
  assert.equal(r.error?.code, '42501', JSON.stringify(r));
});

test('deleting the row disconnects: the token is gone and the flag is off', async () => {
  const r = await browser.from('user_facebook_tokens').delete().eq('user_account_id', alice);
  assert.equal(r.error, null, JSON.stringify(r.error));
  assert.equal(await storedToken(alice), null);
  const { data } = await browser.from('user_accounts').select('has_facebook_token').single();
  assert.deepEqual(data, { has_facebook_token: false });
});
