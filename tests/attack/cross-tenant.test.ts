// User B (signed in, own data) against user A's rows: by id, by filter, by embedding, by rpc, by
// writes, by pointing B's direction at A's number, and by launching A's direction.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  assertEmpty, closeDb, createUser, db, describe, graphRequests, http, publicRelations, unchanged, uniquePhone, type TestUser,
} from './support.ts';

let a: TestUser;
let b: TestUser;
before(async () => {
  a = await createUser('victim-a');
  b = await createUser('attacker-b');
});
after(closeDb);

const both = () => [a.id, b.id];
const asB = (path: string, init: Parameters<typeof http>[1] = {}) => http(path, { bearer: b.accessToken, ...init });
const aIds = () => [a.id, ...a.numbers.map((n) => n.id), ...a.directions.map((d) => d.id), a.launchId, a.facebookToken];

/** Nothing of A's (ids, token) appears anywhere in a response B received. */
function assertNothingOfA(text: string): void {
  for (const id of aIds()) assert.ok(!text.includes(id), `B's response carries A's ${id}: ${text.slice(0, 300)}`);
}

test('B reads A\'s number, direction, launch and account by id: empty on every table and view', async () => {
  await unchanged(both(), async () => {
    assertEmpty(await asB(`/rest/v1/whatsapp_phone_numbers?id=eq.${a.numbers[0].id}`));
    assertEmpty(await asB(`/rest/v1/account_directions?id=eq.${a.directions[0].id}`));
    assertEmpty(await asB(`/rest/v1/adset_launches?id=eq.${a.launchId}`));
    assertEmpty(await asB(`/rest/v1/adset_launch_history?id=eq.${a.launchId}`));
    assertEmpty(await asB(`/rest/v1/user_accounts?id=eq.${a.id}`));
    assertEmpty(await asB(`/rest/v1/direction_whatsapp_routes?direction_id=eq.${a.directions[0].id}`));
    assertEmpty(await asB(`/rest/v1/whatsapp_number_usage?whatsapp_phone_number_id=eq.${a.numbers[0].id}`));
    const sdk = await b.client.from('whatsapp_phone_numbers').select('*').in('id', a.numbers.map((n) => n.id));
    assert.equal(sdk.error, null);
    assert.deepEqual(sdk.data, []);
  });
});

test('B filters every table and view by A\'s user_account_id (catalogue-driven): empty everywhere', async () => {
  const relations = await publicRelations();
  assert.ok(relations.length >= 5);
  await unchanged(both(), async () => {
    for (const r of relations) {
      const column = r.columns.includes('user_account_id') ? 'user_account_id' : 'id';
      const columns = r.columns.filter((c) => c !== 'access_token').join(',');
      assertEmpty(await asB(`/rest/v1/${r.name}?select=${columns}&${column}=eq.${a.id}`));
      // Without a filter B gets only its own rows.
      const all = await asB(`/rest/v1/${r.name}?select=${columns}`);
      assert.equal(all.status, 200, describe(all));
      assertNothingOfA(all.text);
      for (const row of all.json as Record<string, unknown>[]) assert.equal(row[column], b.id, `${r.name} shows B only B's rows`);
    }
  });
});

test('B embeds A\'s rows through relationships (numbers in directions, everything in user_accounts): only B\'s own appear', async () => {
  await unchanged(both(), async () => {
    for (const path of [
      '/rest/v1/account_directions?select=*,whatsapp_phone_numbers(*)',
      '/rest/v1/whatsapp_phone_numbers?select=*,account_directions(*),adset_launches(*)',
      '/rest/v1/user_accounts?select=*,whatsapp_phone_numbers(*),account_directions(*),adset_launches(*)',
      `/rest/v1/adset_launches?select=*,account_directions(*),whatsapp_phone_numbers(*)&user_account_id=eq.${a.id}`,
      `/rest/v1/account_directions?select=*,whatsapp_phone_numbers!inner(*)&whatsapp_phone_numbers.id=eq.${a.numbers[0].id}`,
    ]) {
      const r = await asB(path);
      assert.equal(r.status, 200, `${path}: ${describe(r)}`);
      assertNothingOfA(r.text);
    }
    const sdk = await b.client.from('account_directions').select('id, whatsapp_phone_numbers(id, phone_number)');
    assert.equal(sdk.error, null);
    assert.deepEqual(sdk.data!.map((d) => d.id).sort(), b.directions.map((d) => d.id).sort());
  });
});

test('B calls resolve_whatsapp_number with A\'s direction id: zero rows (supabase-js rpc and raw POST/GET)', async () => {
  await unchanged(both(), async () => {
    const sdk = await b.client.rpc('resolve_whatsapp_number', { direction_id: a.directions[0].id });
    assert.equal(sdk.error, null);
    assert.deepEqual(sdk.data, []);
    assertEmpty(await asB('/rest/v1/rpc/resolve_whatsapp_number', { method: 'POST', body: { direction_id: a.directions[1].id } }));
    assertEmpty(await asB(`/rest/v1/rpc/resolve_whatsapp_number?direction_id=${a.directions[0].id}`));
    // Control: B resolves its own direction, so the emptiness above is RLS, not a broken function.
    const own = await b.client.rpc('resolve_whatsapp_number', { direction_id: b.directions[0].id });
    assert.deepEqual(own.data, [{ phone_number: b.numbers[0].phone, whatsapp_phone_number_id: b.numbers[0].id, source: 'direction' }]);
  });
});

