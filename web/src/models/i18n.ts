import { computed, signal } from '@preact/signals'
import { en, type MessageKey, type Messages, type PluralForms } from '../i18n/en'
import { ru } from '../i18n/ru'

export type Locale = 'en' | 'ru'
export const LOCALES: readonly Locale[] = ['en', 'ru']
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', ru: 'Русский' }

const dictionaries: Record<Locale, Messages> = { en, ru }
const STORAGE_KEY = 'wa-router.locale'

export type MessageParams = Record<string, string | number>

/** A text to show, kept as key + params so it re-renders in the new language after a switch. */
export interface Message {
  key: MessageKey
  params?: MessageParams
  /** Extra text from outside (Facebook's own explanation), shown as is. */
  extra?: string
}

export function message(key: MessageKey, params?: MessageParams): Message {
  return params ? { key, params } : { key }
}

export function pickLocale(stored: string | null, browserLanguages: readonly string[]): Locale {
  if (stored === 'en' || stored === 'ru') return stored
  for (const language of browserLanguages) {
    const base = language.toLowerCase().split('-')[0]
    if (base === 'ru') return 'ru'
    if (base === 'en') return 'en'
  }
  return 'en'
}

export interface LocaleStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

export function createI18nModel(storage: LocaleStorage | null, browserLanguages: readonly string[]) {
  const locale = signal<Locale>(pickLocale(safeRead(storage), browserLanguages))
  const numberFormat = computed(() => new Intl.NumberFormat(locale.value))

  function setLocale(next: Locale) {
    locale.value = next
    try {
      storage?.setItem(STORAGE_KEY, next)
    } catch {
      // Private mode can refuse storage; the choice then lasts for this visit only.
    }
    if (typeof document !== 'undefined') document.documentElement.lang = next
  }

  function t(key: MessageKey, params?: MessageParams): string {
    const entry = dictionaries[locale.value][key] as string | PluralForms
    const template = typeof entry === 'string' ? entry : pluralForm(entry, Number(params?.count ?? 0))
    return interpolate(template, params)
  }

  function pluralForm(forms: PluralForms, count: number): string {
    const category = new Intl.PluralRules(locale.value).select(count)
    return (forms as unknown as Record<string, string | undefined>)[category] ?? forms.other
  }

  function interpolate(template: string, params?: MessageParams): string {
    if (!params) return template
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name]
      if (value === undefined) return whole
      return typeof value === 'number' ? numberFormat.value.format(value) : value
    })
  }

  function render(msg: Message): string {
    return t(msg.key, msg.params)
  }

  function money(cents: number): string {
    return new Intl.NumberFormat(locale.value, { minimumFractionDigits: cents % 100 === 0 ? 0 : 2, maximumFractionDigits: 2 }).format(cents / 100)
  }

  function dateTime(iso: string): string {
    return new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))
  }

  function countryName(isoCode: string): string {
    try {
      return new Intl.DisplayNames([locale.value], { type: 'region' }).of(isoCode) ?? isoCode
    } catch {
      return isoCode
    }
  }

  if (typeof document !== 'undefined') document.documentElement.lang = locale.value

  return { locale, setLocale, t, render, money, dateTime, countryName }
}

function safeRead(storage: LocaleStorage | null): string | null {
  try {
    return storage?.getItem(STORAGE_KEY) ?? null
  } catch {
    return null
  }
}

export type I18nModel = ReturnType<typeof createI18nModel>
