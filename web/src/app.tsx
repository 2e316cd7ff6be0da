import { useEffect } from 'preact/hooks'
import { ProfilePage } from './components/ProfilePage'
import { SignInPage } from './components/SignInPage'
import { ModelsContext, useModels, type Models } from './models'
import { LOCALE_NAMES, LOCALES, type Locale } from './models/i18n'

export function App({ models }: { models: Models }) {
  return (
    <ModelsContext.Provider value={models}>
      <Shell />
    </ModelsContext.Provider>
  )
}

function Shell() {
  const { session, numbers, directions, facebook, i18n } = useModels()
  const { t } = i18n
  const status = session.status.value
  const user = session.user.value

  useEffect(() => {
    let stop: (() => void) | undefined
    void session.start().then((unsubscribe) => (stop = unsubscribe))
    return () => stop?.()
  }, [])

  // Nothing of one user's data may survive into the next user's session.
  useEffect(() => {
    if (status === 'signedOut') {
      numbers.clear()
      directions.clear()
      facebook.clear()
    }
  }, [status])

  return (
    <>
      <a class="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header class="topbar">
        <div class="topbar-inner">
          <span class="brand">{t('app.title')}</span>
          <div class="topbar-tools">
            <label class="language-picker">
              <span class="visually-hidden">{t('app.languageLabel')}</span>
              <select
                class="input input-compact"
                value={i18n.locale.value}
                onChange={(event) => i18n.setLocale(event.currentTarget.value as Locale)}
              >
                {LOCALES.map((locale) => (
                  <option key={locale} value={locale} lang={locale}>
                    {LOCALE_NAMES[locale]}
                  </option>
                ))}
              </select>
            </label>
            {status === 'signedIn' ? (
              <>
                <span class="topbar-user" title={user?.email ?? undefined}>
                  {user?.email}
                </span>
                <button type="button" class="button button-secondary button-small" onClick={() => void session.signOut()}>
                  {t('app.signOut')}
                </button>
              </>
            ) : null}
          </div>
        </div>
      </header>
      <main id="main" class="main" tabIndex={-1}>
        {status === 'checking' ? (
          <p role="status" class="state-message">
            {t('app.loading')}
          </p>
        ) : status === 'signedIn' ? (
          <ProfilePage key={user?.userId} />
        ) : (
          <SignInPage />
        )}
      </main>
    </>
  )
}
