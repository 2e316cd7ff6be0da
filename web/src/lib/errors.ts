// Turns database, function and auth failures into product sentences.
// Codes and constraint names are the contract in docs/architecture.md; the user
// never sees them, only the sentence they stand for.
import { message, type Message } from '../models/i18n'
import type { AuthFailure, DbError, FunctionResult, LaunchRecord } from '../models/types'

export interface DirectionRef {
  id: string
  name: string
}

/** The directions named by a `whatsapp_number_in_use` refusal (its `details` is JSON). */
export function directionsInUse(error: DbError): DirectionRef[] | null {
  if (error.code !== '23503' || !error.message.startsWith('whatsapp_number_in_use')) return null
  try {
    const parsed = JSON.parse(error.details ?? '') as { directions?: DirectionRef[] }
    return Array.isArray(parsed.directions) ? parsed.directions : []
  } catch {
    return []
  }
}

const mentions = (error: DbError, name: string) =>
  error.message.includes(name) || (error.details ?? '').includes(name) || (error.hint ?? '').includes(name)

export function describeDbError(error: DbError): Message {
  const inUse = directionsInUse(error)
  if (inUse) return message('errors.numberInUse', { directions: inUse.map((d) => d.name).join(', ') })
  switch (error.code) {
    case '22023':
      if (error.message.startsWith('phone_number')) return message('errors.phoneFormat')
      break
    case '23505':
      if (mentions(error, 'whatsapp_phone_numbers_user_phone_key')) return message('errors.duplicateNumber')
      break
    case '22001':
      if (error.message.startsWith('label')) return message('errors.labelTooLong')
      break
    case '23514':
      if (mentions(error, 'whatsapp_phone_numbers_default_is_active')) {
        return message(error.message.includes('cannot be deactivated') ? 'errors.defaultCannotBeDeactivated' : 'errors.defaultMustBeActive')
      }
      if (mentions(error, 'account_directions_daily_budget_positive')) return message('errors.budgetPositive')
      if (mentions(error, 'account_directions_target_cpl_positive')) return message('errors.targetCplPositive')
      if (mentions(error, 'account_directions_name_length')) return message('errors.directionNameLength')
      if (mentions(error, 'account_directions_fb_campaign_id_format')) return message('createDirection.campaignInvalid')
      break
    case '23503':
      if (mentions(error, 'account_directions_whatsapp_phone_number_fkey')) return message('errors.numberNotYours')
      break
    case '42501':
      return message('errors.notAllowed')
    case 'PGRST301':
    case 'PGRST302':
    case 'PGRST303':
      return message('errors.sessionExpired')
    case 'PGRST116':
    case 'PT404':
      return message('errors.notFound')
  }
  if (isNetworkFailure(error.message)) return message('errors.network')
  return message('errors.unexpected')
}

export function isNetworkFailure(text: string): boolean {
  return /failed to fetch|networkerror|network request failed|fetch failed|load failed/i.test(text)
}

export function describeAuthError(error: AuthFailure): Message {
  switch (error.code) {
    case 'invalid_credentials':
      return message('auth.invalidCredentials')
    case 'wrong_password':
    case 'invalid_password':
      return message('auth.wrongPassword')
    case 'user_not_found':
      return message('auth.unknownAccount')
    case 'user_already_exists':
    case 'email_exists':
      return message('auth.accountExists')
    case 'weak_password':
      return message('auth.weakPassword')
    case 'email_address_invalid':
    case 'validation_failed':
      return message('auth.invalidEmail')
    case 'email_not_confirmed':
      return message('auth.emailNotConfirmed')
    case 'over_request_rate_limit':
    case 'over_email_send_rate_limit':
      return message('auth.rateLimited')
  }
  if (error.status === 429) return message('auth.rateLimited')
  if (isNetworkFailure(error.message)) return message('errors.network')
  return message('auth.unexpected')
}

export interface LaunchContext {
  phoneNumber: string | null
  pageId: string | null
}

/** A failed create-adset-in-direction call as a sentence, with Facebook's own words beside it. */
export function describeLaunchError(result: Extract<FunctionResult<unknown>, { ok: false }>, context: LaunchContext): Message {
  if (result.networkError) return message('launchError.network')
  const error = result.body?.error
  const facebook = error?.facebook
  const facebookWords = [facebook?.user_title, facebook?.user_msg].filter(Boolean).join(': ') || undefined
  const withExtra = (msg: Message): Message => (facebookWords ? { ...msg, extra: facebookWords } : msg)
  switch (error?.code) {
    case 'unauthorized':
      return message('launchError.unauthorized')
    case 'facebook_token_invalid':
      return withExtra(message('launchError.facebook_token_invalid'))
    case 'direction_not_found':
      return message('launchError.direction_not_found')
    case 'facebook_not_connected':
      return message('launchError.facebook_not_connected')
    case 'whatsapp_number_rejected':
      return withExtra(
        message('launchError.whatsapp_number_rejected', {
          number: context.phoneNumber ?? '—',
          page: context.pageId ?? '—',
        }),
      )
    case 'facebook_invalid_parameter':
      return withExtra(message('launchError.facebook_invalid_parameter'))
    case 'facebook_rate_limited': {
      const minutes = result.retryAfterSeconds ? Math.max(1, Math.ceil(result.retryAfterSeconds / 60)) : null
      return withExtra(minutes ? message('launchError.facebook_rate_limited', { minutes }) : message('launchError.facebook_rate_limited_soon'))
    }
    case 'facebook_unavailable':
      return withExtra(message('launchError.facebook_unavailable'))
    case 'facebook_timeout':
      return message('launchError.facebook_timeout')
    case 'facebook_error':
      return withExtra(message('launchError.facebook_error'))
    case 'facebook_permission_denied':
      return withExtra(message('launchError.facebook_permission_denied'))
    case 'direction_campaign_missing':
      return message('launchError.direction_campaign_missing')
    case 'direction_inactive':
      return message('launchError.direction_inactive')
    case 'direction_not_whatsapp':
      return message('launchError.direction_not_whatsapp')
    case 'launch_in_progress':
    case 'idempotency_key_reused':
      return message('launchError.launch_in_progress')
    case 'launch_outcome_unknown':
      return message('launchError.launch_outcome_unknown')
  }
  if (result.status === 400 && error?.message) return message('launchError.bad_request', { message: error.message })
  if (result.status === 401) return message('launchError.unauthorized')
  return withExtra(message('launchError.unexpected'))
}

/**
 * A failed launch from the history as the same sentence the launch itself showed: the stored
 * error_message starts with the code the caller was answered (`facebook_timeout: …`).
 */
export function describeStoredLaunchFailure(
  record: Pick<LaunchRecord, 'error_message' | 'error_user_msg' | 'phone_number'>,
  pageId: string | null,
): Message {
  const stored = /^([a-z_]+): ([\s\S]*)$/.exec(record.error_message ?? '')
  const code = stored?.[1] ?? 'facebook_error'
  const facebookWords = record.error_user_msg ?? undefined
  return describeLaunchError(
    { ok: false, status: 0, body: { error: { code, message: stored?.[2] ?? record.error_message ?? '', facebook: facebookWords ? { user_msg: facebookWords } : undefined } } },
    { phoneNumber: record.phone_number, pageId },
  )
}
