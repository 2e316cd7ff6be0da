import { useEffect, useMemo } from 'preact/hooks'
import { displayPhone } from '../lib/phoneFormat'
import { useModels } from '../models'
import type { DirectionRoute } from '../models/types'
import { Dialog } from './Dialog'
import { SourceBadge } from './SourceBadge'

/** Shows the dry-run request for a direction, then launches it and reports the outcome. */
export function LaunchPanel({ route, onClose }: { route: DirectionRoute; onClose: () => void }) {
  const { launches, i18n } = useModels()
  const { t, render } = i18n
  const attempt = useMemo(() => launches.attempt(route.direction_id), [route.direction_id])

  useEffect(() => {
    void attempt.loadPreview()
  }, [attempt])

  const phase = attempt.phase.value
  const preview = attempt.preview.value
  const success = attempt.success.value
  const error = attempt.error.value

  return (
    <Dialog title={t('launch.title', { name: route.direction_name })} onClose={onClose} wide>
      {phase === 'previewing' || phase === 'idle' ? (
        <p role="status" class="state-message">
          {t('launch.preparing')}
        </p>
      ) : null}

      {success ? (
        <div role="status" class="launch-result">
          <p class="launch-result-title">{t('launch.success')}</p>
          <dl class="facts">
            <div>
              <dt>{t('launch.adsetId')}</dt>
              <dd class="mono">{success.adset_id}</dd>
            </div>
            <div>
              <dt>{t('launch.number')}</dt>
              <dd dir="ltr" class="phone">
                {success.whatsapp_phone_number ? displayPhone(success.whatsapp_phone_number) : t('launch.noNumber')}
              </dd>
            </div>
            <div>
              <dt>{t('launch.source')}</dt>
              <dd>
                <SourceBadge source={success.source} />
              </dd>
            </div>
          </dl>
        </div>
      ) : preview ? (
        <div class="launch-preview">
          <h3 class="subheading">{t('launch.previewHeading')}</h3>
          <dl class="facts">
            <div>
              <dt>{t('launch.number')}</dt>
              <dd class="phone" dir="ltr">
                {preview.whatsapp_phone_number ? displayPhone(preview.whatsapp_phone_number) : t('launch.noNumber')}
              </dd>
            </div>
            <div>
              <dt>{t('launch.source')}</dt>
              <dd>
                <SourceBadge source={preview.source} />
              </dd>
            </div>
          </dl>
          <details class="request-details" open>
            <summary>{t('launch.request')}</summary>
            <pre class="request-json" tabIndex={0} aria-label={t('launch.request')}>
              {`${preview.request.method} ${preview.request.url}\n${JSON.stringify(preview.request.body, null, 2)}`}
            </pre>
          </details>
        </div>
      ) : null}

      {error ? (
        <div role="alert" class="notice notice-error">
          <p>{render(error)}</p>
          {error.extra ? (
            <p class="notice-extra">
              {t('launch.facebookSaid')} {error.extra}
            </p>
          ) : null}
        </div>
      ) : null}

      <div class="dialog-actions">
        <button type="button" class="button button-secondary" onClick={onClose}>
          {t('launch.close')}
        </button>
        {phase === 'failed' && !preview ? (
          <button type="button" class="button button-primary" onClick={() => void attempt.loadPreview()}>
            {t('launch.tryAgain')}
          </button>
        ) : null}
        {preview && !success ? (
          <button
            type="button"
            class="button button-primary"
            disabled={phase === 'launching'}
            aria-disabled={phase === 'launching'}
            onClick={() => void attempt.launch()}
          >
            {phase === 'launching' ? t('launch.launching') : phase === 'failed' ? t('launch.tryAgain') : t('launch.confirm')}
          </button>
        ) : null}
      </div>
    </Dialog>
  )
}
