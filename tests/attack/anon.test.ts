// Anon (the public API key, no session) against every table, view and function that PostgREST
// exposes, enumerated from the catalogue at test time so a new object is attacked automatically.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  assertEmpty, closeDb, createUser, db, describe, http, publicFunctions, publicRelations, unchanged,
  type HttpResult, type Relation, type TestUser,
} from './support.ts';

const relations = await publicRelations();
const functions = await publicFunctions();
let victim: TestUser;

before(async () => { victim = await createUser('anon-victim'); });
after(closeDb);

const ownerColumn = (r: Relation) => (r.columns.includes('user_account_id') ? 'user_account_id' : r.columns.includes('id') ? 'id' : r.columns[0]);

/** Anon is refused outright (401 + 42501 permission denied); for reads an empty list is also acceptable. */
function assertAnonRefused(r: HttpResult, emptyAllowed: boolean): void {
  if (emptyAllowed && r.status === 200) return assertEmpty(r);
  assert.equal(r.status, 401, describe(r));
  assert.equal(r.json?.code, '42501', describe(r));
}

test('the catalogue lists the tables, views and functions under attack (a broken enumeration must fail, not pass vacuously)', () => {
  const names = relations.map((r) => r.name);
  for (const expected of ['user_accounts', 'user_facebook_tokens', 'whatsapp_phone_numbers', 'account_directions', 'adset_launches', 'direction_whatsapp_routes']) {
    assert.ok(names.includes(expected), `${expected} is in the catalogue: ${names.join(', ')}`);
  }
  assert.ok(relations.some((r) => r.kind === 'view'), 'views are enumerated');
  assert.ok(functions.some((f) => f.name === 'resolve_whatsapp_number') && functions.some((f) => f.name === 'retire_whatsapp_number'), 'functions are enumerated');
});

for (const relation of relations) {
  const owner = ownerColumn(relation);

  test(`anon cannot read ${relation.kind} ${relation.name} (select=*, by owner filter)`, async () => {
    await unchanged([victim.id], async () => {
      assertAnonRefused(await http(`/rest/v1/${relation.name}?select=*`), true);
      assertAnonRefused(await http(`/rest/v1/${relation.name}?select=*&${owner}=eq.${victim.id}`), true);
    });
  });

  test(`anon cannot write ${relation.kind} ${relation.name} (insert, upsert, update, delete): refused, rows unchanged`, async () => {
    const row: Record<string, unknown> = { [owner]: victim.id };
    const results = await unchanged([victim.id], async () => [
      await http(`/rest/v1/${relation.name}`, { method: 'POST', body: row, headers: { prefer: 'return=representation' } }),
      await http(`/rest/v1/${relation.name}?on_conflict=${relation.primaryKey ?? owner}`, { method: 'POST', body: row, headers: { prefer: 'resolution=merge-duplicates,return=representation' } }),
      await http(`/rest/v1/${relation.name}?${owner}=eq.${victim.id}`, { method: 'PATCH', body: row, headers: { prefer: 'return=representation' } }),
      await http(`/rest/v1/${relation.name}?${owner}=eq.${victim.id}`, { method: 'DELETE', headers: { prefer: 'return=representation' } }),
    ]);
    for (const r of results) {
      // Views that join tables answer 55000 "cannot update view" before privileges are checked: the
      // write fails all the same; that it is a 500 is asserted by views-never-answer-5xx below.
      if (relation.kind === 'view' && r.json?.code === '55000') continue;
      assertAnonRefused(r, false);
    }
  });
}

for (const fn of functions) {
  test(`anon cannot call rpc ${fn.name} (POST and GET): 401 42501, nothing changed`, async () => {
    await unchanged([victim.id], async () => {
      assertAnonRefused(await http(`/rest/v1/rpc/${fn.name}`, { method: 'POST', body: fn.sampleArgs }), false);
      const query = new URLSearchParams(Object.entries(fn.sampleArgs).map(([k, v]) => [k, String(v)]));
      const get = await http(`/rest/v1/rpc/${fn.name}?${query}`);
      // A volatile function refuses GET (405) before privileges; either way nothing runs.
      if (get.status !== 405) assertAnonRefused(get, false);
    });
  });
}

