// supabase-js clients: one scoped to the caller (their JWT, so RLS applies) and the service client.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { requiredEnv } from './config.ts';

const options = { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } };

/** Acts as the caller: PostgREST sees their JWT and applies row-level security. */
export function userScopedClient(authorization: string): SupabaseClient {
  return createClient(requiredEnv('SUPABASE_URL'), requiredEnv('SUPABASE_ANON_KEY'), {
    ...options,
    global: { headers: { Authorization: authorization } },
  });
}

let service: SupabaseClient | undefined;
/** Bypasses RLS: only for automations and for server-side reads after the caller was checked. */
export function serviceClient(): SupabaseClient {
  service ??= createClient(requiredEnv('SUPABASE_URL'), requiredEnv('SUPABASE_SERVICE_ROLE_KEY'), options);
  return service;
}
