// Hostile bodies: oversized, malformed, wrong content type, over-long labels, and SQL-looking text
// that must be stored and read back byte for byte, with every table still in place.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import nodeHttp from 'node:http';
import {
  closeDb, createUser, db, describe, env, graphRequests, http, publicRelations, unchanged, uniquePhone, type TestUser,
} from './support.ts';

let a: TestUser;
before(async () => { a = await createUser('bodies'); });
after(closeDb);

const FIVE_MB = 5 * 1024 * 1024;
/** A well-formed, otherwise acceptable JSON body padded with whitespace to 5 MB. */
const padded = (json: object) => JSON.stringify(json).replace(/}$/, `${' '.repeat(FIVE_MB)}}`);

function assertClientError(r: { status: number; text: string }, allowed: number[], label: string): void {
  assert.ok(allowed.includes(r.status), `${label}: expected ${allowed.join('/')}, got HTTP ${r.status} ${r.text.slice(0, 300)}`);
}

test('a 5 MB body to PostgREST (a valid row padded with whitespace) is refused with 413, no row created', async () => {
  await unchanged([a.id], async () => {
    const r = await http('/rest/v1/whatsapp_phone_numbers', { method: 'POST', bearer: a.accessToken, rawBody: padded({ phone_number: uniquePhone(), label: 'padded' }) });
    assertClientError(r, [413], 'oversized PostgREST insert');
  });
});

test('a 5 MB body of junk fields to PostgREST answers 4xx, never 5xx, no row created', async () => {
  await unchanged([a.id], async () => {
    const r = await http('/rest/v1/whatsapp_phone_numbers', { method: 'POST', bearer: a.accessToken, body: { phone_number: uniquePhone(), junk: 'x'.repeat(FIVE_MB) } });
    assertClientError(r, [400, 413], 'oversized junk');
  });
});

test('a 5 MB body to create-adset-in-direction (a valid launch padded) is refused with 413: no launch row, no Graph call', async () => {
  const before = (await graphRequests()).length;
  await unchanged([a.id], async () => {
    const r = await http('/functions/v1/create-adset-in-direction', { method: 'POST', bearer: a.accessToken, rawBody: padded({ direction_id: a.directions[0].id }) });
    assertClientError(r, [413], 'oversized function body');
  });
  assert.equal((await graphRequests()).length, before, 'the Graph double received no request');
});

test('a deeply nested JSON default_settings answers 4xx, never 5xx, no direction created', async () => {
  await unchanged([a.id], async () => {
    const deep = '['.repeat(50_000) + ']'.repeat(50_000);
    const r = await http('/rest/v1/account_directions', { method: 'POST', bearer: a.accessToken, rawBody: `{"name":"deep","daily_budget_cents":100,"default_settings":{"x":${deep}}}` });
    assertClientError(r, [400, 413, 422], 'deep JSON');
  });
});

test('malformed JSON is a 400 at PostgREST, the functions and Auth; nothing created', async () => {
  const before = (await graphRequests()).length;
  await unchanged([a.id], async () => {
    for (const raw of ['{"phone_number":', '{"phone_number": "+77011234567",}', "{'phone_number': 1}", '\u0000\u0001', 'null garbage']) {
      const rest = await http('/rest/v1/whatsapp_phone_numbers', { method: 'POST', bearer: a.accessToken, rawBody: raw });
      assertClientError(rest, [400], `PostgREST ${JSON.stringify(raw)}`);
      assert.equal(rest.json?.code, 'PGRST102', describe(rest));
      const fn = await http('/functions/v1/create-adset-in-direction', { method: 'POST', bearer: a.accessToken, rawBody: raw });
      assertClientError(fn, [400], `function ${JSON.stringify(raw)}`);
      assert.equal(fn.json?.error?.code, 'invalid_request', describe(fn));
      const auth = await http('/auth/v1/signup', { method: 'POST', rawBody: raw });
      assertClientError(auth, [400], `signup ${JSON.stringify(raw)}`);
    }
    for (const wrongShape of ['[]', '"a string"', '42', `[{"direction_id":"${a.directions[0].id}"}]`]) {
      const fn = await http('/functions/v1/create-adset-in-direction', { method: 'POST', bearer: a.accessToken, rawBody: wrongShape });
      assertClientError(fn, [400], `function body ${wrongShape}`);
    }
  });
  assert.equal((await graphRequests()).length, before, 'the Graph double received no request');
});