test('anon calling retire_whatsapp_number on a real number of a user is refused and the number survives', async () => {
  await unchanged([victim.id], async () => {
    assertAnonRefused(await http('/rest/v1/rpc/retire_whatsapp_number', { method: 'POST', body: { number_id: victim.numbers[1].id } }), false);
    assertAnonRefused(await http('/rest/v1/rpc/resolve_whatsapp_number', { method: 'POST', body: { direction_id: victim.directions[0].id } }), false);
  });
  const { rowCount } = await db().query('select 1 from public.whatsapp_phone_numbers where id = $1', [victim.numbers[1].id]);
  assert.equal(rowCount, 1);
});

test('no API key at all, or an unknown API key, is refused by the gateway before PostgREST and Auth', async () => {
  await unchanged([victim.id], async () => {
    for (const path of ['/rest/v1/whatsapp_phone_numbers?select=*', '/auth/v1/user']) {
      const none = await http(path, { apikey: null });
      assert.equal(none.status, 401, describe(none));
      const unknown = await http(path, { apikey: `not-a-key-${randomUUID()}` });
      assert.equal(unknown.status, 401, describe(unknown));
    }
    const signup = await http('/auth/v1/signup', { method: 'POST', apikey: null, body: { email: `nokey-${randomUUID()}@example.com`, password: 'attack-password-1' } });
    assert.equal(signup.status, 401, describe(signup));
  });
});

test('anon cannot switch PostgREST to the private or auth schema (Accept-Profile / Content-Profile)', async () => {
  await unchanged([victim.id], async () => {
    for (const schema of ['private', 'auth', 'pg_catalog']) {
      const read = await http('/rest/v1/users?select=*', { headers: { 'accept-profile': schema } });
      assert.equal(read.status, 406, describe(read));
      assert.equal(read.json?.code, 'PGRST106', describe(read));
      const call = await http('/rest/v1/rpc/migrate_legacy_whatsapp_numbers', { method: 'POST', body: {}, headers: { 'content-profile': schema } });
      assert.equal(call.status, 406, describe(call));
    }
  });
});

test('anon cannot call the edge functions as a user: create-adset-in-direction and launch-directions answer 401', async () => {
  await unchanged([victim.id], async () => {
    const launch = await http('/functions/v1/create-adset-in-direction', { method: 'POST', bearer: (await import('./support.ts')).env.anonKey, body: { direction_id: victim.directions[0].id } });
    assert.equal(launch.status, 401, describe(launch));
    const batch = await http('/functions/v1/launch-directions', { method: 'POST', bearer: (await import('./support.ts')).env.anonKey, body: { user_account_id: victim.id } });
    assert.equal(batch.status, 401, describe(batch));
    const unsigned = await http('/functions/v1/create-adset-in-direction', { method: 'POST', body: { direction_id: victim.directions[0].id } });
    assert.equal(unsigned.status, 401, describe(unsigned));
  });
});

test('writes to views never answer 5xx (anon and signed-in user): refused with a 4xx', async () => {
  const views = relations.filter((r) => r.kind === 'view');
  assert.ok(views.length > 0);
  const failures: string[] = [];
  for (const bearer of [undefined, victim.accessToken]) {
    for (const view of views) {
      const owner = ownerColumn(view);
      const row = { [owner]: victim.id };
      await unchanged([victim.id], async () => {
        for (const [method, path] of [['POST', `/rest/v1/${view.name}`], ['PATCH', `/rest/v1/${view.name}?${owner}=eq.${victim.id}`], ['DELETE', `/rest/v1/${view.name}?${owner}=eq.${victim.id}`]] as const) {
          const r = await http(path, { method, bearer, body: method === 'DELETE' ? undefined : row });
          if (r.status < 400 || r.status >= 500) failures.push(`${bearer ? 'user' : 'anon'} ${method} ${path} -> HTTP ${r.status} ${r.json?.code ?? ''} ${r.json?.message ?? r.text.slice(0, 100)}`);
        }
      });
    }
  }
  assert.deepEqual(failures, [], `writes to views must be refused with 4xx:\n${failures.join('\n')}`);
});
