// Function secrets: supabase/functions/.env is read, and the starting process's environment wins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../stack/config.ts';
import { functionEnv, readDotEnv } from '../../stack/functions.ts';

test('the .env parser reads KEY=value lines, strips quotes and skips comments', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dotenv-'));
  const file = join(dir, '.env');
  writeFileSync(file, '# comment\nA=1\nB = "two words"\n  C=\'3\'\nnot a line\n');
  assert.deepEqual(readDotEnv(file), { A: '1', B: 'two words', C: '3' });
  assert.deepEqual(readDotEnv(join(dir, 'missing')), {});
});

test('functions get the file value, unless the environment sets it; stack URLs and keys are always the stack\'s', () => {
  const config = loadConfig({ STACK_PORT_BASE: '55920' });
  const keys = { anonKey: 'anon', serviceRoleKey: 'service' };
  const saved = process.env.FACEBOOK_GRAPH_API_VERSION;
  try {
    delete process.env.FACEBOOK_GRAPH_API_VERSION;
    assert.equal(functionEnv(config, keys).FACEBOOK_GRAPH_API_VERSION, readDotEnv('supabase/functions/.env').FACEBOOK_GRAPH_API_VERSION);
    process.env.FACEBOOK_GRAPH_API_VERSION = 'v99.0';
    const env = functionEnv(config, keys);
    assert.equal(env.FACEBOOK_GRAPH_API_VERSION, 'v99.0');
    assert.equal(env.SUPABASE_URL, 'http://127.0.0.1:55921');
    assert.equal(env.SUPABASE_SERVICE_ROLE_KEY, 'service');
  } finally {
    if (saved === undefined) delete process.env.FACEBOOK_GRAPH_API_VERSION;
    else process.env.FACEBOOK_GRAPH_API_VERSION = saved;
  }
});
