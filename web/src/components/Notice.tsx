import { useModels } from '../models'
import type { Message } from '../models/i18n'

export interface NoticeValue {
  tone: 'error' | 'success'
  message: Message
}

/** The result of the last action: errors interrupt (alert), confirmations are polite (status). */
export function Notice({ notice }: { notice: NoticeValue | null }) {
  const { i18n } = useModels()
  if (!notice) return <div role="status" class="notice-slot" />
  return notice.tone === 'error' ? (
    <div role="alert" class="notice notice-error">
      <p>{i18n.render(notice.message)}</p>
      {notice.message.extra ? <p class="notice-extra">{notice.message.extra}</p> : null}
    </div>
  ) : (
    <div role="status" class="notice notice-success">
      <p>{i18n.render(notice.message)}</p>
    </div>
  )
}
