// Installs what the project needs on a fresh machine, and does nothing (quickly) when it is there.
// Plain JavaScript: it runs before npm packages (tsx, TypeScript) exist.
//   node stack/ensure-deps.mjs          npm packages + Debian packages the stack needs
//   node stack/ensure-deps.mjs --test   + what the test suites need (pgTAP, plpgsql_check, Chromium)
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const forTests = process.argv.includes('--test');
const isRoot = process.getuid?.() === 0;

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) {
    console.error(`✖ ${cmd} ${args.join(' ')} failed (exit ${r.status})`);
    process.exit(1);
  }
}

function npmPackages() {
  const lock = join(root, 'package-lock.json');
  const installed = join(root, 'node_modules', '.package-lock.json');
  const fresh = existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs
    && existsSync(join(root, 'node_modules', '.bin', 'deno'));
  if (fresh) return;
  // `npm install`, not `npm ci`: the registry here does not serve other platforms' optional builds of
  // the Supabase CLI and PostgREST, which makes `npm ci` refuse the lock; `npm install` keeps the
  // locked versions and skips the unavailable optional packages.
  console.log('• installing npm packages (npm install, locked versions)…');
  sh('npm', ['install', '--no-audit', '--no-fund']);
}

const debianPackages = [
  { name: 'postgresql-15', check: '/usr/lib/postgresql/15/bin/postgres' },
  ...(forTests ? [
    { name: 'postgresql-15-pgtap', check: '/usr/share/postgresql/15/extension/pgtap.control' },
    { name: 'libtap-parser-sourcehandler-pgtap-perl', check: '/usr/bin/pg_prove' },
    { name: 'postgresql-15-plpgsql-check', check: '/usr/share/postgresql/15/extension/plpgsql_check.control' },
    { name: 'chromium', check: '/usr/bin/chromium' },
  ] : []),
];

function debian() {
  const missing = debianPackages.filter((p) => !existsSync(p.check)).map((p) => p.name);
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (!isRoot) {
    console.error(`✖ missing Debian packages: ${missing.join(', ')}\n  fix: sudo sh -c '${command}'`);
    process.exit(1);
  }
  console.log(`• installing Debian packages: ${missing.join(', ')}…`);
  sh('sh', ['-c', command], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

debian();
npmPackages();
