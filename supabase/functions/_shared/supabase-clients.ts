// The supabase-js client scoped to the caller: their JWT goes to PostgREST, so RLS applies.
// Server-side reads and the audit table use the direct connection in db.ts.
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
