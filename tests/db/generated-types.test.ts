// The committed database types must match what `supabase gen types` produces from the migrations.
// Fix a failure with: npm run gen:types. (Regenerates with `supabase gen types typescript --remote=$STACK_DB_URL
// --schema public`; --remote is the CLI 3 spelling of the deprecated --db-url.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { projectRoot } from '../../stack/config.ts';
import { generateTypes, render, TYPE_FILES } from '../../scripts/gen-types.ts';
import { dbUrl } from './support.ts';

const expected = render(generateTypes(dbUrl()));

for (const file of TYPE_FILES) {
  test(`${relative(projectRoot, file)} is up to date with the migrations (npm run gen:types)`, () => {
    const committed = readFileSync(file, 'utf8');
    assert.ok(committed === expected, `${relative(projectRoot, file)} is stale: run npm run gen:types and commit the result`);
  });
}

test('the generated types name the API the other layers use', () => {
  for (const name of ['whatsapp_phone_numbers', 'account_directions', 'user_facebook_tokens', 'adset_launches',
    'direction_whatsapp_routes', 'resolve_whatsapp_number', 'retire_whatsapp_number', 'whatsapp_number_source']) {
    assert.ok(expected.includes(`"${name}"`), `${name} is in the generated types`);
  }
});
