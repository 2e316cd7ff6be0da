import { signal } from '@preact/signals'

type PhoneDisplay = typeof import('./phoneDisplay')

/** Set once libphonenumber-js has loaded; until then numbers show as stored. */
export const phoneDisplay = signal<PhoneDisplay | null>(null)

let loading: Promise<void> | null = null

export function loadPhoneDisplay(): Promise<void> {
  loading ??= import('./phoneDisplay').then((module) => {
    phoneDisplay.value = module
  })
  return loading
}

/** Reads the signal, so a component calling this re-renders when formatting becomes available. */
export function displayPhone(e164: string): string {
  const display = phoneDisplay.value
  return display ? display.formatInternational(e164) : e164
}

export function countryOf(e164: string): string | undefined {
  return phoneDisplay.value?.guessCountry(e164)
}