test('a wrong content type (text/plain, XML) is refused by PostgREST with a 4xx, no row created', async () => {
  await unchanged([a.id], async () => {
    for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x']) {
      const r = await http('/rest/v1/whatsapp_phone_numbers', { method: 'POST', bearer: a.accessToken, rawBody: JSON.stringify({ phone_number: uniquePhone() }), headers: { 'content-type': type } });
      assertClientError(r, [400, 415], `content-type ${type}`);
    }
  });
});

test('a label over 100 characters (101 and 1 MB) is refused with 22001 "label: ...", no row created', async () => {
  await unchanged([a.id], async () => {
    for (const label of ['é'.repeat(101), 'L'.repeat(1024 * 1024)]) {
      const r = await a.client.from('whatsapp_phone_numbers').insert({ phone_number: uniquePhone(), label });
      assert.equal(r.error?.code, '22001', JSON.stringify(r.error)?.slice(0, 300));
      assert.match(r.error!.message, /^label: at most 100 characters/);
      const update = await a.client.from('whatsapp_phone_numbers').update({ label }).eq('id', a.numbers[0].id);
      assert.equal(update.error?.code, '22001');
    }
  });
});

const SQL_LOOKING = [
  "'); drop table whatsapp_phone_numbers; --",
  "' or 1=1 --",
  '$$ language sql; select pg_sleep(5); $$',
  '"; delete from account_directions where true; --',
  '<script>alert(document.cookie)</script>',
  'Ярлык 🚀 ñ 中文 ‮rtl‬',
  '\\x00 \\\\ %s %n {{7*7}} ${process.env}',
  "a', (select access_token from user_facebook_tokens limit 1), '",
];

test('SQL-looking, HTML and unicode labels are stored and read back byte for byte; every table still exists', async () => {
  const tablesBefore = (await publicRelations()).map((r) => r.name);
  const ids: string[] = [];
  for (const label of SQL_LOOKING) {
    const phone = uniquePhone();
    const { data, error } = await a.client.from('whatsapp_phone_numbers').insert({ phone_number: phone, label }).select('id, label').single();
    assert.equal(error, null, `insert with label ${JSON.stringify(label)}`);
    assert.equal(data!.label, label);
    ids.push(data!.id);
    const found = await a.client.from('whatsapp_phone_numbers').select('id, label').eq('label', label);
    assert.deepEqual(found.data, [{ id: data!.id, label }], `filtering by ${JSON.stringify(label)} matches it literally`);
    const { rows } = await db().query('select label from public.whatsapp_phone_numbers where id = $1', [data!.id]);
    assert.equal(Buffer.from(rows[0].label).toString('hex'), Buffer.from(label).toString('hex'), 'stored byte for byte');
  }
  const usage = await a.client.from('whatsapp_number_usage').select('label').in('whatsapp_phone_number_id', ids);
  assert.deepEqual(usage.data!.map((r) => r.label).sort(), [...SQL_LOOKING].sort());
  assert.deepEqual((await publicRelations()).map((r) => r.name), tablesBefore, 'no table or view disappeared');
  const { rows } = await db().query("select to_regclass('public.whatsapp_phone_numbers') is not null as numbers, to_regclass('public.account_directions') is not null as directions");
  assert.deepEqual(rows[0], { numbers: true, directions: true });
});

