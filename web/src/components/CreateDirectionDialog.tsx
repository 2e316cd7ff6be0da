import { useState } from 'preact/hooks'
import { parseAmountToCents } from '../lib/money'
import { useModels } from '../models'
import type { Message } from '../models/i18n'
import { DIRECTION_OBJECTIVES, type DirectionObjective } from '../models/types'
import { Dialog } from './Dialog'
import { CampaignField, campaignIsValid, DialogFormFooter } from './DirectionFormParts'
import { NumberSelect, USE_DEFAULT_NUMBER } from './NumberSelect'

interface FieldErrors {
  name?: Message
  budget?: Message
  target?: Message
  campaign?: Message
}

export function CreateDirectionDialog({ onClose, fallbackFocus }: { onClose: () => void; fallbackFocus?: () => HTMLElement | null }) {
  const { directions, numbers, i18n } = useModels()
  const { t, render } = i18n
  const [name, setName] = useState('')
  const [objective, setObjective] = useState<DirectionObjective>('whatsapp')
  const [budget, setBudget] = useState('')
  const [target, setTarget] = useState('')
  const [numberChoice, setNumberChoice] = useState(USE_DEFAULT_NUMBER)
  const [campaign, setCampaign] = useState('')
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({})
  const [saveError, setSaveError] = useState<Message | null>(null)
  const [saving, setSaving] = useState(false)
  const hasActiveNumbers = numbers.activeNumbers.value.length > 0

  const validate = (): { errors: FieldErrors; budgetCents: number | null; targetCents: number | null } => {
    const errors: FieldErrors = {}
    const budgetCents = parseAmountToCents(budget)
    const targetCents = target.trim() ? parseAmountToCents(target) : null
    if (!name.trim()) errors.name = { key: 'createDirection.nameRequired' }
    if (budgetCents === null) errors.budget = { key: 'createDirection.budgetInvalid' }
    if (target.trim() && targetCents === null) errors.target = { key: 'createDirection.targetInvalid' }
    if (!campaignIsValid(campaign)) errors.campaign = { key: 'createDirection.campaignInvalid' }
    return { errors, budgetCents, targetCents }
  }

  const submit = async (event: Event) => {
    event.preventDefault()
    const { errors, budgetCents, targetCents } = validate()
    setFieldErrors(errors)
    setSaveError(null)
    const firstInvalid = (['name', 'budget', 'target', 'campaign'] as const).find((field) => errors[field])
    if (firstInvalid || budgetCents === null) {
      document.getElementById(`direction-${firstInvalid ?? 'budget'}`)?.focus()
      return
    }
    setSaving(true)
    const failure = await directions.create({
      name: name.trim(),
      objective,
      daily_budget_cents: budgetCents,
      target_cpl_cents: targetCents,
      whatsapp_phone_number_id: objective === 'whatsapp' && numberChoice !== USE_DEFAULT_NUMBER ? numberChoice : null,
      fb_campaign_id: campaign.trim() || null,
    })
    setSaving(false)
    if (failure) setSaveError(failure)
    else onClose()
  }

  const fieldError = (field: keyof FieldErrors) => {
    const error = fieldErrors[field]
    return error ? (
      <p id={`direction-${field}-error`} class="field-error">
        {render(error)}
      </p>
    ) : null
  }

  return (
    <Dialog title={t('createDirection.title')} onClose={onClose} fallbackFocus={fallbackFocus}>
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for="direction-name">{t('createDirection.name')}</label>
          <input
            id="direction-name"
            class="input"
            required
            maxLength={200}
            value={name}
            placeholder={t('createDirection.namePlaceholder')}
            aria-invalid={Boolean(fieldErrors.name)}
            aria-describedby={fieldErrors.name ? 'direction-name-error' : undefined}
            onInput={(event) => setName(event.currentTarget.value)}
          />
          {fieldError('name')}
        </div>
        <div class="field">
          <label for="direction-objective">{t('createDirection.objective')}</label>
          <select
            id="direction-objective"
            class="input"
            value={objective}
            onChange={(event) => setObjective(event.currentTarget.value as DirectionObjective)}
          >
            {DIRECTION_OBJECTIVES.map((value) => (
              <option key={value} value={value}>
                {t(`objective.${value}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="form-row">
          <div class="field field-grow">
            <label for="direction-budget">{t('createDirection.dailyBudget')}</label>
            <input
              id="direction-budget"
              class="input"
              inputMode="decimal"
              required
              value={budget}
              aria-invalid={Boolean(fieldErrors.budget)}
              aria-describedby={fieldErrors.budget ? 'direction-budget-error' : 'direction-money-hint'}
              onInput={(event) => setBudget(event.currentTarget.value)}
            />
            {fieldError('budget')}
          </div>
          <div class="field field-grow">
            <label for="direction-target">{t('createDirection.targetCpl')}</label>
            <input
              id="direction-target"
              class="input"
              inputMode="decimal"
              value={target}
              aria-invalid={Boolean(fieldErrors.target)}
              aria-describedby={fieldErrors.target ? 'direction-target-error' : 'direction-money-hint'}
              onInput={(event) => setTarget(event.currentTarget.value)}
            />
            {fieldError('target')}
          </div>
        </div>
        <p id="direction-money-hint" class="field-hint">
          {t('createDirection.moneyHint')}
        </p>
        {objective === 'whatsapp' ? (
          <div class="field">
            <label for="direction-number">{t('createDirection.number')}</label>
            <NumberSelect
              id="direction-number"
              value={numberChoice}
              onChange={setNumberChoice}
              describedBy={hasActiveNumbers ? undefined : 'direction-number-hint'}
            />
            {hasActiveNumbers ? null : (
              <p id="direction-number-hint" class="field-hint">
                {t('createDirection.noActiveNumbers')}
              </p>
            )}
          </div>
        ) : null}
        <CampaignField id="direction-campaign" value={campaign} invalid={Boolean(fieldErrors.campaign)} onInput={setCampaign} />
        <DialogFormFooter error={saveError} saving={saving} submitLabel={t('createDirection.submit')} onCancel={onClose} />
      </form>
    </Dialog>
  )
}
