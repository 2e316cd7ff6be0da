// Function secrets: supabase/functions/.env is read, and the starting process's environment wins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../stack/config.ts';
import { functionEnv, readDotEnv } from '../../stack/functions.ts';

const dir = mkdtempSync(join(tmpdir(), 'dotenv-'));

test('the .env parser reads KEY=value lines, strips quotes and skips comments', () => {
  const file = join(dir, 'parse.env');
  writeFileSync(file, '# comment\nA=1\nB = "two words"\n  C=\'3\'\nnot a line\n');
  assert.deepEqual(readDotEnv(file), { A: '1', B: 'two words', C: '3' });
  assert.deepEqual(readDotEnv(join(dir, 'missing')), {});
});

test('functions get the file value, unless the environment sets it; stack URLs and keys are always the stack\'s', () => {
  const file = join(dir, 'functions.env');
  writeFileSync(file, 'FACEBOOK_GRAPH_API_VERSION=v21.0\nCUSTOM_SECRET=from-file\n');
  const config = loadConfig({ STACK_PORT_BASE: '55920' });
  const keys = { anonKey: 'anon', serviceRoleKey: 'service' };
  const saved = process.env.FACEBOOK_GRAPH_API_VERSION;
  try {
    delete process.env.FACEBOOK_GRAPH_API_VERSION;
    const fromFile = functionEnv(config, keys, file);
    assert.equal(fromFile.FACEBOOK_GRAPH_API_VERSION, 'v21.0');
    assert.equal(fromFile.CUSTOM_SECRET, 'from-file');
    assert.equal(functionEnv(config, keys, join(dir, 'missing')).FACEBOOK_GRAPH_API_VERSION, 'v23.0', 'the default without a file');
    process.env.FACEBOOK_GRAPH_API_VERSION = 'v99.0';
    const env = functionEnv(config, keys, file);
    assert.equal(env.FACEBOOK_GRAPH_API_VERSION, 'v99.0');
    assert.equal(env.SUPABASE_URL, 'http://127.0.0.1:55921');
    assert.equal(env.SUPABASE_SERVICE_ROLE_KEY, 'service');
  } finally {
    if (saved === undefined) delete process.env.FACEBOOK_GRAPH_API_VERSION;
    else process.env.FACEBOOK_GRAPH_API_VERSION = saved;
  }
});
