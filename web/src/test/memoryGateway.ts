// An in-memory data source for component tests. It behaves like the database API
// the app talks to (same rules, same error codes and messages), so the models and
// components under test run unchanged; only the network and Postgres are absent.
import type {
  DataGateway,
  DbError,
  DirectionRoute,
  FacebookConnection,
  FunctionResult,
  LaunchPreview,
  LaunchRecord,
  LaunchSuccess,
  NewDirection,
  Result,
  SessionInfo,
  WhatsAppNumber,
} from '../models/types'

interface StoredDirection extends NewDirection {
  id: string
  is_active: boolean
}

type Operation =
  | 'numbers.list'
  | 'numbers.insert'
  | 'numbers.update'
  | 'numbers.remove'
  | 'numbers.retire'
  | 'directions.listRoutes'
  | 'directions.insert'
  | 'directions.update'
  | 'launches.history'
  | 'facebook.load'
  | 'facebook.saveIds'
  | 'facebook.saveToken'
  | 'auth.signIn'
  | 'auth.signUp'

const ok = <T>(data: T): Result<T> => ({ data, error: null })
const fail = <T>(error: DbError): Result<T> => ({ data: null, error })

export class MemoryGateway implements DataGateway {
  numbersTable: WhatsAppNumber[] = []
  directionsTable: StoredDirection[] = []
  connection: FacebookConnection = { ad_account_id: null, page_id: null, has_facebook_token: false }
  savedToken: string | null = null
  legacyNumber: string | null = null
  launchRecords: (LaunchRecord & { direction_id: string })[] = []
  /** Every launch call, to check what was sent (e.g. idempotency keys). */
  launchCalls: { directionId: string; dryRun: boolean; idempotencyKey?: string }[] = []
  launchReplies: FunctionResult<LaunchSuccess>[] = []
  previewReplies: FunctionResult<LaunchPreview>[] = []
  private failures = new Map<Operation, DbError>()
  private pending = new Map<Operation, Promise<void>>()
  private sequence = 0
  private session: SessionInfo | null = { userId: 'user-1', email: 'user@example.com' }
  /** Accounts GoTrue knows: email → password. */
  accounts = new Map<string, string>()
  /** GoTrue's minimum password length (a project may raise it above the app's 6). */
  minPasswordLength = 6
  /** When true, sign-up answers without a session (the email must be confirmed first). */
  confirmEmail = false
  /** Every sign-in / sign-up as the gateway received it. */
  authCalls: { kind: 'signIn' | 'signUp'; email: string; password: string }[] = []

  /** Makes the next call of `operation` fail with `error`, as the database would. */
  failNext(operation: Operation, error: DbError) {
    this.failures.set(operation, error)
  }

  /** Holds the next call of `operation` until the returned function is called. */
  hold(operation: Operation): () => void {
    let release!: () => void
    this.pending.set(operation, new Promise<void>((resolve) => (release = resolve)))
    return () => release()
  }

  private async enter(operation: Operation): Promise<DbError | null> {
    const held = this.pending.get(operation)
    if (held) {
      this.pending.delete(operation)
      await held
    }
    await Promise.resolve()
    const failure = this.failures.get(operation) ?? null
    this.failures.delete(operation)
    return failure
  }

  private nextId(prefix: string) {
    this.sequence += 1
    return `${prefix}-${this.sequence}`
  }

