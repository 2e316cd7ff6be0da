// The Facebook access token in user_facebook_tokens must never come back to a browser: not through
// a table, view, embedding, select=*, filter, error message, rpc, edge function reply, or a log.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  clearGraphFaults, closeDb, createUser, db, describe, graphFault, graphRequests, http, logFiles, publicFunctions,
  publicRelations, readLog, storedTokens, unchanged, type HttpResult, type TestUser,
} from './support.ts';

let a: TestUser;
let b: TestUser;
before(async () => {
  a = await createUser('token-owner');
  b = await createUser('token-thief');
});
after(closeDb);

const tokens = () => [a.facebookToken, b.facebookToken];
function assertNoToken(text: string, where: string): void {
  for (const token of tokens()) assert.ok(!text.includes(token), `${where} carries a stored access token: ${text.slice(0, 300)}`);
}
/** Reading the token column is either refused (42501) or answers rows whose access_token is null. */
function assertRefusedOrNull(r: HttpResult, where: string): void {
  assertNoToken(r.text, where);
  if (r.json?.code === '42501') return;
  assert.equal(r.status, 200, `${where}: ${describe(r)}`);
  const rows = (Array.isArray(r.json) ? r.json : []) as Record<string, unknown>[];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { if ((/access_token|^t$|^tok$/.test(k)) && (x === null || typeof x !== 'object')) assert.equal(x, null, `${where}: ${k} must read null`); walk(x); }
  };
  walk(rows);
}
const callers = () => [['owner', a.accessToken], ['other user', b.accessToken], ['anon', undefined]] as const;

test('the stored tokens really are in the database (so "not found in responses" means something)', async () => {
  assert.deepEqual(await storedTokens([a.id, b.id]), [...tokens()].sort());
});

test('select=* on every table and view (catalogue-driven), as owner, other user and anon: never the token', async () => {
  const relations = await publicRelations();
  assert.ok(relations.length >= 5);
  await unchanged([a.id, b.id], async () => {
    for (const r of relations) {
      for (const [who, bearer] of callers()) {
        const res = await http(`/rest/v1/${r.name}?select=*`, { bearer });
        assertNoToken(res.text, `${who} GET ${r.name}?select=*`);
        assert.ok(res.status < 500, `${who} ${r.name}: ${describe(res)}`);
      }
    }
  });
});

test('user_facebook_tokens: the owner selecting access_token (explicitly, by alias, as CSV, via supabase-js) gets a refusal or null, never the token', async () => {
  await unchanged([a.id, b.id], async () => {
    for (const path of ['select=access_token', 'select=*', 'select=user_account_id,t:access_token', 'select=access_token::text']) {
      assertRefusedOrNull(await http(`/rest/v1/user_facebook_tokens?${path}`, { bearer: a.accessToken }), path);
    }
    const csv = await http('/rest/v1/user_facebook_tokens?select=*', { bearer: a.accessToken, headers: { accept: 'text/csv' } });
    assert.ok([200, 401, 403].includes(csv.status), describe(csv));
    assertNoToken(csv.text, 'CSV');
    const sdk = await a.client.from('user_facebook_tokens').select('access_token');
    assertNoToken(JSON.stringify(sdk), 'supabase-js select');
    if (!sdk.error) assert.deepEqual(sdk.data, [{ access_token: null }]);
    // What the UI may know: that a token is set.
    const flag = await a.client.from('user_accounts').select('has_facebook_token').single();
    assert.equal(flag.data?.has_facebook_token, true);
  });
});

test('embedding the token table (user_accounts?select=*,user_facebook_tokens(*)): refused or null, no token', async () => {
  await unchanged([a.id, b.id], async () => {
    for (const select of ['*,user_facebook_tokens(*)', '*,user_facebook_tokens(access_token)', 'id,tok:user_facebook_tokens(access_token)', '*,user_facebook_tokens!inner(*)']) {
      for (const [who, bearer] of callers()) {
        const res = await http(`/rest/v1/user_accounts?select=${select}`, { bearer });
        if (!bearer) assert.equal(res.status, 401, describe(res));
        assertRefusedOrNull(res, `${who} embedding ${select}`);
      }
    }
  });
});

