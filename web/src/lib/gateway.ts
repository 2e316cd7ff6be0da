// The production data gateway: the models' narrow interface implemented with the
// one typed Supabase client. Each method is one request the database API defines.
import { FunctionsFetchError, FunctionsHttpError } from '@supabase/functions-js'
import type { Session } from '@supabase/auth-js'
import type {
  AuthResult,
  DataGateway,
  DbError,
  DirectionObjective,
  DirectionRoute,
  FunctionErrorBody,
  FunctionResult,
  LaunchRecord,
  NumberSource,
  Result,
  SessionInfo,
  WhatsAppNumber,
} from '../models/types'
import type { AppSupabaseClient } from './supabase'

const NUMBER_COLUMNS = 'id, phone_number, label, is_default, is_active, created_at'
const LAUNCH_FUNCTION = 'create-adset-in-direction'

function toSessionInfo(session: Session | null): SessionInfo | null {
  return session ? { userId: session.user.id, email: session.user.email ?? null } : null
}

function ok<T>(data: T): Result<T> {
  return { data, error: null }
}

function failed<T>(error: { code?: string; message: string; details?: string | null; hint?: string | null }): Result<T> {
  const dbError: DbError = { code: error.code, message: error.message, details: error.details, hint: error.hint }
  return { data: null, error: dbError }
}

async function functionResult<T>(call: Promise<{ data: unknown; error: unknown }>): Promise<FunctionResult<T>> {
  const { data, error } = await call
  if (!error) return { ok: true, data: data as T }
  if (error instanceof FunctionsHttpError) {
    const response = error.context as Response
    const retryAfter = Number(response.headers.get('Retry-After'))
    let body: FunctionErrorBody | null = null
    try {
      body = (await response.json()) as FunctionErrorBody
    } catch {
      body = null
    }
    return { ok: false, status: response.status, body, retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined }
  }
  return { ok: false, status: 0, body: null, networkError: error instanceof FunctionsFetchError }
}

