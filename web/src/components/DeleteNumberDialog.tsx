import { useEffect, useRef, useState } from 'preact/hooks'
import type { DirectionRef } from '../lib/errors'
import { displayPhone } from '../lib/phoneFormat'
import { useModels } from '../models'
import type { Message } from '../models/i18n'
import type { WhatsAppNumber } from '../models/types'
import { Dialog } from './Dialog'

interface DeleteNumberDialogProps {
  number: WhatsAppNumber
  onClose: () => void
  fallbackFocus?: () => HTMLElement | null
}

const USE_DEFAULT = ''

/**
 * Confirms a deletion. When the database refuses because directions still use the
 * number, lists them and offers to move them (to another number or to "use default")
 * and delete in one step.
 */
export function DeleteNumberDialog({ number, onClose, fallbackFocus }: DeleteNumberDialogProps) {
  const { numbers, i18n } = useModels()
  const { t, render } = i18n
  const [inUse, setInUse] = useState<DirectionRef[] | null>(null)
  const [replacement, setReplacement] = useState(USE_DEFAULT)
  const [working, setWorking] = useState(false)
  const [error, setError] = useState<Message | null>(null)
  const shown = displayPhone(number.phone_number)
  const alternatives = numbers.activeNumbers.value.filter((n) => n.id !== number.id)
  const moveToRef = useRef<HTMLSelectElement>(null)

  // The refusal replaces the confirm button that had focus: continue on the choice it asks for.
  useEffect(() => {
    if (inUse) moveToRef.current?.focus()
  }, [inUse])

  const confirmDelete = async () => {
    setWorking(true)
    setError(null)
    const outcome = await numbers.remove(number.id)
    setWorking(false)
    if (outcome.kind === 'deleted') onClose()
    else if (outcome.kind === 'in_use') setInUse(outcome.directions)
    else setError(outcome.error)
  }

  const moveAndDelete = async (event: Event) => {
    event.preventDefault()
    setWorking(true)
    setError(null)
    const failure = await numbers.retire(number.id, replacement === USE_DEFAULT ? null : replacement)
    setWorking(false)
    if (failure) setError(failure)
    else onClose()
  }

  return (
    <Dialog title={t('delete.title', { number: shown })} onClose={onClose} fallbackFocus={fallbackFocus}>
      {inUse ? (
        <form onSubmit={moveAndDelete}>
          <p>{t('delete.inUseText')}</p>
          <ul class="plain-list" aria-label={t('delete.inUseList')}>
            {inUse.map((direction) => (
              <li key={direction.id}>{direction.name}</li>
            ))}
          </ul>
          <div class="field">
            <label for="delete-move-to">{t('delete.moveTo')}</label>
            <select ref={moveToRef} id="delete-move-to" class="input" value={replacement} onChange={(event) => setReplacement(event.currentTarget.value)}>
              <option value={USE_DEFAULT}>{t('delete.useDefault')}</option>
              {alternatives.map((n) => (
                <option key={n.id} value={n.id}>
                  {displayPhone(n.phone_number)}
                  {n.label ? ` — ${n.label}` : ''}
                </option>
              ))}
            </select>
          </div>
          {error ? <ErrorText message={render(error)} /> : null}
          <div class="dialog-actions">
            <button type="button" class="button button-secondary" onClick={onClose}>
              {t('delete.cancel')}
            </button>
            <button type="submit" class="button button-danger-solid" disabled={working}>
              {working ? t('delete.deleting') : t('delete.moveAndDelete')}
            </button>
          </div>
        </form>
      ) : (
        <div>
          <p>{t('delete.confirmText')}</p>
          {error ? <ErrorText message={render(error)} /> : null}
          <div class="dialog-actions">
            <button type="button" class="button button-secondary" onClick={onClose}>
              {t('delete.cancel')}
            </button>
            <button type="button" class="button button-danger-solid" disabled={working} onClick={() => void confirmDelete()}>
              {working ? t('delete.deleting') : t('delete.confirm')}
            </button>
          </div>
        </div>
      )}
    </Dialog>
  )
}

function ErrorText({ message }: { message: string }) {
  return (
    <p role="alert" class="field-error">
      {message}
    </p>
  )
}
