import { useEffect, useMemo } from 'preact/hooks'
import { displayPhone } from '../lib/phoneFormat'
import { useModels } from '../models'
import { SourceBadge } from './SourceBadge'

/** The direction's recent launches: when, outcome, number and where it came from. */
export function LaunchHistoryList({ directionId, directionName }: { directionId: string; directionName: string }) {
  const { launches, i18n } = useModels()
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
          {records.map((record) => (
            <tr key={record.id}>
              <td>{i18n.dateTime(record.created_at)}</td>
              <td>
                <span class={`status status-${record.status}`}>{t(`launch.status.${record.status}`)}</span>
              </td>
              <td>
                {record.phone_number ? (
                  <span class="phone" dir="ltr">
                    {displayPhone(record.phone_number)}
                  </span>
                ) : null}{' '}
                {record.number_source ? <SourceBadge source={record.number_source} /> : null}
              </td>
              <td class="history-result">
                {record.fb_adset_id ? <span class="mono">{record.fb_adset_id}</span> : (record.error_user_msg ?? record.error_message ?? '')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
