import { useRef, useState } from 'preact/hooks'
import { normalizePhoneInput } from '../lib/phone'
import { countryOf, displayPhone } from '../lib/phoneFormat'
import { useModels } from '../models'

/** Adds a number, checking it with the database's own rule on every keystroke. */
export function AddNumberForm() {
  const { numbers, i18n } = useModels()
  const { t } = i18n
  const [phone, setPhone] = useState('')
  const [label, setLabel] = useState('')
  const [touched, setTouched] = useState(false)
  const [saving, setSaving] = useState(false)
  const phoneRef = useRef<HTMLInputElement>(null)

  const normalized = normalizePhoneInput(phone)
  // "Too short" is simply the state of a number being typed: say it only once the user leaves the field or submits.
  const showError = !normalized.ok && phone !== '' && (touched || normalized.reason !== 'too_short')
  const errorText = !normalized.ok ? t(`phone.${normalized.reason}`) : ''
  const country = normalized.ok ? countryOf(normalized.e164) : undefined

  const submit = async (event: Event) => {
    event.preventDefault()
    setTouched(true)
    if (!normalized.ok) {
      phoneRef.current?.focus()
      return
    }
    setSaving(true)
    const error = await numbers.add(phone, label)
    setSaving(false)
    if (!error) {
      setPhone('')
      setLabel('')
      setTouched(false)
    }
    phoneRef.current?.focus()
  }

  return (
    <form class="add-form" onSubmit={submit} noValidate aria-labelledby="add-number-heading">
      <h4 id="add-number-heading" class="subheading">
        {t('numbers.addHeading')}
      </h4>
      <div class="form-row">
        <div class="field field-grow">
          <label for="new-phone">{t('numbers.phoneField')}</label>
          <input
            ref={phoneRef}
            id="new-phone"
            class="input"
            type="tel"
            inputMode="tel"
            autoComplete="tel"
            dir="ltr"
            required
            value={phone}
            aria-invalid={showError}
            aria-describedby="new-phone-feedback"
            onInput={(event) => setPhone(event.currentTarget.value)}
            onBlur={() => phone && setTouched(true)}
          />
          <p id="new-phone-feedback" class={showError ? 'field-error' : 'field-hint'} aria-live="polite">
            {showError
              ? errorText
              : normalized.ok
                ? [
                    t('numbers.willSave', { number: displayPhone(normalized.e164) }),
                    country ? ' ' + t('numbers.looksLike', { country: i18n.countryName(country) }) : '',
                  ].join('')
                : t('numbers.phoneHint')}
          </p>
        </div>
        <div class="field field-grow">
          <label for="new-label">{t('numbers.labelField')}</label>
          <input
            id="new-label"
            class="input"
            value={label}
            placeholder={t('numbers.labelPlaceholder')}
            maxLength={100}
            onInput={(event) => setLabel(event.currentTarget.value)}
          />
        </div>
        <div class="field field-action">
          <button type="submit" class="button button-primary" disabled={saving}>
            {saving ? t('numbers.adding') : t('numbers.add')}
          </button>
        </div>
      </div>
    </form>
  )
}
