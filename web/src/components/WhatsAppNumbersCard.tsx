import { useEffect, useRef, useState } from 'preact/hooks'
import { lazyComponent } from '../lib/lazy'
import { displayPhone, loadPhoneDisplay } from '../lib/phoneFormat'
import { useModels } from '../models'
import type { WhatsAppNumber } from '../models/types'
import { ActionButton } from './ActionButton'
import { AddNumberForm } from './AddNumberForm'
import { Badge } from './Badge'
import { Notice } from './Notice'

export const DeleteNumberDialog = lazyComponent(() => import('./DeleteNumberDialog').then((m) => m.DeleteNumberDialog))

export function WhatsAppNumbersCard() {
  const { numbers, i18n } = useModels()
  const { t, render } = i18n
  const [deleting, setDeleting] = useState<WhatsAppNumber | null>(null)

  useEffect(() => {
    void loadPhoneDisplay()
  }, [])

  const status = numbers.status.value
  const list = numbers.numbers.value
  const notice = numbers.notice.value

  return (
    <section class="card" aria-labelledby="numbers-heading">
      <div class="card-header">
        <h3 id="numbers-heading" class="card-title" tabIndex={-1}>
          {t('numbers.heading')}
        </h3>
        <p class="card-intro">{t('numbers.intro')}</p>
      </div>

      {status === 'loading' || status === 'idle' ? (
        <p role="status" class="state-message">
          {t('numbers.loading')}
        </p>
      ) : status === 'error' && numbers.loadError.value ? (
        <div role="alert" class="state-message state-error">
          <p>
            {t('numbers.loadFailed')} {render(numbers.loadError.value)}
          </p>
          <button type="button" class="button button-secondary" onClick={() => void numbers.load()}>
            {t('numbers.retry')}
          </button>
        </div>
      ) : list.length === 0 ? (
        <p class="state-message state-empty">{t('numbers.empty')}</p>
      ) : (
        <ul class="item-list" aria-label={t('numbers.listLabel')}>
          {list.map((number) => (
            <NumberRow key={number.id} number={number} onDelete={() => setDeleting(number)} />
          ))}
        </ul>
      )}

      <Notice notice={notice} />

      {status === 'ready' || status === 'error' ? <AddNumberForm /> : null}

      {deleting ? (
        <DeleteNumberDialog number={deleting} onClose={() => setDeleting(null)} fallbackFocus={() => document.getElementById('numbers-heading')} />
      ) : null}
    </section>
  )
}

function NumberRow({ number, onDelete }: { number: WhatsAppNumber; onDelete: () => void }) {
  const { numbers, directions, i18n } = useModels()
  const { t } = i18n
  const [editing, setEditing] = useState(false)
  const renameRef = useRef<HTMLButtonElement>(null)
  const shown = displayPhone(number.phone_number)
  const busy = numbers.busyIds.value.has(number.id)
  const usedBy = directions.usageByNumber.value.get(number.id) ?? 0

  const finishEditing = () => {
    setEditing(false)
    // Back on the button that opened the editor, after it re-renders.
    queueMicrotask(() => renameRef.current?.focus())
  }

  return (
    <li class={number.is_active ? 'item' : 'item item-inactive'} aria-busy={busy}>
      <div class="item-main">
        <div class="item-title-row">
          <span class="phone" dir="ltr">
            {shown}
          </span>
          {number.is_default ? <Badge tone="accent">{t('numbers.defaultBadge')}</Badge> : null}
          {number.is_active ? (
            <Badge tone="success">{t('numbers.active')}</Badge>
          ) : (
            <Badge tone="muted">{t('numbers.inactive')}</Badge>
          )}
        </div>
        {editing ? (
          <LabelEditor number={number} shown={shown} onDone={finishEditing} />
        ) : (
          <p class="item-meta">
            {number.label ? <span>{number.label}</span> : <span class="muted">{t('numbers.noLabel')}</span>}
            {usedBy > 0 ? <span class="muted"> · {t('numbers.usedBy', { count: usedBy })}</span> : null}
          </p>
        )}
      </div>
      {editing ? null : (
        <div class="item-actions">
          <ActionButton ref={renameRef} label={t('numbers.editLabel')} context={shown} variant="link" onClick={() => setEditing(true)} />
          {!number.is_default && number.is_active ? (
            <ActionButton label={t('numbers.makeDefault')} context={shown} disabled={busy} onClick={() => void numbers.makeDefault(number.id)} />
          ) : null}
          {number.is_active ? (
            <ActionButton label={t('numbers.deactivate')} context={shown} disabled={busy} onClick={() => void numbers.setActive(number.id, false)} />
          ) : (
            <ActionButton label={t('numbers.activate')} context={shown} disabled={busy} onClick={() => void numbers.setActive(number.id, true)} />
          )}
          <ActionButton label={t('numbers.delete')} context={shown} variant="danger" disabled={busy} onClick={onDelete} />
        </div>
      )}
    </li>
  )
}

function LabelEditor({ number, shown, onDone }: { number: WhatsAppNumber; shown: string; onDone: () => void }) {
  const { numbers, i18n } = useModels()
  const { t } = i18n
  const [value, setValue] = useState(number.label ?? '')
  const [saving, setSaving] = useState(false)
  const inputRef = useRef<HTMLInputElement>(null)
  const hintId = `label-hint-${number.id}`

  useEffect(() => {
    inputRef.current?.focus()
    inputRef.current?.select()
  }, [])

  const save = async () => {
    if (saving) return
    if (value.trim() === (number.label ?? '')) return onDone()
    setSaving(true)
    const error = await numbers.rename(number.id, value)
    setSaving(false)
    if (!error) onDone()
  }

  return (
    <div class="inline-editor">
      <input
        ref={inputRef}
        class="input input-compact"
        value={value}
        aria-label={t('numbers.labelFieldFor', { number: shown })}
        aria-describedby={hintId}
        disabled={saving}
        onInput={(event) => setValue(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault()
            void save()
          } else if (event.key === 'Escape') {
            event.preventDefault()
            event.stopPropagation()
            onDone()
          }
        }}
      />
      <button type="button" class="button button-primary button-small" disabled={saving} onClick={() => void save()}>
        {t('numbers.save')}
      </button>
      <button type="button" class="button button-secondary button-small" onClick={onDone}>
        {t('numbers.cancel')}
      </button>
      <span id={hintId} class="field-hint">
        {t('numbers.labelEditHint')}
      </span>
    </div>
  )
}
