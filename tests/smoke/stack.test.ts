// Proves the local stack with the real client: supabase-js against the gateway, PostgREST,
// local auth and the Deno functions runtime.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import { SignJWT } from 'jose';
import { stackEnv } from '../support/env.ts';

const env = stackEnv();
const client = () => createClient(env.apiUrl, env.anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
const newEmail = () => `smoke-${randomUUID()}@example.com`;

test('a user signs up, signs in, reads only their own account through RLS, refreshes, calls a function and signs out', async () => {
  const supabase = client();
  const email = newEmail();
  const signUp = await supabase.auth.signUp({ email, password: 'correct-horse-1' });
  assert.equal(signUp.error, null);
  assert.ok(signUp.data.session, 'sign-up auto-confirms and returns a session');

  const signIn = await supabase.auth.signInWithPassword({ email, password: 'correct-horse-1' });
  assert.equal(signIn.error, null);
  const userId = signIn.data.user!.id;
  assert.equal(signIn.data.user!.email, email);

  const accounts = await supabase.from('user_accounts').select('id');
  assert.equal(accounts.error, null);
  assert.deepEqual(accounts.data, [{ id: userId }], 'RLS shows the caller exactly their own account row');

  const before = signIn.data.session!;
  const refreshed = await supabase.auth.refreshSession();
  assert.equal(refreshed.error, null);
  assert.notEqual(refreshed.data.session!.refresh_token, before.refresh_token, 'refresh tokens rotate');
  assert.equal(refreshed.data.user!.id, userId);

  const { data: who, error: invokeError } = await supabase.functions.invoke('health');
  assert.equal(invokeError, null);
  assert.deepEqual(who, { ok: true, role: 'authenticated', user_id: userId });

  const user = await supabase.auth.getUser();
  assert.equal(user.data.user?.id, userId);

  const refreshToken = refreshed.data.session!.refresh_token;
  assert.equal((await supabase.auth.signOut()).error, null);
  const afterSignOut = await client().auth.refreshSession({ refresh_token: refreshToken });
  assert.ok(afterSignOut.error, 'a signed-out session cannot be refreshed');
});

test('a reused refresh token (after the reuse window) is refused: rotation detects theft', async () => {
  const supabase = client();
  const email = newEmail();
  const { data } = await supabase.auth.signUp({ email, password: 'correct-horse-1' });
  const first = data.session!.refresh_token;
  const res = await fetch(`${env.apiUrl}/auth/v1/token?grant_type=refresh_token`, {
    method: 'POST', headers: { apikey: env.anonKey, 'content-type': 'application/json' }, body: JSON.stringify({ refresh_token: first }),
  });
  assert.equal(res.status, 200);
  const unknown = await fetch(`${env.apiUrl}/auth/v1/token?grant_type=refresh_token`, {
    method: 'POST', headers: { apikey: env.anonKey, 'content-type': 'application/json' }, body: JSON.stringify({ refresh_token: 'not-a-token' }),
  });
  assert.equal(unknown.status, 400);
  assert.equal((await unknown.json()).error_code, 'refresh_token_not_found');
});

test('wrong password and unknown account get the same GoTrue error; a duplicate sign-up is refused', async () => {
  const supabase = client();
  const email = newEmail();
  await supabase.auth.signUp({ email, password: 'correct-horse-1' });
  const wrong = await supabase.auth.signInWithPassword({ email, password: 'wrong-password' });
  assert.equal(wrong.error?.status, 400);
  assert.equal(wrong.error?.code, 'invalid_credentials');
  const unknown = await supabase.auth.signInWithPassword({ email: newEmail(), password: 'whatever-1' });
  assert.equal(unknown.error?.code, 'invalid_credentials');
  const duplicate = await client().auth.signUp({ email, password: 'correct-horse-1' });
  assert.equal(duplicate.error?.code, 'user_already_exists');
  const weak = await client().auth.signUp({ email: newEmail(), password: '123' });
  assert.equal(weak.error?.code, 'weak_password');
});

test('anon is refused: no account rows, no function call as a user', async () => {
  const anon = client();
  const accounts = await anon.from('user_accounts').select('id');
  assert.ok(accounts.error?.code === '42501' || (accounts.data ?? []).length === 0, 'anon reads no accounts');
  const { data } = await anon.functions.invoke('health');
  assert.equal(data?.role, 'anon', 'the function sees an anonymous caller, not a user');
  assert.equal(data?.user_id, null);
});

test('a JWT signed with the wrong secret is refused by PostgREST and by the functions gateway', async () => {
  const forged = await new SignJWT({ role: 'authenticated', aud: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256' }).setSubject(randomUUID()).setExpirationTime('1h')
    .sign(new TextEncoder().encode('this-is-not-the-stack-secret-but-is-long-enough'));
  const rest = await fetch(`${env.apiUrl}/rest/v1/user_accounts?select=id`, { headers: { apikey: env.anonKey, authorization: `Bearer ${forged}` } });
  assert.equal(rest.status, 401);
  const fn = await fetch(`${env.apiUrl}/functions/v1/health`, { method: 'POST', headers: { authorization: `Bearer ${forged}` } });
  assert.equal(fn.status, 401);
  const noKey = await fetch(`${env.apiUrl}/rest/v1/user_accounts`);
  assert.equal(noKey.status, 401, 'the gateway refuses requests without an API key');
});

test('CORS preflight is answered as Supabase answers it', async () => {
  const res = await fetch(`${env.apiUrl}/rest/v1/whatsapp_phone_numbers`, {
    method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'apikey, authorization, content-type' },
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  assert.match(res.headers.get('access-control-allow-headers') ?? '', /apikey/);
});
