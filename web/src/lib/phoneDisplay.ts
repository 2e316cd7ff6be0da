// Display helpers backed by libphonenumber-js. Loaded lazily: the metadata is
// large and the first screen can show raw E.164 until it arrives.
import { parsePhoneNumberFromString } from 'libphonenumber-js/min'

export function formatInternational(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164)
  return parsed ? parsed.formatInternational() : e164
}

/** ISO country code the number most likely belongs to, if it is a valid number. */
export function guessCountry(e164: string): string | undefined {
  const parsed = parsePhoneNumberFromString(e164)
  if (!parsed || !parsed.isValid()) return undefined
  return parsed.country
}
