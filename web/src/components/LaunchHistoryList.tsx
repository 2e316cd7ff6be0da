import { useEffect, useMemo } from 'preact/hooks'
import { describeStoredLaunchFailure } from '../lib/errors'
import { displayPhone } from '../lib/phoneFormat'
import { useModels } from '../models'
import { SourceBadge } from './SourceBadge'

/** The direction's recent launches: when, outcome, number and where it came from. */
export function LaunchHistoryList({ directionId, directionName }: { directionId: string; directionName: string }) {
  const { launches, facebook, i18n } = useModels()
  const { t, render } = i18n
  const history = useMemo(() => launches.history(directionId), [directionId])
  const revision = launches.revision.value

  useEffect(() => {
    void history.load()
  }, [history, revision])

  const status = history.status.value
  if (status === 'loading') return <p role="status" class="state-message">{t('launch.historyLoading')}</p>
  if (status === 'error') {
    return (
      <p role="alert" class="state-message state-error">
        {t('launch.historyFailed')} {history.loadError.value ? render(history.loadError.value) : ''}
      </p>
    )
  }
  const records = history.records.value
  if (records.length === 0) return <p class="state-message state-empty">{t('launch.historyEmpty')}</p>
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={t('directions.historyFor', { name: directionName })}>
      <table class="history-table">
        <thead>
          <tr>
            <th scope="col">{t('launch.historyWhen')}</th>
            <th scope="col">{t('launch.historyStatus')}</th>
            <th scope="col">{t('launch.historyNumber')}</th>
            <th scope="col">{t('launch.historyResult')}</th>
          </tr>
        </thead>
        <tbody>
          {records.map((record) => {
            // A failure reads as the product's sentence, with Facebook's own words (in the user's
            // Facebook language) after it; never the stored machine code.
            const failure = record.status === 'failed' || record.error_message
              ? [render(describeStoredLaunchFailure(record, facebook.connection.value?.page_id ?? null)), record.error_user_msg].filter(Boolean).join(' ')
              : null
            const detail = record.fb_adset_id ?? failure
            // data-label: the column heading a narrow screen shows beside each value (styles.css).
            return (
              <tr key={record.id}>
                <td data-label={t('launch.historyWhen')}>{i18n.dateTime(record.created_at)}</td>
                <td data-label={t('launch.historyStatus')}>
                  <span class={`status status-${record.status}`}>{t(`launch.status.${record.status}`)}</span>
                </td>
                <td data-label={t('launch.historyNumber')}>
                  {record.phone_number ? (
                    <span class="phone" dir="ltr">
                      {displayPhone(record.phone_number)}
                    </span>
                  ) : null}{' '}
                  {record.number_source ? <SourceBadge source={record.number_source} /> : null}
                </td>
                <td
                  class={detail ? 'history-result' : 'history-result history-result-none'}
                  data-label={record.fb_adset_id ? t('launch.adsetId') : t('launch.historyReason')}
                >
                  {record.fb_adset_id ? <span class="mono">{record.fb_adset_id}</span> : detail}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