test('filters on access_token (a blind oracle: like prefix, gt, not null, order) refuse or match nothing and echo no stored value', async () => {
  await unchanged([a.id, b.id], async () => {
    const prefix = a.facebookToken.slice(0, 20);
    for (const query of [`access_token=like.${encodeURIComponent(prefix)}*`, 'access_token=gt.a', 'access_token=not.is.null', 'access_token=eq.x', `or=(access_token.like.${encodeURIComponent(prefix)}*,access_token.gt.0)`]) {
      for (const [who, bearer] of [['owner', a.accessToken], ['other user', b.accessToken]] as const) {
        const res = await http(`/rest/v1/user_facebook_tokens?select=user_account_id&${query}`, { bearer });
        assertNoToken(res.text, query);
        // A refusal, or no row: a filter must not tell a row with a matching token from one without.
        if (res.json?.code !== '42501') assert.deepEqual(res.json, [], `${who} ${query} discriminates on the token: ${describe(res)}`);
      }
    }
    const ordered = await http('/rest/v1/user_facebook_tokens?select=*&order=access_token', { bearer: a.accessToken });
    assertRefusedOrNull(ordered, 'order=access_token');
  });
});

test('writes to the token table return no token: return=representation gives null, constraint errors echo nothing', async () => {
  const replacement = `replacement-${randomUUID()}`;
  const patch = await http(`/rest/v1/user_facebook_tokens?user_account_id=eq.${a.id}`, { method: 'PATCH', bearer: a.accessToken, body: { access_token: replacement }, headers: { prefer: 'return=representation' } });
  assert.ok(!patch.text.includes(replacement), `RETURNING echoes the new token: ${describe(patch)}`);
  assertRefusedOrNull(patch, 'PATCH return=representation');
  const upsert = await a.client.from('user_facebook_tokens').upsert({ access_token: a.facebookToken }, { onConflict: 'user_account_id' }).select();
  assertNoToken(JSON.stringify(upsert), 'upsert().select()');
  assert.equal(upsert.error, null, 'the owner may set the token again');
  assert.deepEqual(await storedTokens([a.id]), [a.facebookToken], 'the original token is back in place for the launch tests');
  await unchanged([a.id, b.id], async () => {
    const second = `second-${randomUUID()}`;
    const duplicate = await http('/rest/v1/user_facebook_tokens', { method: 'POST', bearer: a.accessToken, body: { access_token: second }, headers: { prefer: 'return=representation' } });
    assert.equal(duplicate.json?.code, '23505', describe(duplicate));
    assert.ok(!duplicate.text.includes(second));
    assertNoToken(duplicate.text, 'duplicate insert');
    const sent = `toolong-${randomUUID()}`;
    const tooLong = await http(`/rest/v1/user_facebook_tokens?user_account_id=eq.${a.id}`, { method: 'PATCH', bearer: a.accessToken, body: { access_token: sent + 'y'.repeat(5000) } });
    assert.ok(['23514', '22001'].includes(tooLong.json?.code), describe(tooLong));
    assert.ok(!tooLong.text.includes(sent), `the error must not echo the token column: ${describe(tooLong)}`);
    assertNoToken(tooLong.text, 'length violation');
  });
});

test('every rpc, called with the owner\'s own ids, returns no token', async () => {
  const functions = await publicFunctions();
  assert.ok(functions.length > 0);
  await unchanged([a.id, b.id], async () => {
    for (const dir of a.directions) {
      const res = await http('/rest/v1/rpc/resolve_whatsapp_number', { method: 'POST', bearer: a.accessToken, body: { direction_id: dir.id } });
      assert.equal(res.status, 200, describe(res));
      assertNoToken(res.text, 'resolve_whatsapp_number');
    }
    for (const fn of functions.filter((f) => f.name !== 'retire_whatsapp_number')) {
      const res = await http(`/rest/v1/rpc/${fn.name}`, { method: 'POST', bearer: a.accessToken, body: fn.sampleArgs });
      assertNoToken(res.text, `rpc ${fn.name}`);
    }
  });
});

