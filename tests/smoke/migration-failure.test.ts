// A broken migration ends the start with one line naming the file and Postgres's error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { projectRoot } from '../../stack/config.ts';
import { cliEnv, describeMigrationFailure, supabaseCli } from '../../stack/migrate.ts';
import { stackEnv } from '../support/env.ts';

test('the Supabase CLI output of a broken migration becomes one line naming the file and the error', () => {
  // A copy of supabase/ with one broken migration added, applied with the real CLI (--workdir) to
  // the test database: the broken file is never in the project, and it fails before changing anything.
  const workdir = mkdtempSync(join(tmpdir(), 'broken-migration-'));
  cpSync(join(projectRoot, 'supabase'), join(workdir, 'supabase'), { recursive: true });
  writeFileSync(join(workdir, 'supabase', 'migrations', '29991231000000_broken.sql'), 'create table oops (;\n');
  const result = spawnSync(supabaseCli, ['migration', 'up', '--yes', '--workdir', workdir, `--remote=${stackEnv().dbUrl}`],
    { env: cliEnv(), encoding: 'utf8' });
  assert.notEqual(result.status, 0);
  const message = describeMigrationFailure(`${result.stdout}\n${result.stderr}`);
  assert.equal(message, 'migration supabase/migrations/29991231000000_broken.sql failed: ERROR: syntax error at or near ";" (SQLSTATE 42601)');
});
