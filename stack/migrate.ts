// Platform bootstrap, the project's migrations (through the Supabase CLI itself) and the seed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from './errors.ts';
import { run } from './process.ts';
import { projectRoot, supabaseDir, type StackConfig } from './config.ts';
import { runSql } from './postgres.ts';

export const supabaseCli = join(projectRoot, 'node_modules', '.bin', 'supabase');

export function cliEnv(): NodeJS.ProcessEnv {
  return { ...process.env, SUPABASE_TELEMETRY_DISABLED: '1', PGSSLMODE: 'disable', DO_NOT_TRACK: '1' };
}

/** Runs a Supabase CLI command against the stack's database. */
export function supabase(config: StackConfig, args: string[]): string {
  return run(supabaseCli, [...args, `--remote=${config.dbUrl}`], { cwd: projectRoot, env: cliEnv() });
}

export async function applyBootstrap(config: StackConfig): Promise<void> {
  await runSql(config, readFileSync(join(projectRoot, 'stack', 'bootstrap.sql'), 'utf8'));
}

export function applyMigrations(config: StackConfig): void {
  try {
    supabase(config, ['migration', 'up', '--yes']);
  } catch (error) {
    const detail = String((error as Error & { stderr?: string }).stderr || (error as Error).message).trim();
    throw new StackError(`supabase migration up failed: ${detail.split('\n').slice(-4).join(' | ')}`,
      'fix the migration (or supabase/config.toml setting) named above, then run npm run reset');
  }
}

export async function applySeed(config: StackConfig): Promise<void> {
  const seed = join(supabaseDir, 'seed.sql');
  if (!existsSync(seed)) return;
  try {
    await runSql(config, readFileSync(seed, 'utf8'));
  } catch (error) {
    throw new StackError(`supabase/seed.sql failed: ${(error as Error).message}`, 'fix supabase/seed.sql, then run npm run reset');
  }
}