test('B updates A\'s rows by id (numbers, directions, account, token, launch): 0 rows affected, A unchanged', async () => {
  await unchanged(both(), async () => {
    const prefer = { prefer: 'return=representation' };
    assertEmpty(await asB(`/rest/v1/whatsapp_phone_numbers?id=eq.${a.numbers[0].id}`, { method: 'PATCH', body: { label: 'hijacked', phone_number: '+77000000000' }, headers: prefer }));
    assertEmpty(await asB(`/rest/v1/whatsapp_phone_numbers?id=eq.${a.numbers[1].id}`, { method: 'PATCH', body: { is_default: true }, headers: prefer }));
    assertEmpty(await asB(`/rest/v1/account_directions?id=eq.${a.directions[0].id}`, { method: 'PATCH', body: { name: 'hijacked', daily_budget_cents: 99999999, whatsapp_phone_number_id: null }, headers: prefer }));
    assertEmpty(await asB(`/rest/v1/user_accounts?id=eq.${a.id}`, { method: 'PATCH', body: { ad_account_id: '1', page_id: '1', whatsapp_phone_number: '+77000000000' }, headers: prefer }));
    const token = await asB(`/rest/v1/user_facebook_tokens?user_account_id=eq.${a.id}`, { method: 'PATCH', body: { access_token: 'attacker-token' } });
    assert.equal(token.status, 204, describe(token)); // no visible row: nothing updated
    const launch = await asB(`/rest/v1/adset_launches?id=eq.${a.launchId}`, { method: 'PATCH', body: { status: 'failed' } });
    assert.ok([401, 403].includes(launch.status) && launch.json?.code === '42501', describe(launch));
  });
});

test('B deletes A\'s rows by id and by filter: 0 rows affected, A unchanged', async () => {
  await unchanged(both(), async () => {
    const prefer = { prefer: 'return=representation' };
    assertEmpty(await asB(`/rest/v1/whatsapp_phone_numbers?id=eq.${a.numbers[1].id}`, { method: 'DELETE', headers: prefer }));
    assertEmpty(await asB(`/rest/v1/account_directions?user_account_id=eq.${a.id}`, { method: 'DELETE', headers: prefer }));
    const token = await asB(`/rest/v1/user_facebook_tokens?user_account_id=eq.${a.id}`, { method: 'DELETE' });
    assert.equal(token.status, 204, describe(token));
    const sdk = await b.client.from('whatsapp_phone_numbers').delete().eq('user_account_id', a.id).select();
    assert.equal(sdk.error, null);
    assert.deepEqual(sdk.data, []);
    const account = await asB(`/rest/v1/user_accounts?id=eq.${a.id}`, { method: 'DELETE' });
    assert.ok([401, 403].includes(account.status) && account.json?.code === '42501', describe(account));
  });
});

test('B inserts rows owned by A (number, direction, token, launch): 42501, no row created', async () => {
  await unchanged(both(), async () => {
    const number = await b.client.from('whatsapp_phone_numbers').insert({ user_account_id: a.id, phone_number: uniquePhone(), label: 'planted' });
    assert.equal(number.error?.code, '42501', JSON.stringify(number.error));
    const direction = await b.client.from('account_directions').insert({ user_account_id: a.id, name: 'planted', daily_budget_cents: 100 });
    assert.equal(direction.error?.code, '42501', JSON.stringify(direction.error));
    const token = await b.client.from('user_facebook_tokens').insert({ user_account_id: a.id, access_token: 'attacker-token-planted' });
    assert.equal(token.error?.code, '42501', JSON.stringify(token.error));
    const launch = await asB('/rest/v1/adset_launches', { method: 'POST', body: { user_account_id: a.id, status: 'pending' } });
    assert.equal(launch.json?.code, '42501', describe(launch));
    // Upserts that collide with A's primary keys must not become updates of A's rows.
    const upsertToken = await b.client.from('user_facebook_tokens').upsert({ user_account_id: a.id, access_token: 'attacker-token-upsert' }, { onConflict: 'user_account_id' });
    assert.equal(upsertToken.error?.code, '42501', JSON.stringify(upsertToken.error));
    const upsertNumber = await asB('/rest/v1/whatsapp_phone_numbers?on_conflict=user_account_id,phone_number', {
      method: 'POST', body: { user_account_id: a.id, phone_number: a.numbers[0].phone, label: 'hijacked' }, headers: { prefer: 'resolution=merge-duplicates' },
    });
    assert.equal(upsertNumber.json?.code, '42501', describe(upsertNumber));
  });
});

