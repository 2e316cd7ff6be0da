// One place that decides ports, folders and keys for a stack instance.
// Defaults come from supabase/config.toml; environment variables override them (documented in README).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'smol-toml';

export const projectRoot = resolve(import.meta.dirname, '..');
export const supabaseDir = resolve(projectRoot, 'supabase');

/** Supabase's documented local-development JWT secret (not a production secret). */
export const LOCAL_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';

export interface StackConfig {
  name: string;
  dataDir: string;
  ports: { api: number; db: number; rest: number; functions: number; web: number; graphDouble: number; restAdmin: number };
  jwtSecret: string;
  jwtExpirySeconds: number;
  bcryptCost: number;
  host: '127.0.0.1';
  dbUrl: string;
  apiUrl: string;
  webUrl: string;
  functionsVerifyJwt: Record<string, boolean>;
  minimumPasswordLength: number;
}

interface SupabaseToml {
  api?: { port?: number };
  db?: { port?: number };
  auth?: { jwt_expiry?: number; minimum_password_length?: number };
  functions?: Record<string, { verify_jwt?: boolean }>;
}

export function readSupabaseToml(): SupabaseToml {
  return parse(readFileSync(resolve(supabaseDir, 'config.toml'), 'utf8')) as SupabaseToml;
}

function envInt(env: NodeJS.ProcessEnv, key: string): number | undefined {
  const raw = env[key];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${key} must be a port number (1-65535), got "${raw}"`);
  return n;
}

/**
 * Ports: STACK_PORT_BASE moves every port together (api = base+1, db = base+2, ...);
 * STACK_API_PORT / STACK_DB_PORT / STACK_WEB_PORT override single ports.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const toml = readSupabaseToml();
  const base = envInt(env, 'STACK_PORT_BASE');
  const apiDefault = base !== undefined ? base + 1 : toml.api?.port ?? 54321;
  const dbDefault = base !== undefined ? base + 2 : toml.db?.port ?? 54322;
  const b = base ?? apiDefault - 1;
  const ports = {
    api: envInt(env, 'STACK_API_PORT') ?? apiDefault,
    db: envInt(env, 'STACK_DB_PORT') ?? dbDefault,
    rest: envInt(env, 'STACK_REST_PORT') ?? b + 3,
    functions: envInt(env, 'STACK_FUNCTIONS_PORT') ?? b + 4,
    web: envInt(env, 'STACK_WEB_PORT') ?? b + 5,
    graphDouble: b + 6,
    restAdmin: b + 7,
  };
  const dataDir = resolve(projectRoot, env.STACK_DATA_DIR || '.stack/dev');
  const jwtSecret = env.STACK_JWT_SECRET || LOCAL_JWT_SECRET;
  if (jwtSecret.length < 32) throw new Error('STACK_JWT_SECRET must be at least 32 characters (PostgREST refuses shorter secrets)');
  const functionsVerifyJwt: Record<string, boolean> = {};
  for (const [name, settings] of Object.entries(toml.functions ?? {})) functionsVerifyJwt[name] = settings.verify_jwt !== false;
  const host = '127.0.0.1' as const;
  return {
    name: env.STACK_NAME || (dataDir.endsWith('/test') ? 'test' : 'dev'),
    dataDir,
    ports,
    jwtSecret,
    jwtExpirySeconds: toml.auth?.jwt_expiry ?? 3600,
    bcryptCost: Number(env.STACK_AUTH_BCRYPT_COST || 10),
    minimumPasswordLength: toml.auth?.minimum_password_length ?? 6,
    host,
    dbUrl: `postgresql://postgres:postgres@${host}:${ports.db}/postgres`,
    apiUrl: `http://${host}:${ports.api}`,
    webUrl: `http://${host}:${ports.web}`,
    functionsVerifyJwt,
  };
}
