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
    const detail = String((error as Error & { stderr?: string }).stderr || (error as Error).message);
    throw new StackError(describeMigrationFailure(detail),
      'fix the migration (or the supabase/config.toml setting) named above, then run npm run reset');
  }
}

/** One line from the CLI's output: which migration failed and Postgres's error, e.g. a syntax error. */
export function describeMigrationFailure(cliOutput: string): string {
  const lines = cliOutput.split('\n').map((l) => l.trim()).filter(Boolean);
  const file = [...lines].reverse().find((l) => l.startsWith('Applying migration'))?.match(/Applying migration (\S+?)\.{0,3}$/)?.[1];
  const error = lines.find((l) => l.startsWith('ERROR:')) ?? lines.filter((l) => !/^(Target|Confirmed by|Try rerunning)/.test(l)).slice(-3).join(' | ');
  return file ? `migration supabase/migrations/${file} failed: ${error}` : `supabase migration up failed: ${error}`;
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
