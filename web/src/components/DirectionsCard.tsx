import { useRef, useState } from 'preact/hooks'
import { lazyComponent } from '../lib/lazy'
import { displayPhone } from '../lib/phoneFormat'
import { useModels } from '../models'
import type { DirectionRoute } from '../models/types'
import { ActionButton } from './ActionButton'
import { Badge } from './Badge'
import { SourceBadge } from './SourceBadge'

export const CreateDirectionDialog = lazyComponent(() => import('./CreateDirectionDialog').then((m) => m.CreateDirectionDialog))
export const EditDirectionDialog = lazyComponent(() => import('./EditDirectionDialog').then((m) => m.EditDirectionDialog))
export const LaunchPanel = lazyComponent(() => import('./LaunchPanel').then((m) => m.LaunchPanel))
export const LaunchHistoryList = lazyComponent(() => import('./LaunchHistoryList').then((m) => m.LaunchHistoryList))

type OpenDialog = { kind: 'create' } | { kind: 'edit'; route: DirectionRoute } | { kind: 'launch'; route: DirectionRoute } | null

export function DirectionsCard() {
  const { directions, i18n } = useModels()
  const { t, render } = i18n
  const [dialog, setDialog] = useState<OpenDialog>(null)
  const status = directions.status.value
  const routes = directions.routes.value
  const close = () => setDialog(null)

  return (
    <section class="card" aria-labelledby="directions-heading">
      <div class="card-header card-header-split">
        <div>
          <h3 id="directions-heading" class="card-title">
            {t('directions.heading')}
          </h3>
          <p class="card-intro">{t('directions.intro')}</p>
        </div>
        <button type="button" id="new-direction-button" class="button button-primary" onClick={() => setDialog({ kind: 'create' })}>
          {t('directions.create')}
        </button>
      </div>

      {status === 'loading' || status === 'idle' ? (
        <p role="status" class="state-message">
          {t('directions.loading')}
        </p>
      ) : status === 'error' && directions.loadError.value ? (
        <div role="alert" class="state-message state-error">
          <p>
            {t('directions.loadFailed')} {render(directions.loadError.value)}
          </p>
          <button type="button" class="button button-secondary" onClick={() => void directions.load()}>
            {t('directions.retry')}
          </button>
        </div>
      ) : routes.length === 0 ? (
        <p class="state-message state-empty">{t('directions.empty')}</p>
      ) : (
        <ul class="item-list" aria-label={t('directions.listLabel')}>
          {routes.map((route) => (
            <DirectionRow
              key={route.direction_id}
              route={route}
              onLaunch={() => setDialog({ kind: 'launch', route })}
              onEdit={() => setDialog({ kind: 'edit', route })}
            />
          ))}
        </ul>
      )}

      {dialog?.kind === 'create' ? <CreateDirectionDialog onClose={close} fallbackFocus={() => document.getElementById('new-direction-button')} /> : null}
      {dialog?.kind === 'edit' ? <EditDirectionDialog route={dialog.route} onClose={close} /> : null}
      {dialog?.kind === 'launch' ? <LaunchPanel route={dialog.route} onClose={close} /> : null}
    </section>
  )
}

function DirectionRow({ route, onLaunch, onEdit }: { route: DirectionRoute; onLaunch: () => void; onEdit: () => void }) {
  const { i18n } = useModels()
  const { t } = i18n
  const [showHistory, setShowHistory] = useState(false)
  const historyButton = useRef<HTMLButtonElement>(null)
  const isWhatsApp = route.objective === 'whatsapp'
  const historyId = `history-${route.direction_id}`

  return (
    <li class="item item-direction">
      <div class="item-main">
        <div class="item-title-row">
          <h4 class="item-title">{route.direction_name}</h4>
          {route.is_active ? null : <Badge tone="muted">{t('directions.paused')}</Badge>}
        </div>
        <dl class="facts">
          <div>
            <dt>{t('directions.objective')}</dt>
            <dd>{t(`objective.${route.objective}`)}</dd>
          </div>
          <div>
            <dt>{t('directions.budget')}</dt>
            <dd>{i18n.money(route.daily_budget_cents)}</dd>
          </div>
          <div>
            <dt>{t('directions.targetCpl')}</dt>
            <dd>{route.target_cpl_cents === null ? <span class="muted">{t('directions.noTarget')}</span> : i18n.money(route.target_cpl_cents)}</dd>
          </div>
          {route.fb_campaign_id ? (
            <div>
              <dt>{t('directions.campaign')}</dt>
              <dd class="mono">{route.fb_campaign_id}</dd>
            </div>
          ) : null}
          {isWhatsApp ? (
            <div class="fact-wide">
              <dt>{t('directions.number')}</dt>
              <dd class="number-route">
                {route.phone_number ? (
                  <span class="phone" dir="ltr">
                    {displayPhone(route.phone_number)}
                  </span>
                ) : (
                  <span>{t('directions.pageNumber')}</span>
                )}
                {route.label ? <span class="muted">{route.label}</span> : null}
                <SourceBadge source={route.source} />
              </dd>
            </div>
          ) : null}
        </dl>
      </div>
      <div class="item-actions">
        {isWhatsApp ? <ActionButton label={t('directions.launch')} context={route.direction_name} variant="primary" onClick={onLaunch} /> : null}
        <ActionButton label={t('directions.changeNumber')} context={route.direction_name} onClick={onEdit} />
        <ActionButton
          ref={historyButton}
          label={showHistory ? t('directions.hideHistory') : t('directions.history')}
          context={route.direction_name}
          variant="link"
          aria-expanded={showHistory}
          aria-controls={showHistory ? historyId : undefined}
          onClick={() => setShowHistory(!showHistory)}
        />
      </div>
      {showHistory ? (
        <div id={historyId} class="item-extra">
          <LaunchHistoryList directionId={route.direction_id} directionName={route.direction_name} />
        </div>
      ) : null}
    </li>
  )
}