test('create-adset-in-direction dry run shows the request without the token', async () => {
  await unchanged([a.id, b.id], async () => {
    const res = await http('/functions/v1/create-adset-in-direction', { method: 'POST', bearer: a.accessToken, body: { direction_id: a.directions[0].id, dry_run: true } });
    assert.equal(res.status, 200, describe(res));
    assert.equal(res.json.dry_run, true);
    assertNoToken(res.text, 'dry run reply');
    assert.ok(!/access_token/i.test(res.text), 'no access_token field in the dry run');
  });
});

test('a real launch succeeds with the token (the Graph double saw it) yet the reply and the audit row never carry it', async () => {
  const before = (await graphRequests()).length;
  const res = await http('/functions/v1/create-adset-in-direction', { method: 'POST', bearer: a.accessToken, body: { direction_id: a.directions[1].id, idempotency_key: `tok-${randomUUID()}` } });
  assert.equal(res.status, 200, describe(res));
  assert.equal(res.json.status, 'succeeded');
  assertNoToken(res.text, 'launch reply');
  const sent = (await graphRequests()).slice(before);
  assert.ok(sent.some((r) => r.access_token === a.facebookToken), 'the launch used the stored token');
  const row = await http(`/rest/v1/adset_launches?id=eq.${res.json.launch_id}&select=*`, { bearer: a.accessToken });
  assert.equal(row.json.length, 1, describe(row));
  assertNoToken(row.text, 'adset_launches row');
  const history = await http(`/rest/v1/adset_launch_history?id=eq.${res.json.launch_id}&select=*`, { bearer: a.accessToken });
  assertNoToken(history.text, 'adset_launch_history row');
  const { rows } = await db().query('select to_jsonb(l)::text as row from public.adset_launches l where user_account_id = $1', [a.id]);
  for (const r of rows) assertNoToken(r.row, 'adset_launches (as postgres)');
});

test('a Facebook error that echoes the token back: neither the function reply nor the stored launch error carries it', async () => {
  await clearGraphFaults();
  await graphFault({
    match: { ad_account_id: b.adAccountId }, times: 1,
    reply: { status: 400, body: { error: { message: `(#100) Invalid parameter for access_token=${b.facebookToken}`, type: 'OAuthException', code: 100, error_user_msg: `token ${b.facebookToken} rejected`, fbtrace_id: 'AttackTrace' } } },
  });
  try {
    const res = await http('/functions/v1/create-adset-in-direction', { method: 'POST', bearer: b.accessToken, body: { direction_id: b.directions[0].id, idempotency_key: `echo-${randomUUID()}` } });
    assert.ok(res.status >= 400 && res.status < 500, describe(res));
    const launches = await http('/rest/v1/adset_launch_history?select=*', { bearer: b.accessToken });
    const leaks = [['function reply', res.text], ['adset_launch_history as read by the user', launches.text]]
      .filter(([, text]) => text.includes(b.facebookToken)).map(([where, text]) => `${where}: ${text.slice(0, 400)}`);
    assert.deepEqual(leaks, [], `the write-only token came back to the browser:\n${leaks.join('\n')}`);
  } finally {
    await clearGraphFaults();
  }
});

test('a wrong-user or anon call to the functions never reveals a token either', async () => {
  await unchanged([a.id, b.id], async () => {
    for (const [, bearer] of callers()) {
      for (const body of [{ direction_id: a.directions[0].id, dry_run: true }, { direction_id: 'not-a-uuid' }, { direction_id: a.directions[0].id, unknown_field: 1 }]) {
        const res = await http('/functions/v1/create-adset-in-direction', { method: 'POST', bearer: bearer ?? undefined, body });
        assertNoToken(res.text, 'function error');
      }
    }
  });
});

test('no token reaches the function, PostgREST or Postgres logs (checked after every case above)', () => {
  const files = logFiles();
  const functionsLog = readLog(files[0]);
  assert.ok(functionsLog.length > 0, `${files[0]} exists and has lines (the launches above logged)`);
  assert.ok(functionsLog.includes(a.directions[1].id), 'the function log recorded the launch above, so it is the right file');
  for (const file of files) assertNoToken(readLog(file), file);
});