  addNumber(phone_number: string, options: Partial<WhatsAppNumber> = {}): WhatsAppNumber {
    const first = this.numbersTable.length === 0
    const row: WhatsAppNumber = {
      id: this.nextId('num'),
      phone_number,
      label: null,
      is_default: first,
      is_active: true,
      created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, this.sequence)).toISOString(),
      ...options,
    }
    if (row.is_default) this.numbersTable.forEach((n) => (n.is_default = false))
    this.numbersTable.push(row)
    return row
  }

  addDirection(direction: Partial<StoredDirection> & { name: string }): StoredDirection {
    const row: StoredDirection = {
      id: this.nextId('dir'),
      objective: 'whatsapp',
      daily_budget_cents: 2000,
      target_cpl_cents: null,
      whatsapp_phone_number_id: null,
      fb_campaign_id: null,
      is_active: true,
      ...direction,
    }
    this.directionsTable.push(row)
    return row
  }

  auth: DataGateway['auth'] = {
    getSession: async () => this.session,
    onChange: () => () => {},
    // GoTrue's answers: one invalid_credentials for an unknown email and a wrong password alike.
    signIn: async (email, password) => {
      this.authCalls.push({ kind: 'signIn', email, password })
      await this.enter('auth.signIn')
      if (this.accounts.get(email) !== password) {
        return { ok: false, error: { code: 'invalid_credentials', status: 400, message: 'Invalid login credentials' } }
      }
      this.session = { userId: `user-${email}`, email }
      return { ok: true, session: this.session }
    },
    signUp: async (email, password) => {
      this.authCalls.push({ kind: 'signUp', email, password })
      await this.enter('auth.signUp')
      if (this.accounts.has(email)) {
        return { ok: false, error: { code: 'user_already_exists', status: 422, message: 'User already registered' } }
      }
      if (password.length < this.minPasswordLength) {
        const text = `Password should be at least ${this.minPasswordLength} characters.`
        return { ok: false, error: { code: 'weak_password', status: 422, message: text } }
      }
      this.accounts.set(email, password)
      if (this.confirmEmail) return { ok: true, session: null }
      this.session = { userId: `user-${email}`, email }
      return { ok: true, session: this.session }
    },
    signOut: async () => {
      this.session = null
    },
  }

  numbers: DataGateway['numbers'] = {
    list: async () => {
      const failure = await this.enter('numbers.list')
      return failure ? fail(failure) : ok(this.numbersTable.map((n) => ({ ...n })))
    },
    insert: async (phone_number, label) => {
      const failure = await this.enter('numbers.insert')
      if (failure) return fail(failure)
      if (!/^\+[1-9][0-9]{7,14}$/.test(phone_number)) {
        return fail({ code: '22023', message: `phone_number: '${phone_number}' is not a valid WhatsApp number` })
      }
      if (this.numbersTable.some((n) => n.phone_number === phone_number)) {
        return fail({
          code: '23505',
          message: 'duplicate key value violates unique constraint "whatsapp_phone_numbers_user_phone_key"',
          details: `Key (user_account_id, phone_number)=(user-1, ${phone_number}) already exists.`,
        })
      }
      if (label && label.length > 100) return fail({ code: '22001', message: `label: at most 100 characters (this one has ${label.length})` })
      return ok({ ...this.addNumber(phone_number, { label }) })
    },
    update: async (id, patch) => {
      const failure = await this.enter('numbers.update')
      if (failure) return fail(failure)
      const row = this.numbersTable.find((n) => n.id === id)
      if (!row) return fail({ code: 'PGRST116', message: 'JSON object requested, multiple (or no) rows returned' })
      const next = { ...row, ...patch }
      if (next.is_default && !next.is_active) {
        return fail({
          code: '23514',
          message: row.is_default
            ? 'whatsapp_phone_numbers_default_is_active: the default number cannot be deactivated; make another number the default first'
            : 'whatsapp_phone_numbers_default_is_active: an inactive number cannot be the default',
        })
      }
      if (patch.is_default && !row.is_default) this.numbersTable.forEach((n) => (n.is_default = false))
      Object.assign(row, next)
      return ok({ ...row })
    },
    remove: async (id) => {
      const failure = await this.enter('numbers.remove')
      if (failure) return fail(failure)
      const row = this.numbersTable.find((n) => n.id === id)
      const users = this.directionsTable.filter((d) => d.whatsapp_phone_number_id === id)
      if (row && users.length > 0) {
        return fail({
          code: '23503',
          message: `whatsapp_number_in_use: ${row.phone_number} is used by ${users.length} directions: ${users.map((d) => `"${d.name}"`).join(', ')}`,
          details: JSON.stringify({ directions: users.map((d) => ({ id: d.id, name: d.name })) }),
          hint: 'Move these directions to another number first, or call retire_whatsapp_number(number_id, replacement_id).',
        })
      }
      this.numbersTable = this.numbersTable.filter((n) => n.id !== id)
      return ok(null)
    },
    retire: async (id, replacementId) => {
      const failure = await this.enter('numbers.retire')
      if (failure) return fail(failure)
      this.directionsTable.forEach((d) => {
        if (d.whatsapp_phone_number_id === id) d.whatsapp_phone_number_id = replacementId
      })
      this.numbersTable = this.numbersTable.filter((n) => n.id !== id)
      return ok(null)
    },
  }

  directions: DataGateway['directions'] = {
    listRoutes: async () => {
      const failure = await this.enter('directions.listRoutes')
      return failure ? fail(failure) : ok(this.directionsTable.map((d) => this.route(d)))
    },
    insert: async (direction) => {
      const failure = await this.enter('directions.insert')
      if (failure) return fail(failure)
      if (direction.daily_budget_cents <= 0) {
        return fail({ code: '23514', message: 'new row for relation "account_directions" violates check constraint "account_directions_daily_budget_positive"' })
      }
      if (direction.whatsapp_phone_number_id && !this.numbersTable.some((n) => n.id === direction.whatsapp_phone_number_id)) {
        return fail({
          code: '23503',
          message: 'insert or update on table "account_directions" violates foreign key constraint "account_directions_whatsapp_phone_number_fkey"',
        })
      }
      const row = this.addDirection(direction)
      return ok({ id: row.id })
    },
    update: async (id, changes) => {
      const failure = await this.enter('directions.update')
      if (failure) return fail(failure)
      const row = this.directionsTable.find((d) => d.id === id)
      if (row) Object.assign(row, changes)
      return ok(null)
    },
  }

  /** The fallback chain, as direction_whatsapp_routes computes it. */
  route(d: StoredDirection): DirectionRoute {
    const own = this.numbersTable.find((n) => n.id === d.whatsapp_phone_number_id && n.is_active)
    const fallback = this.numbersTable.find((n) => n.is_default && n.is_active)
    const chosen = own ?? fallback
    return {
      direction_id: d.id,
      direction_name: d.name,
      objective: d.objective,
      is_active: d.is_active,
      daily_budget_cents: d.daily_budget_cents,
      target_cpl_cents: d.target_cpl_cents,
      whatsapp_phone_number_id: chosen?.id ?? null,
      phone_number: chosen?.phone_number ?? this.legacyNumber,
      label: chosen?.label ?? null,
      source: own ? 'direction' : fallback ? 'default' : this.legacyNumber ? 'legacy' : 'page_default',
      own_number_id: d.whatsapp_phone_number_id,
      fb_campaign_id: d.fb_campaign_id,
    }
  }

  launches: DataGateway['launches'] = {
    preview: async (directionId) => {
      this.launchCalls.push({ directionId, dryRun: true })
      await Promise.resolve()
      const scripted = this.previewReplies.shift()
      if (scripted) return scripted
      const direction = this.directionsTable.find((d) => d.id === directionId)
      if (!direction) return { ok: false, status: 404, body: { error: { code: 'direction_not_found', message: 'direction not found' } } }
      const route = this.route(direction)
      return {
        ok: true,
        data: {
          dry_run: true,
          request: {
            method: 'POST',
            url: `https://graph.facebook.com/v23.0/act_${this.connection.ad_account_id}/adsets`,
            body: { name: direction.name, promoted_object: { page_id: this.connection.page_id, whatsapp_phone_number: route.phone_number } },
          },
          whatsapp_phone_number: route.phone_number,
          source: route.source,
        },
      }
    },
    launch: async (directionId, idempotencyKey) => {
      this.launchCalls.push({ directionId, dryRun: false, idempotencyKey })
      await Promise.resolve()
      const scripted = this.launchReplies.shift()
      if (scripted) return scripted
      const direction = this.directionsTable.find((d) => d.id === directionId)!
      const route = this.route(direction)
      const adsetId = String(120000000000 + this.launchCalls.length)
      this.launchRecords.unshift({
        id: this.nextId('launch'),
        direction_id: directionId,
        status: 'succeeded',
        fb_adset_id: adsetId,
        phone_number: route.phone_number,
        number_source: route.source,
        error_code: null,
        error_message: null,
        error_user_msg: null,
        created_at: new Date(Date.UTC(2026, 0, 2, 10, 0, this.launchCalls.length)).toISOString(),
      })
      return {
        ok: true,
        data: {
          launch_id: this.nextId('launch'),
          status: 'succeeded',
          adset_id: adsetId,
          whatsapp_phone_number: route.phone_number,
          source: route.source,
          used_page_fallback: false,
        },
      }
    },
    history: async (directionId) => {
      const failure = await this.enter('launches.history')
      return failure ? fail(failure) : ok(this.launchRecords.filter((r) => r.direction_id === directionId))
    },
  }

  facebook: DataGateway['facebook'] = {
    load: async () => {
      const failure = await this.enter('facebook.load')
      return failure ? fail(failure) : ok({ ...this.connection })
    },
    saveIds: async (ad_account_id, page_id) => {
      const failure = await this.enter('facebook.saveIds')
      if (failure) return fail(failure)
      this.connection = { ...this.connection, ad_account_id, page_id }
      return ok(null)
    },
    saveToken: async (token) => {
      const failure = await this.enter('facebook.saveToken')
      if (failure) return fail(failure)
      this.savedToken = token
      this.connection = { ...this.connection, has_facebook_token: true }
      return ok(null)
    },
  }
}