export function createSupabaseGateway(client: AppSupabaseClient): DataGateway {
  async function currentUserId(): Promise<string | null> {
    const { data } = await client.auth.getSession()
    return data.session?.user.id ?? null
  }

  return {
    auth: {
      async getSession() {
        const { data } = await client.auth.getSession()
        return toSessionInfo(data.session)
      },
      onChange(listener) {
        const { data } = client.auth.onAuthStateChange((_event, session) => listener(toSessionInfo(session)))
        return () => data.subscription.unsubscribe()
      },
      async signIn(email, password): Promise<AuthResult> {
        const { data, error } = await client.auth.signInWithPassword({ email, password })
        if (error) return { ok: false, error: { code: error.code, status: error.status, message: error.message } }
        return { ok: true, session: toSessionInfo(data.session) }
      },
      async signUp(email, password): Promise<AuthResult> {
        const { data, error } = await client.auth.signUp({ email, password })
        if (error) return { ok: false, error: { code: error.code, status: error.status, message: error.message } }
        return { ok: true, session: toSessionInfo(data.session) }
      },
      async signOut() {
        await client.auth.signOut({ scope: 'local' })
      },
    },

    numbers: {
      async list() {
        const { data, error } = await client.from('whatsapp_phone_numbers').select(NUMBER_COLUMNS).order('created_at')
        return error ? failed(error) : ok(data as WhatsAppNumber[])
      },
      async insert(phone_number, label) {
        const { data, error } = await client.from('whatsapp_phone_numbers').insert({ phone_number, label }).select(NUMBER_COLUMNS).single()
        return error ? failed(error) : ok(data as WhatsAppNumber)
      },
      async update(id, patch) {
        const { data, error } = await client.from('whatsapp_phone_numbers').update(patch).eq('id', id).select(NUMBER_COLUMNS).single()
        return error ? failed(error) : ok(data as WhatsAppNumber)
      },
      async remove(id) {
        const { error } = await client.from('whatsapp_phone_numbers').delete().eq('id', id)
        return error ? failed(error) : ok(null)
      },
      async retire(id, replacementId) {
        const { error } = await client.rpc('retire_whatsapp_number', { number_id: id, replacement_id: replacementId ?? undefined })
        return error ? failed(error) : ok(null)
      },
    },

    directions: {
      async listRoutes() {
        const [routes, own] = await Promise.all([
          client.from('direction_whatsapp_routes').select('*'),
          client.from('account_directions').select('id, whatsapp_phone_number_id, fb_campaign_id'),
        ])
        if (routes.error) return failed(routes.error)
        if (own.error) return failed(own.error)
        const ownById = new Map(own.data.map((row) => [row.id, row]))
        const mapped: DirectionRoute[] = routes.data.map((row) => ({
          direction_id: row.direction_id as string,
          direction_name: row.direction_name as string,
          objective: row.objective as DirectionObjective,
          is_active: Boolean(row.is_active),
          daily_budget_cents: Number(row.daily_budget_cents),
          target_cpl_cents: row.target_cpl_cents == null ? null : Number(row.target_cpl_cents),
          whatsapp_phone_number_id: row.whatsapp_phone_number_id ?? null,
          phone_number: row.phone_number ?? null,
          label: row.label ?? null,
          source: row.source as NumberSource,
          own_number_id: ownById.get(row.direction_id as string)?.whatsapp_phone_number_id ?? null,
          fb_campaign_id: ownById.get(row.direction_id as string)?.fb_campaign_id ?? null,
        }))
        return ok(mapped)
      },
      async insert(direction) {
        const { data, error } = await client.from('account_directions').insert(direction).select('id').single()
        return error ? failed(error) : ok({ id: data.id })
      },
      async update(id, changes) {
        const { error } = await client.from('account_directions').update(changes).eq('id', id)
        return error ? failed(error) : ok(null)
      },
    },

    launches: {
      preview(directionId) {
        return functionResult(client.functions.invoke(LAUNCH_FUNCTION, { body: { direction_id: directionId, dry_run: true } }))
      },
      launch(directionId, idempotencyKey) {
        return functionResult(
          client.functions.invoke(LAUNCH_FUNCTION, { body: { direction_id: directionId, idempotency_key: idempotencyKey } }),
        )
      },
      async history(directionId) {
        const { data, error } = await client
          .from('adset_launch_history')
          .select('id, status, fb_adset_id, phone_number, number_source, error_code, error_message, error_user_msg, created_at')
          .eq('direction_id', directionId)
          .order('created_at', { ascending: false })
          .limit(20)
        return error ? failed(error) : ok(data as LaunchRecord[])
      },
    },

    facebook: {
      async load() {
        const { data, error } = await client.from('user_accounts').select('ad_account_id, page_id, has_facebook_token').maybeSingle()
        if (error) return failed(error)
        return ok({
          ad_account_id: data?.ad_account_id ?? null,
          page_id: data?.page_id ?? null,
          has_facebook_token: Boolean(data?.has_facebook_token),
        })
      },
      async saveIds(ad_account_id, page_id) {
        const userId = await currentUserId()
        if (!userId) return failed({ code: 'PGRST301', message: 'not signed in' })
        const { error } = await client.from('user_accounts').update({ ad_account_id, page_id }).eq('id', userId)
        return error ? failed(error) : ok(null)
      },
      async saveToken(access_token) {
        const userId = await currentUserId()
        if (!userId) return failed({ code: 'PGRST301', message: 'not signed in' })
        // Insert, or replace an existing token. Not an upsert: PostgREST's upsert would also
        // update user_account_id, which the browser is (rightly) not allowed to write.
        const inserted = await client.from('user_facebook_tokens').insert({ user_account_id: userId, access_token })
        if (!inserted.error) return ok(null)
        if (inserted.error.code !== '23505') return failed(inserted.error)
        const { error } = await client.from('user_facebook_tokens').update({ access_token }).eq('user_account_id', userId)
        return error ? failed(error) : ok(null)
      },
    },
  }
}
