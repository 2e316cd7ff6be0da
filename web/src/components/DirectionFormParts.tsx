import { useModels } from '../models'
import type { Message } from '../models/i18n'

/** Mirrors `account_directions_fb_campaign_id_format` (after the database trims it) for feedback before saving. */
export const CAMPAIGN_ID = /^[0-9]{1,32}$/

export const campaignIsValid = (value: string) => !value.trim() || CAMPAIGN_ID.test(value.trim())

/** The optional Facebook campaign id, with its hint replaced by the error while it is wrong. */
export function CampaignField({ id, value, invalid, onInput }: { id: string; value: string; invalid: boolean; onInput: (value: string) => void }) {
  const { t } = useModels().i18n
  const noteId = `${id}-note`
  return (
    <div class="field">
      <label for={id}>{t('createDirection.campaign')}</label>
      <input
        id={id}
        class="input"
        inputMode="numeric"
        autoComplete="off"
        value={value}
        aria-invalid={invalid}
        aria-describedby={noteId}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
      <p id={noteId} class={invalid ? 'field-error' : 'field-hint'}>
        {invalid ? t('createDirection.campaignInvalid') : t('createDirection.campaignHint')}
      </p>
    </div>
  )
}

/** Why saving failed, then Cancel and the submit button (which says it is saving). */
export function DialogFormFooter({ error, saving, submitLabel, onCancel }: { error: Message | null; saving: boolean; submitLabel: string; onCancel: () => void }) {
  const { t, render } = useModels().i18n
  return (
    <>
      {error ? (
        <p role="alert" class="field-error">
          {render(error)}
        </p>
      ) : null}
      <div class="dialog-actions">
        <button type="button" class="button button-secondary" onClick={onCancel}>
          {t('createDirection.cancel')}
        </button>
        <button type="submit" class="button button-primary" disabled={saving}>
          {saving ? t('createDirection.saving') : submitLabel}
        </button>
      </div>
    </>
  )
}
