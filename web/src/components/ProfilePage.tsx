import { useEffect } from 'preact/hooks'
import { useModels } from '../models'
import { DirectionsCard } from './DirectionsCard'
import { FacebookConnectionCard } from './FacebookConnectionCard'
import { WhatsAppNumbersCard } from './WhatsAppNumbersCard'

export function ProfilePage() {
  const { numbers, directions, facebook, i18n } = useModels()
  const { t } = i18n

  useEffect(() => {
    // Numbers first: they are what the page is for; the rest loads alongside.
    void numbers.load()
    void directions.load()
    void facebook.load()
  }, [])

  return (
    <div class="profile">
      <h1 class="page-title">{t('profile.heading')}</h1>
      <section class="page-section" aria-labelledby="connections-heading">
        <h2 id="connections-heading" class="section-title">
          {t('profile.connections')}
        </h2>
        <div class="section-grid">
          <WhatsAppNumbersCard />
          <FacebookConnectionCard />
        </div>
      </section>
      <section class="page-section" aria-labelledby="advertising-heading">
        <h2 id="advertising-heading" class="section-title">
          {t('profile.advertising')}
        </h2>
        <DirectionsCard />
      </section>
    </div>
  )
}
