// Local Supabase Auth: the subset of GoTrue's HTTP API that supabase-js uses (sign-up with
// auto-confirm, password and rotating refresh-token grants, get user, sign-out), with GoTrue's
// error shape {code, error_code, msg} and bcrypt hashes made by pgcrypto's crypt(), as GoTrue stores them.
// Production uses Supabase Auth; this exists only in the local stack.
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pg from 'pg';
import { SignJWT, jwtVerify } from 'jose';
import type { StackConfig } from './config.ts';

interface UserRow {
  id: string;
  email: string;
  aud: string;
  role: string;
  email_confirmed_at: Date | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: Record<string, unknown> | null;
  raw_user_meta_data: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
}

class AuthError extends Error {
  constructor(readonly status: number, readonly errorCode: string, message: string) {
    super(message);
  }
}

const USER_COLUMNS = 'id, email, aud, role, email_confirmed_at, last_sign_in_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at';
const REFRESH_REUSE_SECONDS = 10;
const MAX_BODY_BYTES = 64 * 1024;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function userJson(u: UserRow) {
  return {
    id: u.id,
    aud: u.aud,
    role: u.role,
    email: u.email,
    email_confirmed_at: u.email_confirmed_at?.toISOString() ?? null,
    phone: '',
    confirmed_at: u.email_confirmed_at?.toISOString() ?? null,
    last_sign_in_at: u.last_sign_in_at?.toISOString() ?? null,
    app_metadata: u.raw_app_meta_data ?? {},
    user_metadata: u.raw_user_meta_data ?? {},
    identities: [],
    created_at: u.created_at.toISOString(),
    updated_at: u.updated_at.toISOString(),
    is_anonymous: false,
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size > MAX_BODY_BYTES) return; // already refused: the rest is read and dropped
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new AuthError(413, 'request_too_large', `Request body is larger than ${MAX_BODY_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
  if (raw.length === 0) return {};
  try {
    const parsed = JSON.parse(raw.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch {
    throw new AuthError(400, 'bad_json', 'Could not parse request body as JSON');
  }
}

/** Connection-level failures (database restarting or down), as opposed to errors in a query. */
function databaseUnavailable(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return ['ECONNREFUSED', 'ECONNRESET', '57P01', '57P02', '57P03', '08000', '08003', '08006'].includes(e?.code ?? '')
    || /Connection terminated|connect ECONNREFUSED|the database system is (starting up|shutting down)/.test(e?.message ?? '');
}

function bearer(req: IncomingMessage): string | null {
  return req.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? null;
}

export function createAuthService(config: StackConfig, pool: pg.Pool) {
  const secret = new TextEncoder().encode(config.jwtSecret);
  const issuer = `${config.apiUrl}/auth/v1`;

  async function issueSession(user: UserRow, sessionId: string, refreshToken: string) {
    const now = Math.floor(Date.now() / 1000);
    const expiresAt = now + config.jwtExpirySeconds;
    const accessToken = await new SignJWT({
      aud: 'authenticated', email: user.email, phone: '', role: 'authenticated', aal: 'aal1',
      amr: [{ method: 'password', timestamp: now }], session_id: sessionId, is_anonymous: false,
      app_metadata: user.raw_app_meta_data ?? {}, user_metadata: user.raw_user_meta_data ?? {},
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(issuer)
      .setIssuedAt(now)
      .setExpirationTime(expiresAt)
      .sign(secret);
    return {
      access_token: accessToken, token_type: 'bearer', expires_in: config.jwtExpirySeconds, expires_at: expiresAt,
      refresh_token: refreshToken, user: userJson(user),
    };
  }

  async function newSession(client: pg.PoolClient, user: UserRow) {
    const sessionId = randomUUID();
    const refreshToken = randomBytes(16).toString('base64url');
    await client.query('insert into auth.sessions (id, user_id) values ($1, $2)', [sessionId, user.id]);
    await client.query('insert into auth.refresh_tokens (token, user_id, session_id) values ($1, $2, $3)', [refreshToken, user.id, sessionId]);
    return issueSession(user, sessionId, refreshToken);
  }

  async function inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('begin');
      const result = await work(client);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  function credentials(body: Record<string, unknown>): { email: string; password: string } {
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    return { email, password };
  }

  async function signUp(body: Record<string, unknown>) {
    const { email, password } = credentials(body);
    if (!email) throw new AuthError(400, 'validation_failed', 'To signup, please provide your email');
    if (!EMAIL_PATTERN.test(email) || email.length > 255) throw new AuthError(400, 'validation_failed', 'Unable to validate email address: invalid format');
    if (password.length < config.minimumPasswordLength) {
      throw new AuthError(422, 'weak_password', `Password should be at least ${config.minimumPasswordLength} characters.`);
    }
    if (password.length > 72) throw new AuthError(422, 'weak_password', 'Password cannot be longer than 72 characters');
    const data = (body.data && typeof body.data === 'object' && !Array.isArray(body.data)) ? body.data : {};
    return inTransaction(async (client) => {
      const inserted = await client.query<UserRow>(
        `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
           raw_app_meta_data, raw_user_meta_data, created_at, updated_at, last_sign_in_at)
         values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2,
           extensions.crypt($3, extensions.gen_salt('bf', $4)), now(),
           '{"provider":"email","providers":["email"]}', $5, now(), now(), now())
         on conflict do nothing
         returning ${USER_COLUMNS}`,
        [randomUUID(), email, password, config.bcryptCost, JSON.stringify(data)],
      );
      if (inserted.rowCount === 0) throw new AuthError(422, 'user_already_exists', 'User already registered');
      return newSession(client, inserted.rows[0]);
    });
  }

  async function passwordGrant(body: Record<string, unknown>) {
    const { email, password } = credentials(body);
    if (!email || !password) throw new AuthError(400, 'validation_failed', 'You must provide either an email or phone number and a password');
    return inTransaction(async (client) => {
      const found = await client.query<UserRow>(
        `update auth.users set last_sign_in_at = now()
          where lower(email) = $1 and deleted_at is null and encrypted_password = extensions.crypt($2, encrypted_password)
          returning ${USER_COLUMNS}`,
        [email, password],
      );
      // GoTrue answers the same for an unknown email and a wrong password, so accounts cannot be enumerated.
      if (found.rowCount === 0) throw new AuthError(400, 'invalid_credentials', 'Invalid login credentials');
      return newSession(client, found.rows[0]);
    });
  }

  async function refreshGrant(body: Record<string, unknown>) {
    const token = typeof body.refresh_token === 'string' ? body.refresh_token : '';
    if (!token) throw new AuthError(400, 'validation_failed', 'Refresh Token is required');
    return inTransaction(async (client) => {
      const found = await client.query<{ id: string; user_id: string; revoked: boolean; session_id: string; updated_at: Date }>(
        'select id, user_id, revoked, session_id, updated_at from auth.refresh_tokens where token = $1 for update', [token]);
      if (found.rowCount === 0) throw new AuthError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
      const row = found.rows[0];
      const userResult = await client.query<UserRow>(`select ${USER_COLUMNS} from auth.users where id = $1 and deleted_at is null`, [row.user_id]);
      if (userResult.rowCount === 0) throw new AuthError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
      const user = userResult.rows[0];
      if (row.revoked) {
        const ageSeconds = (Date.now() - row.updated_at.getTime()) / 1000;
        const child = await client.query<{ token: string }>(
          'select token from auth.refresh_tokens where parent = $1 and revoked = false order by id desc limit 1', [token]);
        // Within the reuse interval a concurrent refresh gets the same successor (GoTrue's behaviour);
        // after it, reuse means theft: the whole session is revoked.
        if (ageSeconds <= REFRESH_REUSE_SECONDS && child.rowCount) return issueSession(user, row.session_id, child.rows[0].token);
        await client.query('update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = $1', [row.session_id]);
        throw new AuthError(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used');
      }
      const next = randomBytes(16).toString('base64url');
      await client.query('update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1', [row.id]);
      await client.query('insert into auth.refresh_tokens (token, user_id, session_id, parent) values ($1, $2, $3, $4)',
        [next, row.user_id, row.session_id, token]);
      await client.query('update auth.sessions set refreshed_at = now(), updated_at = now() where id = $1', [row.session_id]);
      return issueSession(user, row.session_id, next);
    });
  }

  async function verifiedClaims(req: IncomingMessage) {
    const token = bearer(req);
    if (!token) throw new AuthError(401, 'no_authorization', 'This endpoint requires a Bearer token');
    try {
      const { payload } = await jwtVerify(token, secret);
      return payload;
    } catch {
      throw new AuthError(403, 'bad_jwt', 'invalid JWT: unable to parse or verify signature, token is expired or signature is invalid');
    }
  }

  async function getUser(req: IncomingMessage) {
    const claims = await verifiedClaims(req);
    if (!claims.sub) throw new AuthError(403, 'bad_jwt', 'invalid claim: missing sub claim');
    const found = await pool.query<UserRow>(`select ${USER_COLUMNS} from auth.users where id = $1 and deleted_at is null`, [claims.sub]);
    if (found.rowCount === 0) throw new AuthError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
    return userJson(found.rows[0]);
  }

  async function logout(req: IncomingMessage, scope: string) {
    const claims = await verifiedClaims(req);
    const sessionId = typeof claims.session_id === 'string' ? claims.session_id : null;
    if (!claims.sub) return;
    if (scope === 'global' || !sessionId) {
      await pool.query('delete from auth.sessions where user_id = $1', [claims.sub]);
    } else if (scope === 'others') {
      await pool.query('delete from auth.sessions where user_id = $1 and id <> $2', [claims.sub, sessionId]);
    } else {
      await pool.query('delete from auth.sessions where id = $1', [sessionId]);
    }
  }

  /** Handles /auth/v1/* (path without the prefix). */
  return async function handle(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, cors: Record<string, string>) {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { ...cors, 'content-type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    try {
      const method = req.method ?? 'GET';
      if (method === 'GET' && path === '/health') return send(200, { version: 'local', name: 'GoTrue (local subset)' });
      if (method === 'GET' && path === '/settings') {
        return send(200, { external: { email: true }, disable_signup: false, mailer_autoconfirm: true });
      }
      if (method === 'POST' && path === '/signup') return send(200, await signUp(await readJson(req)));
      if (method === 'POST' && path === '/token') {
        const grant = query.get('grant_type');
        const body = await readJson(req);
        if (grant === 'password') return send(200, await passwordGrant(body));
        if (grant === 'refresh_token') return send(200, await refreshGrant(body));
        throw new AuthError(400, 'unsupported_grant_type', 'unsupported_grant_type');
      }
      if (method === 'GET' && path === '/user') return send(200, await getUser(req));
      if (method === 'POST' && path === '/logout') {
        await logout(req, query.get('scope') ?? 'global');
        res.writeHead(204, cors);
        return res.end();
      }
      throw new AuthError(404, 'not_found', `${method} /auth/v1${path} is not available in the local auth service`);
    } catch (error) {
      if (error instanceof AuthError) return send(error.status, { code: error.status, error_code: error.errorCode, msg: error.message });
      if (databaseUnavailable(error)) {
        res.setHeader('retry-after', '1');
        return send(503, { code: 503, error_code: 'service_unavailable', msg: 'The auth database is unavailable; try again in a moment' });
      }
      console.error('auth error', error);
      return send(500, { code: 500, error_code: 'unexpected_failure', msg: 'Unexpected failure, please check server logs' });
    }
  };
}
