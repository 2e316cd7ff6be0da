// Random operation sequences on numbers and directions for three real users (supabase-js through
// the gateway and PostgREST, RLS applies), checked after every step against the reference model
// (model.ts): each operation's acceptance or refusal code, every stored row, at most one default,
// no cross-user reference, and resolve_whatsapp_number / direction_whatsapp_routes equal to the model.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stackEnv } from '../support/env.ts';
import { OK, UserModel, type LegacyValue, type Outcome, type Resolution } from './model.ts';
import { adminPool, signUpUser, type SignedInUser } from './stack-clients.ts';

const env = stackEnv();
const pool = adminPool(env.dbUrl);
const USERS = 3;
// A fixed default seed keeps CI reproducible; FUZZ_SEED=<n> explores (and reproduces) other runs.
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261130;

const PHONES = ['+77010000001', '+77010000002', '+77010000003', '+4915100000004', '+12025550105', '+77010000006'];
/** The same number as people type it: the model stores E.164, the database must normalise to it. */
const LAYOUTS: Array<(e164: string) => string> = [
  (p) => p,
  (p) => `${p.slice(0, 2)} ${p.slice(2, 5)} ${p.slice(5, 8)}-${p.slice(8)}`,
  (p) => `00${p.slice(1)}`,
  (p) => ` ${p.slice(0, 2)} (${p.slice(2, 5)}) ${p.slice(5)} `,
];
const LEGACY: LegacyValue[] = [
  { raw: null, e164: null },
  { raw: '+7 (701) 999-00-00', e164: '+77019990000' },
  { raw: '   ', e164: null },
  { raw: ' call the office ', e164: null },
];

type Op =
  | { kind: 'add'; user: number; phone: number; layout: number; isDefault?: boolean; isActive?: boolean }
  | { kind: 'setDefault'; user: number; n: number; value: boolean }
  | { kind: 'setActive'; user: number; n: number; value: boolean }
  | { kind: 'delete'; user: number; n: number }
  | { kind: 'retire'; user: number; n: number; replacement: number | null; foreignReplacement: boolean }
  | { kind: 'addDirection'; user: number; n: number | null }
  | { kind: 'bind'; user: number; d: number; n: number }
  | { kind: 'unbind'; user: number; d: number }
  | { kind: 'deleteDirection'; user: number; d: number }
  | { kind: 'crossBind'; user: number; other: number; d: number; n: number; asNewDirection: boolean }
  | { kind: 'crossWrite'; user: number; other: number; n: number; what: 'setDefault' | 'deactivate' | 'delete' | 'retire' }
  | { kind: 'setLegacy'; user: number; legacy: number };

const user = fc.nat(USERS - 1);
const other = fc.integer({ min: 1, max: USERS - 1 });
const index = fc.nat(7);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('add' as const), user, phone: fc.nat(PHONES.length - 1), layout: fc.nat(LAYOUTS.length - 1),
    isDefault: fc.option(fc.boolean(), { nil: undefined }), isActive: fc.option(fc.boolean(), { freq: 3, nil: undefined }) }, { requiredKeys: ['kind', 'user', 'phone', 'layout'] }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('setDefault' as const), user, n: index, value: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('setActive' as const), user, n: index, value: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), user, n: index }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('retire' as const), user, n: index, replacement: fc.option(index, { nil: null }), foreignReplacement: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('addDirection' as const), user, n: fc.option(index, { nil: null }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('bind' as const), user, d: index, n: index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unbind' as const), user, d: index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteDirection' as const), user, d: index }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('crossBind' as const), user, other, d: index, n: index, asNewDirection: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('crossWrite' as const), user, other, n: index,
    what: fc.constantFrom('setDefault' as const, 'deactivate' as const, 'delete' as const, 'retire' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('setLegacy' as const), user, legacy: fc.nat(LEGACY.length - 1) }) },
);

let users: SignedInUser[] = [];
let stats = { sequences: 0, steps: 0, skipped: 0, refusals: new Map<string, number>() };

before(async () => {
  users = [];
  for (let i = 0; i < USERS; i++) users.push(await signUpUser(env, `fuzz-ops-${i}`));
});

after(async () => {
  await pool.end();
});

async function resetUsers(): Promise<void> {
  const ids = users.map((u) => u.id);
  await pool.query('delete from public.account_directions where user_account_id = any($1)', [ids]);
  await pool.query('delete from public.whatsapp_phone_numbers where user_account_id = any($1)', [ids]);
  await pool.query('update public.user_accounts set whatsapp_phone_number = null where id = any($1)', [ids]);
}

interface Reply {
  error: { code?: string; message?: string } | null;
  data: unknown;
  status: number;
}

