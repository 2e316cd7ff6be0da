// The one place where the UI decides whether a typed phone number is acceptable.
// It mirrors the database exactly (private.strip_phone_separators and
// private.phone_format_problem in supabase/migrations/20261130000100_private_schema_and_helpers.sql):
// remove whitespace (also non-breaking), dashes (also Unicode dashes and minus), dots
// and brackets; a leading "00" becomes "+"; the result must be + and 8 to 15 digits,
// not starting with 0. The reasons are the database's reason codes.

export type PhoneRefusal =
  | 'empty'
  | 'missing_country_code'
  | 'invalid_characters'
  | 'invalid_country_code'
  | 'too_short'
  | 'too_long'

export type NormalizedPhone = { ok: true; e164: string } | { ok: false; reason: PhoneRefusal }

// The whitespace the migration lists explicitly (what [[:space:]] means under C.UTF-8), whatever the locale.
const SPACE = '\\t\\n\\v\\f\\r \\u1680\\u2000-\\u2006\\u2008-\\u200a\\u2028\\u2029\\u205f\\u3000'
const SEPARATORS = new RegExp(`[${SPACE}\\u00a0\\u2007\\u202f().\\[\\]\\u2010-\\u2015\\u2212-]`, 'g')

export function stripPhoneSeparators(raw: string): string {
  const stripped = raw.replace(SEPARATORS, '')
  return stripped.startsWith('00') ? '+' + stripped.slice(2) : stripped
}

export function phoneFormatProblem(raw: string): PhoneRefusal | null {
  const s = stripPhoneSeparators(raw)
  if (s === '') return 'empty'
  if (/^\+?[0-9]+$/.test(s) && !s.startsWith('+')) return 'missing_country_code'
  if (!/^\+[0-9]+$/.test(s)) return 'invalid_characters'
  if (s.startsWith('+0')) return 'invalid_country_code'
  // Digits only from here on, so string length counts characters exactly as Postgres does.
  if (s.length - 1 < 8) return 'too_short'
  if (s.length - 1 > 15) return 'too_long'
  return null
}

export function normalizePhoneInput(raw: string): NormalizedPhone {
  const reason = phoneFormatProblem(raw)
  return reason ? { ok: false, reason } : { ok: true, e164: stripPhoneSeparators(raw) }
}