test('SQL-looking direction names are stored as plain text, routed by resolve_whatsapp_number, and sent literally in the dry run', async () => {
  for (const name of SQL_LOOKING.slice(0, 4)) {
    const { data, error } = await a.client.from('account_directions').insert({
      name, daily_budget_cents: 5000, fb_campaign_id: a.campaignId, whatsapp_phone_number_id: a.numbers[0].id,
    }).select('id, name').single();
    assert.equal(error, null, `insert direction ${JSON.stringify(name)}`);
    assert.equal(data!.name, name);
    const route = await a.client.from('direction_whatsapp_routes').select('direction_name, phone_number').eq('direction_id', data!.id).single();
    assert.deepEqual(route.data, { direction_name: name, phone_number: a.numbers[0].phone });
    const dry = await http('/functions/v1/create-adset-in-direction', { method: 'POST', bearer: a.accessToken, body: { direction_id: data!.id, dry_run: true } });
    assert.equal(dry.status, 200, describe(dry));
    assert.ok(dry.json.request.body.name.startsWith(`${name} · WhatsApp`), `ad set name keeps the direction name literally: ${dry.json.request.body.name}`);
  }
  const { rows } = await db().query('select count(*)::int as n from public.account_directions where user_account_id = $1', [a.id]);
  assert.equal(rows[0].n, 2 + 4);
});

test('SQL-looking filter values and column names in the URL are data or a 4xx, never executed', async () => {
  await unchanged([a.id], async () => {
    for (const path of [
      `/rest/v1/whatsapp_phone_numbers?label=eq.${encodeURIComponent("' or 1=1 --")}`,
      `/rest/v1/whatsapp_phone_numbers?select=${encodeURIComponent('id,(select access_token from user_facebook_tokens)')}`,
      `/rest/v1/whatsapp_phone_numbers?order=${encodeURIComponent('id;drop table whatsapp_phone_numbers')}`,
      `/rest/v1/${encodeURIComponent('whatsapp_phone_numbers;drop table account_directions')}`,
    ]) {
      const r = await http(path, { bearer: a.accessToken });
      // Either a 4xx, or rows whose label is literally the SQL-looking text (stored by the test above), never all rows.
      assert.ok(r.status === 200 ? Array.isArray(r.json) && r.json.every((row: { label: string }) => row.label === "' or 1=1 --") : r.status >= 400 && r.status < 500, `${path}: ${describe(r)}`);
    }
  });
  assert.ok(env.apiUrl);
});

// Last in this file: an early 413 from Auth leaves a keep-alive connection that later requests of
// this process may reuse (see the next test).
test('a 5 MB body to /auth/v1/signup is refused with 413, no user created', async () => {
  await unchanged([a.id], async () => {
    const r = await http('/auth/v1/signup', { method: 'POST', body: { email: `huge-${randomUUID()}@example.com`, password: 'x'.repeat(FIVE_MB) } });
    assertClientError(r, [413], 'oversized sign-up');
  });
});

test('after Auth refuses an oversized body with 413, the next request on the same keep-alive connection is answered promptly', async () => {
  const agent = new nodeHttp.Agent({ keepAlive: true, maxSockets: 1 });
  const post = (body: string) => new Promise<{ status: number; ms: number }>((resolve, reject) => {
    const url = new URL(`${env.apiUrl}/auth/v1/signup`);
    const started = Date.now();
    const req = nodeHttp.request({
      host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, timeout: 15_000,
      headers: { apikey: env.anonKey, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => { res.resume(); res.on('end', () => resolve({ status: res.statusCode!, ms: Date.now() - started })); });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('no answer within 15 s')));
    req.end(body);
  });
  try {
    await unchanged([a.id], async () => {
      const big = await post(JSON.stringify({ email: `huge-${randomUUID()}@example.com`, password: 'x'.repeat(FIVE_MB) }));
      assert.equal(big.status, 413);
      const next = await post(JSON.stringify({ email: 'not-an-email', password: 'attack-password-1' }));
      assert.equal(next.status, 400, 'the next request is answered on its own merits');
      assert.ok(next.ms < 2000, `the next request on the same connection waited ${next.ms} ms (the unread rest of the refused body blocks it)`);
    });
  } finally {
    agent.destroy();
  }
});
