// Concurrency of the number rules with real connections: one default per user under 50 parallel
// "set default" calls, one row and clean 23505 errors under 20 parallel inserts of one number,
// both straight to Postgres (as the user, RLS on) and through PostgREST (no 5xx).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { admin, cleanup, connectAs, createUser, rest, userJwt } from './support.ts';

after(cleanup);

async function addNumbers(userId: string, count: number, prefix: string): Promise<string[]> {
  const { rows } = await admin().query<{ id: string }>(
    `insert into public.whatsapp_phone_numbers (user_account_id, phone_number, label)
     select $1, $2 || lpad(i::text, 4, '0'), 'n' || i from generate_series(1, $3) i
     returning id`,
    [userId, prefix, count],
  );
  return rows.map((r) => r.id);
}

async function defaults(userId: string): Promise<string[]> {
  const { rows } = await admin().query<{ id: string }>(
    'select id from public.whatsapp_phone_numbers where user_account_id = $1 and is_default', [userId]);
  return rows.map((r) => r.id);
}

/** Runs one statement per connection, all released at once. */
async function together<T>(clients: pg.Client[], run: (client: pg.Client, i: number) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const runs = clients.map(async (client, i) => { await gate; return run(client, i); });
  release();
  return Promise.allSettled(runs);
}

test('50 parallel "set default" on different numbers of one user leave exactly one default (direct connections)', async () => {
  const user = await createUser('defaults-sql');
  const numbers = await addNumbers(user, 50, '+7701555');
  const clients = await Promise.all(numbers.map(() => connectAs(user)));
  try {
    const results = await together(clients, (c, i) =>
      c.query('update public.whatsapp_phone_numbers set is_default = true where id = $1', [numbers[i]]));
    const failures = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    assert.deepEqual(failures.map((f) => `${f.reason.code}: ${f.reason.message}`), [], 'every call succeeds: no deadlock, no unique violation');
    for (const r of results) assert.equal((r as PromiseFulfilledResult<pg.QueryResult>).value.rowCount, 1);
    const now = await defaults(user);
    assert.equal(now.length, 1, 'exactly one default');
    assert.ok(numbers.includes(now[0]), 'and it is one of the numbers set');
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
});

test('50 parallel "set default" through PostgREST leave exactly one default and no 5xx', async () => {
  const user = await createUser('defaults-rest');
  const numbers = await addNumbers(user, 50, '+7702555');
  const jwt = await userJwt(user);
  const replies = await Promise.all(numbers.map((id) =>
    rest(jwt, 'PATCH', `/whatsapp_phone_numbers?id=eq.${id}`, { is_default: true }, 'return=minimal')));
  assert.deepEqual(replies.filter((r) => r.status !== 204), [], 'every PATCH answers 204');
  assert.equal((await defaults(user)).length, 1, 'exactly one default');
});

test('20 parallel inserts of one number leave one row and clean 23505 errors (direct connections)', async () => {
  const user = await createUser('dupes-sql');
  const spellings = ['+77017001122', '+7 701 700 11 22', '+7 (701) 700-11-22', '00 7 701 700 11 22', '+7.701.700.11.22'];
  const clients = await Promise.all(Array.from({ length: 20 }, () => connectAs(user)));
  try {
    const results = await together(clients, (c, i) =>
      c.query('insert into public.whatsapp_phone_numbers (phone_number, label) values ($1, $2)', [spellings[i % spellings.length], `try ${i}`]));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const errors = (results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[]).map((r) => r.reason as { code: string; message: string });
    assert.equal(ok.length, 1, 'one insert wins');
    assert.equal(errors.length, 19);
    for (const e of errors) {
      assert.equal(e.code, '23505', e.message);
      assert.match(e.message, /whatsapp_phone_numbers_user_phone_key/);
    }
    const { rows } = await admin().query('select phone_number, is_default from public.whatsapp_phone_numbers where user_account_id = $1', [user]);
    assert.deepEqual(rows, [{ phone_number: '+77017001122', is_default: true }], 'one row, normalised, and (as the first number) the default');
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
});

test('20 parallel inserts of one number through PostgREST: one 201, nineteen 409 with code 23505, no 5xx', async () => {
  const user = await createUser('dupes-rest');
  const jwt = await userJwt(user);
  const replies = await Promise.all(Array.from({ length: 20 }, (_, i) =>
    rest(jwt, 'POST', '/whatsapp_phone_numbers', { phone_number: '+7 701 700 11 33', label: `try ${i}` }, 'return=minimal')));
  const statuses = replies.map((r) => r.status).sort();
  assert.deepEqual(statuses, [201, ...Array(19).fill(409)], JSON.stringify(replies.filter((r) => r.status !== 409 && r.status !== 201)));
  for (const r of replies.filter((x) => x.status === 409)) {
    const body = r.body as { code: string; message: string };
    assert.equal(body.code, '23505');
    assert.match(body.message, /whatsapp_phone_numbers_user_phone_key/);
  }
  const { rows } = await admin().query('select count(*)::int as n from public.whatsapp_phone_numbers where user_account_id = $1', [user]);
  assert.equal(rows[0].n, 1);
});

test('parallel first numbers of one user: exactly one becomes the default', async () => {
  const user = await createUser('first-default');
  const clients = await Promise.all(Array.from({ length: 10 }, () => connectAs(user)));
  try {
    const results = await together(clients, (c, i) =>
      c.query('insert into public.whatsapp_phone_numbers (phone_number) values ($1)', [`+7703000000${i}`]));
    assert.equal(results.filter((r) => r.status === 'rejected').length, 0);
    assert.equal((await defaults(user)).length, 1, 'the user lock makes exactly one of them "the first"');
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
});