/** What the API answered, in the model's terms. */
function outcomeOf(reply: Reply): Outcome {
  return reply.error ? { ok: false, code: reply.error.code ?? `no code: ${reply.error.message}` } : OK;
}

const pick = <T,>(items: T[], i: number): T | undefined => (items.length === 0 ? undefined : items[i % items.length]);

/** Applies one operation through the API and the model; returns a description, or null when it does not apply. */
async function step(op: Op, models: UserModel[]): Promise<string | null> {
  const me = users[op.user];
  const model = models[op.user];
  const db = me.client;
  const expectOutcome = (what: string, expected: Outcome, reply: Reply) => {
    assert.ok(reply.status < 500, `${what}: the API answered HTTP ${reply.status} ${JSON.stringify(reply.error)}`);
    const actual = outcomeOf(reply);
    assert.deepEqual(actual, expected, `${what}: expected ${JSON.stringify(expected)}, the API answered ${JSON.stringify(reply.error ?? reply.data)}`);
    if (!actual.ok) stats.refusals.set(`${op.kind}:${actual.code}`, (stats.refusals.get(`${op.kind}:${actual.code}`) ?? 0) + 1);
  };
  const rowsOf = (reply: Reply) => (Array.isArray(reply.data) ? reply.data : []);

  switch (op.kind) {
    case 'add': {
      const phone = PHONES[op.phone];
      const typed = LAYOUTS[op.layout](phone);
      const expected = model.predictAddNumber(phone, op.isDefault, op.isActive);
      const row: Record<string, unknown> = { phone_number: typed };
      if (op.isDefault !== undefined) row.is_default = op.isDefault;
      if (op.isActive !== undefined) row.is_active = op.isActive;
      const reply = await db.from('whatsapp_phone_numbers').insert(row).select('id, phone_number, is_default, is_active');
      const what = `user${op.user} adds ${JSON.stringify(typed)} default=${op.isDefault} active=${op.isActive}`;
      expectOutcome(what, expected, reply);
      if (expected.ok) {
        const added = model.commitAddNumber(rowsOf(reply)[0].id, phone, op.isDefault, op.isActive);
        assert.deepEqual(rowsOf(reply)[0], { id: added.id, phone_number: phone, is_default: added.isDefault, is_active: added.isActive }, `${what}: returned row`);
      }
      return what;
    }
    case 'setDefault':
    case 'setActive': {
      const n = pick(model.numbers, op.n);
      if (!n) return null;
      const column = op.kind === 'setDefault' ? 'is_default' : 'is_active';
      const what = `user${op.user} sets ${column}=${op.value} on ${n.phone}`;
      const expected = op.kind === 'setDefault' ? model.setDefault(n.id, op.value) : model.setActive(n.id, op.value);
      const reply = await db.from('whatsapp_phone_numbers').update({ [column]: op.value }).eq('id', n.id).select('id');
      expectOutcome(what, expected, reply);
      if (expected.ok) assert.equal(rowsOf(reply).length, 1, `${what}: one row updated`);
      return what;
    }
    case 'delete': {
      const n = pick(model.numbers, op.n);
      if (!n) return null;
      const what = `user${op.user} deletes ${n.phone}`;
      const expected = model.deleteNumber(n.id);
      const reply = await db.from('whatsapp_phone_numbers').delete().eq('id', n.id).select('id');
      expectOutcome(what, expected, reply);
      if (!expected.ok) assert.match(reply.error?.message ?? '', /^whatsapp_number_in_use:/, `${what}: the refusal names the cause`);
      else assert.equal(rowsOf(reply).length, 1, `${what}: one row deleted`);
      return what;
    }
    case 'retire': {
      const n = pick(model.numbers, op.n);
      if (!n) return null;
      let replacementId: string | null = null;
      if (op.replacement !== null) {
        const pool = op.foreignReplacement ? models[(op.user + 1) % USERS].numbers : model.numbers;
        replacementId = pick(pool, op.replacement)?.id ?? null;
      }
      const what = `user${op.user} retires ${n.phone} for ${replacementId === null ? 'default' : op.foreignReplacement ? "another user's number" : model.number(replacementId)?.phone}`;
      const expected = model.retire(n.id, replacementId);
      const reply = await db.rpc('retire_whatsapp_number', { number_id: n.id, replacement_id: replacementId });
      expectOutcome(what, expected.ok ? OK : expected, reply);
      if (expected.ok) assert.equal(reply.data, expected.moved, `${what}: directions moved`);
      return what;
    }
    case 'addDirection': {
      const n = op.n === null ? undefined : pick(model.numbers, op.n);
      const numberId = n?.id ?? null;
      const what = `user${op.user} adds a direction on ${n?.phone ?? 'the default'}`;
      const expected = model.predictReference(numberId);
      const reply = await db.from('account_directions')
        .insert({ name: `direction ${model.directions.length + 1}`, daily_budget_cents: 5000, whatsapp_phone_number_id: numberId }).select('id');
      expectOutcome(what, expected, reply);
      if (expected.ok) model.commitAddDirection(rowsOf(reply)[0].id, numberId);
      return what;
    }
    case 'bind':
    case 'unbind': {
      const d = pick(model.directions, op.d);
      const n = op.kind === 'bind' ? pick(model.numbers, op.n) : undefined;
      if (!d || (op.kind === 'bind' && !n)) return null;
      const numberId = n?.id ?? null;
      const what = `user${op.user} binds a direction to ${n?.phone ?? 'the default'}`;
      const expected = model.bind(d.id, numberId);
      const reply = await db.from('account_directions').update({ whatsapp_phone_number_id: numberId }).eq('id', d.id).select('id');
      expectOutcome(what, expected, reply);
      return what;
    }
    case 'deleteDirection': {
      const d = pick(model.directions, op.d);
      if (!d) return null;
      const what = `user${op.user} deletes a direction`;
      const expected = model.deleteDirection(d.id);
      const reply = await db.from('account_directions').delete().eq('id', d.id).select('id');
      expectOutcome(what, expected, reply);
      assert.equal(rowsOf(reply).length, 1, `${what}: one row deleted`);
      return what;
    }
    case 'crossBind': {
      const theirs = pick(models[(op.user + op.other) % USERS].numbers, op.n);
      const d = pick(model.directions, op.d);
      if (!theirs || (!op.asNewDirection && !d)) return null;
      const what = `user${op.user} points ${op.asNewDirection ? 'a new' : 'a'} direction at another user's number ${theirs.phone}`;
      const expected = model.predictReference(theirs.id);
      assert.deepEqual(expected, { ok: false, code: '23503' });
      const reply = op.asNewDirection
        ? await db.from('account_directions').insert({ name: 'cross', daily_budget_cents: 5000, whatsapp_phone_number_id: theirs.id }).select('id')
        : await db.from('account_directions').update({ whatsapp_phone_number_id: theirs.id }).eq('id', d!.id).select('id');
      expectOutcome(what, expected, reply);
      return what;
    }
    case 'crossWrite': {
      const theirs = pick(models[(op.user + op.other) % USERS].numbers, op.n);
      if (!theirs) return null;
      const what = `user${op.user} tries ${op.what} on another user's number ${theirs.phone}`;
      let reply: Reply;
      if (op.what === 'retire') {
        reply = await db.rpc('retire_whatsapp_number', { number_id: theirs.id, replacement_id: null });
        expectOutcome(what, model.retire(theirs.id, null), reply);
        return what;
      }
      if (op.what === 'delete') reply = await db.from('whatsapp_phone_numbers').delete().eq('id', theirs.id).select('id');
      else reply = await db.from('whatsapp_phone_numbers').update(op.what === 'setDefault' ? { is_default: true } : { is_active: false }).eq('id', theirs.id).select('id');
      // Row security hides the row: nothing matches, nothing changes (checked against the model below).
      expectOutcome(what, OK, reply);
      assert.equal(rowsOf(reply).length, 0, `${what}: no row may be touched`);
      return what;
    }
    case 'setLegacy': {
      const legacy = LEGACY[op.legacy];
      const what = `user${op.user} sets the legacy number to ${JSON.stringify(legacy.raw)}`;
      const reply = await db.from('user_accounts').update({ whatsapp_phone_number: legacy.raw }).eq('id', me.id).select('id');
      expectOutcome(what, model.setLegacy(legacy), reply);
      return what;
    }
  }
}

