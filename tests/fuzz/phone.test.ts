// Phone input fuzzing: the web app's validation (web/src/lib/phone.ts) and the database
// (private.phone_format_problem / normalize_phone_or_null, and the insert trigger behind PostgREST)
// must agree on every input — same acceptance, same E.164, same reason — and no input may make
// the API answer 5xx.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { normalizePhoneInput, stripPhoneSeparators } from '../../web/src/lib/phone.ts';
import { stackEnv } from '../support/env.ts';
import { phoneInput, showInput, storableInPostgres, TRICKY_CHARACTERS } from './phone-inputs.ts';
import { adminPool, mapLimit, rest, signUpUser, type SignedInUser } from './stack-clients.ts';

const env = stackEnv();
const pool = adminPool(env.dbUrl);
const E164 = /^\+[1-9][0-9]{7,14}$/;
// A fixed default seed keeps CI reproducible; FUZZ_SEED=<n> explores (and reproduces) other runs.
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261130;

interface DbVerdict {
  reason: string | null;
  e164: string | null;
}

/** The database's verdict on many inputs in one statement. */
async function databaseVerdicts(inputs: string[]): Promise<DbVerdict[]> {
  const { rows } = await pool.query<{ i: string; reason: string | null; e164: string | null }>(
    `select t.i, private.phone_format_problem(t.x) as reason, private.normalize_phone_or_null(t.x) as e164
       from unnest($1::text[]) with ordinality as t(x, i) order by t.i`,
    [inputs],
  );
  assert.equal(rows.length, inputs.length);
  return rows.map((r) => ({ reason: r.reason, e164: r.e164 }));
}

function disagreement(input: string, db: DbVerdict): string | null {
  const web = normalizePhoneInput(input);
  const webSays = web.ok ? `ok ${web.e164}` : `refused ${web.reason}`;
  const dbSays = db.reason === null ? `ok ${db.e164}` : `refused ${db.reason}`;
  if (webSays !== dbSays) return `${showInput(input)}: web ${webSays}, database ${dbSays}`;
  if (web.ok && !E164.test(web.e164)) return `${showInput(input)}: accepted as ${web.e164}, which is not E.164`;
  if (web.ok) {
    const again = normalizePhoneInput(web.e164);
    if (!again.ok || again.e164 !== web.e164) return `${showInput(input)}: normalising ${web.e164} again changes it`;
  }
  return null;
}

let stats = { checked: 0, accepted: 0 };

after(async () => {
  await pool.end();
});

test('web validation and the database agree on thousands of generated phone inputs', async () => {
  const BATCH = 100;
  const RUNS = 80;
  stats = { checked: 0, accepted: 0 };
  const problems = new Set<string>();
  // Batches are not shrunk: every disagreeing input is reported as generated, each one already small.
  const details = await fc.check(
    fc.asyncProperty(fc.noShrink(fc.array(phoneInput, { minLength: BATCH, maxLength: BATCH })), async (batch) => {
      const storable = batch.filter(storableInPostgres);
      const verdicts = await databaseVerdicts(storable);
      const found = storable.map((input, i) => disagreement(input, verdicts[i])).filter((p) => p !== null);
      stats.checked += storable.length;
      stats.accepted += verdicts.filter((v) => v.reason === null).length;
      for (const p of found) problems.add(p);
      return true;
    }),
    { numRuns: RUNS, seed },
  );
  assert.equal(details.failed, false, `the property threw (seed ${details.seed}): ${String(details.errorInstance)}`);
  assert.deepEqual([...problems], [], `web and database disagree (FUZZ_SEED=${details.seed} reproduces):\n${[...problems].join('\n')}`);
  // The generators must really exercise both sides of the rule.
  assert.ok(stats.checked >= BATCH * RUNS * 0.95, `only ${stats.checked} inputs checked`);
  assert.ok(stats.accepted > stats.checked * 0.1 && stats.accepted < stats.checked * 0.9,
    `accepted ${stats.accepted} of ${stats.checked}: the mix of valid and invalid input is off`);
  console.log(`# phone fuzz: ${stats.checked} inputs (seed ${details.seed}), ${stats.accepted} accepted by both`);
});

