import { useModels } from '../models'
import type { NumberSource } from '../models/types'
import { Badge, type BadgeTone } from './Badge'

const TONES: Record<NumberSource, BadgeTone> = {
  direction: 'accent',
  default: 'info',
  legacy: 'warning',
  page_default: 'muted',
}

export function SourceBadge({ source }: { source: NumberSource }) {
  const { t } = useModels().i18n
  return <Badge tone={TONES[source]}>{t(`source.${source}`)}</Badge>
}