/** The database as postgres sees it, compared with the model. */
async function checkState(models: UserModel[], after: string): Promise<void> {
  const ids = users.map((u) => u.id);
  const [numbers, directions, crossRefs, resolutions, routes] = await Promise.all([
    pool.query('select id, user_account_id, phone_number, is_default, is_active from public.whatsapp_phone_numbers where user_account_id = any($1) order by created_at, id', [ids]),
    pool.query('select id, user_account_id, whatsapp_phone_number_id from public.account_directions where user_account_id = any($1)', [ids]),
    pool.query(`select d.id from public.account_directions d join public.whatsapp_phone_numbers n on n.id = d.whatsapp_phone_number_id
                 where n.user_account_id <> d.user_account_id`),
    pool.query(`select d.id as direction_id, r.phone_number, r.whatsapp_phone_number_id, r.source::text as source
                  from public.account_directions d left join lateral public.resolve_whatsapp_number(d.id) r on true
                 where d.user_account_id = any($1)`, [ids]),
    pool.query(`select direction_id, phone_number, whatsapp_phone_number_id, source::text as source
                  from public.direction_whatsapp_routes where user_account_id = any($1)`, [ids]),
  ]);
  assert.deepEqual(crossRefs.rows, [], `after ${after}: a direction references another user's number`);
  models.forEach((model, i) => {
    assert.deepEqual(model.selfCheck(), [], 'the model broke its own rules');
    const id = ids[i];
    const dbNumbers = numbers.rows.filter((r) => r.user_account_id === id)
      .map((r) => ({ id: r.id, phone: r.phone_number, isDefault: r.is_default, isActive: r.is_active }));
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    assert.deepEqual(dbNumbers.slice().sort(byId), model.numbers.map((n) => ({ ...n })).sort(byId), `after ${after}: user${i}'s numbers differ from the model`);
    assert.ok(dbNumbers.filter((n) => n.isDefault).length <= 1, `after ${after}: user${i} has more than one default`);
    const dbDirections = directions.rows.filter((r) => r.user_account_id === id).map((r) => ({ id: r.id, numberId: r.whatsapp_phone_number_id })).sort(byId);
    assert.deepEqual(dbDirections, model.directions.map((d) => ({ ...d })).sort(byId), `after ${after}: user${i}'s directions differ from the model`);
    for (const d of model.directions) {
      const expected: Resolution = model.resolve(d.id);
      const resolved = resolutions.rows.filter((r) => r.direction_id === d.id).map(({ direction_id, ...rest }) => rest);
      assert.deepEqual(resolved, [expected], `after ${after}: resolve_whatsapp_number for user${i}'s direction`);
      const route = routes.rows.filter((r) => r.direction_id === d.id).map(({ direction_id, ...rest }) => rest);
      assert.deepEqual(route, [expected], `after ${after}: direction_whatsapp_routes for user${i}'s direction`);
    }
  });
}