test('every Unicode character is a separator for the web exactly when it is one for the database', async () => {
  // The rule is per character (strip it or not), so comparing the two strip functions over every
  // code point covers what random strings only sample. Full verdicts follow for the stripped ones.
  const codePoints: number[] = [];
  for (let cp = 1; cp <= 0x10ffff; cp++) if (cp < 0xd800 || cp > 0xdfff) codePoints.push(cp);
  const { rows } = await pool.query<{ cp: number }>(
    `select cp from unnest($1::int[]) cp where private.strip_phone_separators('1' || chr(cp) || '1') = '11' order by cp`,
    [codePoints],
  );
  const databaseStrips = rows.map((r) => r.cp);
  const webStrips = codePoints.filter((cp) => stripPhoneSeparators(`1${String.fromCodePoint(cp)}1`) === '11');
  const show = (cps: number[]) => cps.map((cp) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`).join(' ');
  const onlyWeb = webStrips.filter((cp) => !databaseStrips.includes(cp));
  const onlyDatabase = databaseStrips.filter((cp) => !webStrips.includes(cp));
  assert.deepEqual({ onlyWeb: show(onlyWeb), onlyDatabase: show(onlyDatabase) }, { onlyWeb: '', onlyDatabase: '' },
    'characters removed as separators by one side only');
  assert.ok(databaseStrips.length >= 20, `only ${databaseStrips.length} separators: the documented spaces, dashes, dots and brackets are missing`);

  const inputs = databaseStrips.flatMap((cp) => { const c = String.fromCodePoint(cp); return [`+7701${c}1234567`, `${c}+77011234567`, `00${c}77011234567`, c]; });
  const verdicts = await databaseVerdicts(inputs);
  const problems = inputs.map((input, i) => disagreement(input, verdicts[i])).filter((p) => p !== null);
  assert.deepEqual(problems, []);
  console.log(`# phone separators: ${codePoints.length} code points compared, ${databaseStrips.length} are separators on both sides: ${show(databaseStrips)}`);
});

test('no phone input makes the API answer 5xx; inserts and updates answer as the web validation predicts', async () => {
  const user: SignedInUser = await signUpUser(env, 'fuzz-phone');
  const sample = [
    ...fc.sample(phoneInput, { numRuns: 300, seed }),
    ...TRICKY_CHARACTERS.map((c) => `+7 701${c}123 45 67`),
    '', ' ', '\u0000', '+7701\u00001234567', '+7701\ud8001234567', '\udfff', '+'.repeat(5000), '9'.repeat(100_000),
  ];
  const inserted = new Set<string>();
  const problems: string[] = [];
  let fiveHundreds = 0;
  const check = (input: string, what: string, status: number, body: any) => {
    if (status >= 500) {
      fiveHundreds++;
      problems.push(`${what} ${showInput(input.slice(0, 60))}: HTTP ${status} ${JSON.stringify(body)}`);
      return;
    }
    const web = normalizePhoneInput(input);
    if (web.ok) {
      const duplicate = inserted.has(web.e164);
      if (duplicate) {
        if (status !== 409 || body?.code !== '23505') problems.push(`${what} ${showInput(input)}: duplicate of ${web.e164} expected 409/23505, got ${status} ${JSON.stringify(body)}`);
      } else if ((status !== 201 && status !== 200) || body?.[0]?.phone_number !== web.e164) {
        problems.push(`${what} ${showInput(input)}: web accepts as ${web.e164}, API answered ${status} ${JSON.stringify(body)}`);
      }
      return;
    }
    if (!storableInPostgres(input)) {
      // Postgres cannot store NUL and PostgREST decodes lone surrogates its own way: any clean refusal will do.
      if (status < 400) problems.push(`${what} ${showInput(input)}: unstorable input accepted with ${status} ${JSON.stringify(body)}`);
      return;
    }
    const expectedMessage = typeof body?.message === 'string' && body.message.startsWith('phone_number:') && body.message.includes('+77011234567');
    if (status !== 400 || body?.code !== '22023' || body?.details !== web.reason || !expectedMessage) {
      problems.push(`${what} ${showInput(input.slice(0, 60))}: web refuses (${web.reason}), API answered ${status} ${JSON.stringify(body).slice(0, 300)}`);
    }
  };

  // Spellings of one number go one after another (different numbers in parallel): whether an insert
  // is the duplicate must be known before it is sent, not decided by which reply arrives first.
  const byNumber = new Map<string, string[]>();
  for (const input of sample) {
    const web = normalizePhoneInput(input);
    const key = web.ok ? web.e164 : `refused:${input}`;
    byNumber.set(key, [...(byNumber.get(key) ?? []), input]);
  }
  await mapLimit([...byNumber.values()], 6, async (spellings) => {
    for (const input of spellings) {
      const reply = await rest(env, user.accessToken, 'POST', 'whatsapp_phone_numbers', { phone_number: input }, { prefer: 'return=representation' });
      check(input, 'insert', reply.status, reply.body);
      if (reply.status === 201) inserted.add(reply.body[0].phone_number);
    }
  });

  // Updates go through the same trigger: rename one number again and again.
  const target = await rest(env, user.accessToken, 'POST', 'whatsapp_phone_numbers', { phone_number: '+10000000001' }, { prefer: 'return=representation' });
  assert.equal(target.status, 201, target.text);
  inserted.add('+10000000001');
  let current = '+10000000001';
  for (const input of sample.filter((_, i) => i % 4 === 0)) {
    const reply = await rest(env, user.accessToken, 'PATCH', `whatsapp_phone_numbers?id=eq.${target.body[0].id}`, { phone_number: input }, { prefer: 'return=representation' });
    const web = normalizePhoneInput(input);
    const unchanged = web.ok && web.e164 === current;
    if (!unchanged) check(input, 'update', reply.status, reply.body);
    if (reply.status === 200) {
      inserted.delete(current);
      current = reply.body[0].phone_number;
      inserted.add(current);
    }
  }

  const { rows } = await pool.query('select count(*)::int as n from public.whatsapp_phone_numbers where user_account_id = $1 and phone_number !~ $2', [user.id, E164.source]);
  assert.equal(rows[0].n, 0, 'every stored number is E.164');
  console.log(`# phone API: ${sample.length} inserts, ${Math.ceil(sample.length / 4)} updates, ${inserted.size} numbers stored, ${fiveHundreds} answers 5xx`);
  assert.deepEqual(problems, [], problems.slice(0, 40).join('\n'));
});
