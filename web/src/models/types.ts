// Shapes the models work with. They follow the database API in docs/architecture.md;
// the Supabase gateway maps rows into them, test gateways build them directly.

export type DirectionObjective = 'whatsapp' | 'lead_forms' | 'site_leads' | 'instagram_traffic'
export const DIRECTION_OBJECTIVES: readonly DirectionObjective[] = ['whatsapp', 'lead_forms', 'site_leads', 'instagram_traffic']

export type NumberSource = 'direction' | 'default' | 'legacy' | 'page_default'

export interface WhatsAppNumber {
  id: string
  phone_number: string
  label: string | null
  is_default: boolean
  is_active: boolean
  created_at: string
}

export interface DirectionRoute {
  direction_id: string
  direction_name: string
  objective: DirectionObjective
  is_active: boolean
  daily_budget_cents: number
  target_cpl_cents: number | null
  /** The number a launch would use now (after the fallback chain). */
  whatsapp_phone_number_id: string | null
  phone_number: string | null
  label: string | null
  source: NumberSource
  /** The number bound to the direction itself (null = "use default"). */
  own_number_id: string | null
  /** The Facebook campaign its ad sets are created in. */
  fb_campaign_id: string | null
}

export interface NewDirection {
  name: string
  objective: DirectionObjective
  daily_budget_cents: number
  target_cpl_cents: number | null
  whatsapp_phone_number_id: string | null
  fb_campaign_id: string | null
}

export interface DirectionChanges {
  whatsapp_phone_number_id: string | null
  fb_campaign_id: string | null
}

export interface FacebookConnection {
  ad_account_id: string | null
  page_id: string | null
  has_facebook_token: boolean
}

export interface LaunchRecord {
  id: string
  status: 'pending' | 'succeeded' | 'failed'
  fb_adset_id: string | null
  phone_number: string | null
  number_source: NumberSource | null
  error_code: string | null
  error_message: string | null
  error_user_msg: string | null
  created_at: string
}

/** What PostgREST (and our gateways) report when a request fails. */
export interface DbError {
  code?: string
  message: string
  details?: string | null
  hint?: string | null
}

export type Result<T> = { data: T; error: null } | { data: null; error: DbError }

export interface FacebookErrorInfo {
  code?: number
  subcode?: number
  user_title?: string
  user_msg?: string
  fbtrace_id?: string
}

export interface FunctionErrorBody {
  error: { code: string; message: string; facebook?: FacebookErrorInfo }
  launch_id?: string
}

export interface LaunchPreview {
  dry_run: true
  request: { method: string; url: string; body: unknown }
  whatsapp_phone_number: string | null
  source: NumberSource
}

export interface LaunchSuccess {
  launch_id: string
  status: 'succeeded'
  adset_id: string
  whatsapp_phone_number: string | null
  source: NumberSource
  used_page_fallback: boolean
}

export type FunctionResult<T> =
  | { ok: true; data: T }
  | { ok: false; status: number; body: FunctionErrorBody | null; retryAfterSeconds?: number; networkError?: boolean }

export interface SessionInfo {
  userId: string
  email: string | null
}

export type AuthChangeListener = (session: SessionInfo | null) => void

export interface AuthFailure {
  code?: string
  status?: number
  message: string
}

export type AuthResult = { ok: true; session: SessionInfo | null } | { ok: false; error: AuthFailure }

/** The narrow data source the models depend on; the app wires Supabase, tests wire fakes. */
export interface DataGateway {
  auth: {
    getSession(): Promise<SessionInfo | null>
    onChange(listener: AuthChangeListener): () => void
    signIn(email: string, password: string): Promise<AuthResult>
    signUp(email: string, password: string): Promise<AuthResult>
    signOut(): Promise<void>
  }
  numbers: {
    list(): Promise<Result<WhatsAppNumber[]>>
    insert(phone_number: string, label: string | null): Promise<Result<WhatsAppNumber>>
    update(id: string, patch: Partial<Pick<WhatsAppNumber, 'label' | 'is_default' | 'is_active'>>): Promise<Result<WhatsAppNumber>>
    remove(id: string): Promise<Result<null>>
    retire(id: string, replacementId: string | null): Promise<Result<null>>
  }
  directions: {
    listRoutes(): Promise<Result<DirectionRoute[]>>
    insert(direction: NewDirection): Promise<Result<{ id: string }>>
    update(id: string, changes: DirectionChanges): Promise<Result<null>>
  }
  launches: {
    preview(directionId: string): Promise<FunctionResult<LaunchPreview>>
    launch(directionId: string, idempotencyKey: string): Promise<FunctionResult<LaunchSuccess>>
    history(directionId: string): Promise<Result<LaunchRecord[]>>
  }
  facebook: {
    load(): Promise<Result<FacebookConnection>>
    saveIds(ad_account_id: string | null, page_id: string | null): Promise<Result<null>>
    saveToken(access_token: string): Promise<Result<null>>
  }
}