/** The owner resolves a direction through the API as the model does; another user sees nothing. */
async function checkResolveThroughApi(models: UserModel[], op: Op, after: string): Promise<void> {
  const model = models[op.user];
  const d = pick(model.directions, 'd' in op ? op.d : 0);
  if (!d) return;
  const own = await users[op.user].client.rpc('resolve_whatsapp_number', { direction_id: d.id });
  assert.equal(own.error, null, `after ${after}: rpc resolve_whatsapp_number failed: ${own.error?.message}`);
  assert.deepEqual(own.data, [model.resolve(d.id)], `after ${after}: the owner's rpc resolve_whatsapp_number`);
  const stranger = await users[(op.user + 1) % USERS].client.rpc('resolve_whatsapp_number', { direction_id: d.id });
  assert.equal(stranger.error, null);
  assert.deepEqual(stranger.data, [], `after ${after}: another user resolved this user's direction`);
}

test('random sequences of number and direction operations for three users always match the model', async () => {
  stats = { sequences: 0, steps: 0, skipped: 0, refusals: new Map() };
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 20, maxLength: 40 }), async (ops) => {
      await resetUsers();
      const models = users.map((u) => new UserModel(u.id));
      const done: string[] = [];
      stats.sequences++;
      try {
        for (let op of ops) {
          let what = await step(op, models);
          if (what === null) {
            // The target does not exist yet (no number, no direction): add a number instead, so that
            // every step exercises the rules.
            stats.skipped++;
            op = { kind: 'add', user: op.user, phone: (stats.steps + op.user) % PHONES.length, layout: stats.steps % LAYOUTS.length };
            what = (await step(op, models))!;
          }
          done.push(what);
          stats.steps++;
          await checkState(models, what);
          await checkResolveThroughApi(models, op, what);
        }
      } catch (error) {
        (error as Error).message += `\nsteps so far:\n  ${done.join('\n  ')}`;
        throw error;
      }
    }),
    { numRuns: 40, seed, includeErrorInReport: true },
  );
  const refusals = [...stats.refusals].map(([k, v]) => `${k}=${v}`).join(' ');
  console.log(`# operations: ${stats.sequences} sequences, ${stats.steps} steps checked (${stats.skipped} replaced by an add: their target did not exist); refusals seen: ${refusals}`);
  // The sequences must reach the interesting rules, not only the happy path.
  for (const kind of ['add:23505', 'add:23514', 'setDefault:23514', 'setActive:23514', 'delete:23503', 'crossBind:23503', 'crossWrite:PT404']) {
    assert.ok(stats.refusals.has(kind), `no sequence exercised ${kind}`);
  }
});
