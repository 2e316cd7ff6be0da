import { useState } from 'preact/hooks'
import { useModels } from '../models'
import type { Message } from '../models/i18n'
import type { DirectionRoute } from '../models/types'
import { Dialog } from './Dialog'
import { CampaignField, campaignIsValid, DialogFormFooter } from './DirectionFormParts'
import { NumberSelect, USE_DEFAULT_NUMBER } from './NumberSelect'

/** Changes which WhatsApp number a direction uses. */
export function EditDirectionDialog({ route, onClose }: { route: DirectionRoute; onClose: () => void }) {
  const { directions, numbers, i18n } = useModels()
  const { t } = i18n
  const [choice, setChoice] = useState(route.own_number_id ?? USE_DEFAULT_NUMBER)
  const [campaign, setCampaign] = useState(route.fb_campaign_id ?? '')
  const [campaignError, setCampaignError] = useState(false)
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<Message | null>(null)
  const ownNumber = numbers.numbers.value.find((n) => n.id === route.own_number_id)
  const ownIsInactive = Boolean(ownNumber && !ownNumber.is_active)

  const submit = async (event: Event) => {
    event.preventDefault()
    const campaignValid = campaignIsValid(campaign)
    setCampaignError(!campaignValid)
    if (!campaignValid) {
      document.getElementById('edit-direction-campaign')?.focus()
      return
    }
    setSaving(true)
    setError(null)
    const failure = await directions.update(route.direction_id, {
      whatsapp_phone_number_id: route.objective === 'whatsapp' && choice !== USE_DEFAULT_NUMBER ? choice : null,
      fb_campaign_id: campaign.trim() || null,
    })
    setSaving(false)
    if (failure) setError(failure)
    else onClose()
  }

  return (
    <Dialog title={t('editDirection.title', { name: route.direction_name })} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        {route.objective === 'whatsapp' ? (
          <div class="field">
            <label for="edit-direction-number">{t('createDirection.number')}</label>
            <NumberSelect
              id="edit-direction-number"
              value={choice}
              onChange={setChoice}
              keepInactiveId={route.own_number_id}
              describedBy={ownIsInactive ? 'edit-direction-inactive' : undefined}
            />
            {ownIsInactive ? (
              <p id="edit-direction-inactive" class="field-hint">
                {t('editDirection.currentInactive')}
              </p>
            ) : null}
          </div>
        ) : null}
        <CampaignField id="edit-direction-campaign" value={campaign} invalid={campaignError} onInput={setCampaign} />
        <DialogFormFooter error={error} saving={saving} submitLabel={t('editDirection.submit')} onCancel={onClose} />
      </form>
    </Dialog>
  )
}