test('B moves its own number or direction to A (user_account_id update): refused, nothing moves', async () => {
  await unchanged(both(), async () => {
    const number = await asB(`/rest/v1/whatsapp_phone_numbers?id=eq.${b.numbers[0].id}`, { method: 'PATCH', body: { user_account_id: a.id } });
    assert.equal(number.json?.code, '42501', describe(number));
    const direction = await asB(`/rest/v1/account_directions?id=eq.${b.directions[0].id}`, { method: 'PATCH', body: { user_account_id: a.id } });
    assert.equal(direction.json?.code, '42501', describe(direction));
  });
});

test('B points its direction at A\'s number (update and insert): 23503 account_directions_whatsapp_phone_number_fkey, nothing changes', async () => {
  await unchanged(both(), async () => {
    const update = await b.client.from('account_directions').update({ whatsapp_phone_number_id: a.numbers[0].id }).eq('id', b.directions[0].id);
    assert.equal(update.error?.code, '23503', JSON.stringify(update.error));
    assert.match(update.error!.message, /account_directions_whatsapp_phone_number_fkey/);
    const insert = await b.client.from('account_directions').insert({ name: 'steal leads', daily_budget_cents: 100, whatsapp_phone_number_id: a.numbers[1].id });
    assert.equal(insert.error?.code, '23503', JSON.stringify(insert.error));
    assertNothingOfA(JSON.stringify([update.error, insert.error]));
  });
});

test('B retires A\'s number, or retires its own number in favour of A\'s: refused, A\'s number intact, B\'s directions unmoved', async () => {
  await unchanged(both(), async () => {
    const retire = await b.client.rpc('retire_whatsapp_number', { number_id: a.numbers[0].id });
    assert.equal(retire.error?.code, 'PT404', JSON.stringify(retire.error));
    assert.match(retire.error!.message, /^whatsapp_number_not_found:/);
    assertNothingOfA(JSON.stringify(retire.error).replace(a.numbers[0].id, ''));
    const replace = await asB('/rest/v1/rpc/retire_whatsapp_number', { method: 'POST', body: { number_id: b.numbers[0].id, replacement_id: a.numbers[0].id } });
    assert.equal(replace.json?.code, '23503', describe(replace));
    assert.equal(replace.status, 409, describe(replace));
  });
});

test('retire_whatsapp_number on another user\'s (or a missing) number answers a 4xx, not 500 (not found is PT404, HTTP 404)', async () => {
  await unchanged(both(), async () => {
    for (const numberId of [a.numbers[0].id, randomUUID()]) {
      const r = await asB('/rest/v1/rpc/retire_whatsapp_number', { method: 'POST', body: { number_id: numberId } });
      assert.ok(r.status >= 400 && r.status < 500, `user input must not produce a server error: ${describe(r)}`);
    }
  });
});

test('B launches A\'s direction through create-adset-in-direction (real and dry run): 404 direction_not_found, Graph double called 0 times', async () => {
  const before = (await graphRequests()).length;
  await unchanged(both(), async () => {
    for (const body of [{ direction_id: a.directions[0].id }, { direction_id: a.directions[1].id, dry_run: true }, { direction_id: a.directions[0].id, status: 'ACTIVE', idempotency_key: `steal-${randomUUID()}` }]) {
      const r = await asB('/functions/v1/create-adset-in-direction', { method: 'POST', body });
      assert.equal(r.status, 404, describe(r));
      assert.equal(r.json?.error?.code, 'direction_not_found', describe(r));
      assertNothingOfA(r.text.replace(body.direction_id, ''));
    }
    const sdk = await b.client.functions.invoke('create-adset-in-direction', { body: { direction_id: a.directions[0].id } });
    assert.ok(sdk.error, 'supabase-js reports the refusal');
    assert.equal((sdk.error as { context?: Response }).context?.status, 404);
  });
  assert.equal((await graphRequests()).length, before, 'the Graph double received no request');
});

test('B calls the service-only launch-directions for A with its user JWT: refused, Graph double called 0 times', async () => {
  const before = (await graphRequests()).length;
  await unchanged(both(), async () => {
    const r = await asB('/functions/v1/launch-directions', { method: 'POST', body: { user_account_id: a.id, direction_ids: a.directions.map((d) => d.id) } });
    assert.ok([401, 403].includes(r.status), describe(r));
    assertNothingOfA(r.text.replace(a.id, '').replace(a.directions[0].id, '').replace(a.directions[1].id, ''));
  });
  assert.equal((await graphRequests()).length, before, 'the Graph double received no request');
});

test('control: A still sees and launches its own direction, so the refusals above are about B, not a broken setup', async () => {
  const { rows } = await db().query('select count(*)::int as n from public.whatsapp_phone_numbers where user_account_id = $1', [a.id]);
  assert.equal(rows[0].n, 2);
  const r = await http('/functions/v1/create-adset-in-direction', { method: 'POST', bearer: a.accessToken, body: { direction_id: a.directions[0].id, dry_run: true } });
  assert.equal(r.status, 200, describe(r));
  assert.equal(r.json.whatsapp_phone_number, a.numbers[0].phone);
});
