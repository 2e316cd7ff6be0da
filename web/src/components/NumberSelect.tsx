import { displayPhone } from '../lib/phoneFormat'
import { useModels } from '../models'

export const USE_DEFAULT_NUMBER = ''

interface NumberSelectProps {
  id: string
  /** A number id, or USE_DEFAULT_NUMBER. */
  value: string
  onChange: (value: string) => void
  /** An inactive number still bound to the direction, kept visible so the choice is honest. */
  keepInactiveId?: string | null
  describedBy?: string
}

/** "Use the default number" plus the user's active numbers. */
export function NumberSelect({ id, value, onChange, keepInactiveId, describedBy }: NumberSelectProps) {
  const { numbers, i18n } = useModels()
  const { t } = i18n
  const defaultNumber = numbers.defaultNumber.value
  const choices = numbers.numbers.value.filter((n) => n.is_active || n.id === keepInactiveId)
  return (
    <select id={id} class="input" value={value} aria-describedby={describedBy} onChange={(event) => onChange(event.currentTarget.value)}>
      <option value={USE_DEFAULT_NUMBER}>
        {defaultNumber?.is_active
          ? t('createDirection.useDefaultWith', { number: displayPhone(defaultNumber.phone_number) })
          : t('createDirection.useDefault')}
      </option>
      {choices.map((n) => (
        <option key={n.id} value={n.id}>
          {displayPhone(n.phone_number)}
          {n.label ? ` — ${n.label}` : ''}
          {n.is_active ? '' : ` (${t('numbers.inactive')})`}
        </option>
      ))}
    </select>
  )
}
