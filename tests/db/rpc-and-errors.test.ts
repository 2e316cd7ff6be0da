// The database API through PostgREST as the web app and edge functions meet it: rpc on both
// functions, and every rule's refusal arriving as a 4xx with the code and message of the error table
// in docs/architecture.md (never a 5xx).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { admin, cleanup, createUser, rest, userJwt } from './support.ts';

let alice: string, bob: string, aliceJwt: string, bobJwt: string;
let main: string, braces: string, spare: string, direction: string;

before(async () => {
  alice = await createUser('rpc-alice');
  bob = await createUser('rpc-bob');
  [aliceJwt, bobJwt] = await Promise.all([userJwt(alice), userJwt(bob)]);
  const numbers = await admin().query<{ id: string; label: string }>(
    `insert into public.whatsapp_phone_numbers (user_account_id, phone_number, label)
     values ($1, '+77011110001', 'Main'), ($1, '+77011110002', 'Braces'), ($1, '+77011110003', 'Spare') returning id, label`, [alice]);
  const byLabel = Object.fromEntries(numbers.rows.map((r) => [r.label, r.id]));
  [main, braces, spare] = [byLabel.Main, byLabel.Braces, byLabel.Spare];
  const d = await admin().query<{ id: string }>(
    `insert into public.account_directions (user_account_id, name, daily_budget_cents, whatsapp_phone_number_id)
     values ($1, 'Braces', 1000, $2) returning id`, [alice, braces]);
  direction = d.rows[0].id;
});
after(cleanup);

type PgError = { code: string; message: string; details: string | null; hint: string | null };

test('rpc resolve_whatsapp_number: the owner gets the route, another user and anon get nothing', async () => {
  const own = await rest(aliceJwt, 'POST', '/rpc/resolve_whatsapp_number', { direction_id: direction });
  assert.equal(own.status, 200);
  assert.deepEqual(own.body, [{ phone_number: '+77011110002', whatsapp_phone_number_id: braces, source: 'direction' }]);
  const other = await rest(bobJwt, 'POST', '/rpc/resolve_whatsapp_number', { direction_id: direction });
  assert.deepEqual([other.status, other.body], [200, []], 'another user\'s direction: an empty answer, not an error');
  const anon = await rest(process.env.STACK_ANON_KEY ?? '', 'POST', '/rpc/resolve_whatsapp_number', { direction_id: direction });
  assert.equal(anon.status, 401);
  assert.equal((anon.body as PgError).code, '42501');
  const get = await rest(aliceJwt, 'GET', `/rpc/resolve_whatsapp_number?direction_id=${direction}`);
  assert.equal(get.status, 200, 'stable: callable with GET too');
});

test('the phone format, label, duplicate and inactive-default refusals arrive as 4xx with the documented codes', async () => {
  const format = await rest(aliceJwt, 'POST', '/whatsapp_phone_numbers', { phone_number: '8 701 123 45 67' });
  assert.equal(format.status, 400);
  assert.equal((format.body as PgError).code, '22023');
  assert.match((format.body as PgError).message, /^phone_number: .*\+77011234567/);
  assert.equal((format.body as PgError).details, 'missing_country_code');

  const label = await rest(aliceJwt, 'POST', '/whatsapp_phone_numbers', { phone_number: '+77011110009', label: 'x'.repeat(101) });
  assert.equal(label.status, 400);
  assert.equal((label.body as PgError).code, '22001');
  assert.match((label.body as PgError).message, /^label: /);

  const duplicate = await rest(aliceJwt, 'POST', '/whatsapp_phone_numbers', { phone_number: '+7 701 111 00 01' });
  assert.equal(duplicate.status, 409);
  assert.equal((duplicate.body as PgError).code, '23505');
  assert.match((duplicate.body as PgError).message, /whatsapp_phone_numbers_user_phone_key/);

  const deactivate = await rest(aliceJwt, 'PATCH', `/whatsapp_phone_numbers?id=eq.${main}`, { is_active: false });
  assert.equal(deactivate.status, 400);
  assert.equal((deactivate.body as PgError).code, '23514');
  assert.match((deactivate.body as PgError).message, /^whatsapp_phone_numbers_default_is_active: .*make another number the default first/);
});

test('direction refusals: another user\'s number (409) and a non-positive budget (400)', async () => {
  const [bobNumber] = (await admin().query<{ id: string }>(
    `insert into public.whatsapp_phone_numbers (user_account_id, phone_number) values ($1, '+77019990000') returning id`, [bob])).rows;
  const foreign = await rest(aliceJwt, 'PATCH', `/account_directions?id=eq.${direction}`, { whatsapp_phone_number_id: bobNumber.id });
  assert.equal(foreign.status, 409);
  assert.equal((foreign.body as PgError).code, '23503');
  assert.match((foreign.body as PgError).message, /account_directions_whatsapp_phone_number_fkey/);
  const budget = await rest(aliceJwt, 'PATCH', `/account_directions?id=eq.${direction}`, { daily_budget_cents: 0 });
  assert.equal(budget.status, 400);
  assert.equal((budget.body as PgError).code, '23514');
  assert.match((budget.body as PgError).message, /account_directions_daily_budget_positive/);
});

test('deleting a number in use: 409, message names the directions, details is JSON', async () => {
  const reply = await rest(aliceJwt, 'DELETE', `/whatsapp_phone_numbers?id=eq.${braces}`);
  assert.equal(reply.status, 409);
  const body = reply.body as PgError;
  assert.equal(body.code, '23503');
  assert.match(body.message, /^whatsapp_number_in_use: \+77011110002 is used by direction: "Braces"$/);
  assert.deepEqual(JSON.parse(body.details ?? 'null'), { directions: [{ id: direction, name: 'Braces' }] });
  assert.match(body.hint ?? '', /retire_whatsapp_number/);
});

test('rpc retire_whatsapp_number: another user\'s number is 404, the owner moves the directions and deletes it', async () => {
  const foreign = await rest(bobJwt, 'POST', '/rpc/retire_whatsapp_number', { number_id: braces, replacement_id: null });
  assert.equal(foreign.status, 404);
  assert.match((foreign.body as PgError).message, /^whatsapp_number_not_found/);
  const itself = await rest(aliceJwt, 'POST', '/rpc/retire_whatsapp_number', { number_id: braces, replacement_id: braces });
  assert.equal(itself.status, 400);
  assert.match((itself.body as PgError).message, /^replacement_id: /);

  const moved = await rest(aliceJwt, 'POST', '/rpc/retire_whatsapp_number', { number_id: braces, replacement_id: spare });
  assert.deepEqual([moved.status, moved.body], [200, 1]);
  const { rows } = await admin().query('select whatsapp_phone_number_id from public.account_directions where id = $1', [direction]);
  assert.equal(rows[0].whatsapp_phone_number_id, spare);
  const gone = await admin().query('select 1 from public.whatsapp_phone_numbers where id = $1', [braces]);
  assert.equal(gone.rowCount, 0);
});

test('writing to a reporting view is 403, not a 500', async () => {
  const reply = await rest(aliceJwt, 'POST', '/direction_whatsapp_routes', { direction_name: 'x' });
  assert.equal(reply.status, 403);
  assert.equal((reply.body as PgError).code, '42501');
});
