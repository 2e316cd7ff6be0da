import { useState } from 'preact/hooks'
import { useModels } from '../models'
import type { Message } from '../models/i18n'

type Mode = 'signIn' | 'signUp'

export function SignInPage() {
  const { session, i18n } = useModels()
  const { t, render } = i18n
  const [mode, setMode] = useState<Mode>('signIn')
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [working, setWorking] = useState(false)
  const [error, setError] = useState<Message | null>(null)
  const [notice, setNotice] = useState<Message | null>(null)

  const submit = async (event: Event) => {
    event.preventDefault()
    const form = event.currentTarget as HTMLFormElement
    if (!form.reportValidity()) return
    setWorking(true)
    setError(null)
    setNotice(null)
    if (mode === 'signIn') {
      setError(await session.signIn(email, password))
    } else {
      const outcome = await session.signUp(email, password)
      if (outcome && 'error' in outcome) setError(outcome.error)
      else if (outcome) setNotice(outcome.notice)
    }
    setWorking(false)
  }

  const switchMode = () => {
    setMode(mode === 'signIn' ? 'signUp' : 'signIn')
    setError(null)
    setNotice(null)
  }

  return (
    <div class="auth-page">
      <section class="card auth-card" aria-labelledby="auth-heading">
        <h1 id="auth-heading" class="auth-title">
          {mode === 'signIn' ? t('signIn.heading') : t('signIn.signUpHeading')}
        </h1>
        <p class="card-intro">{t('signIn.intro')}</p>
        <form onSubmit={submit}>
          <div class="field">
            <label for="auth-email">{t('signIn.email')}</label>
            <input
              id="auth-email"
              class="input"
              type="email"
              autoComplete="email"
              required
              value={email}
              onInput={(event) => setEmail(event.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="auth-password">{t('signIn.password')}</label>
            <input
              id="auth-password"
              class="input"
              type="password"
              autoComplete={mode === 'signIn' ? 'current-password' : 'new-password'}
              required
              minLength={mode === 'signUp' ? 6 : undefined}
              aria-describedby={mode === 'signUp' ? 'auth-password-hint' : undefined}
              value={password}
              onInput={(event) => setPassword(event.currentTarget.value)}
            />
            {mode === 'signUp' ? (
              <p id="auth-password-hint" class="field-hint">
                {t('signIn.passwordHint')}
              </p>
            ) : null}
          </div>
          {error ? (
            <p role="alert" class="notice notice-error">
              {render(error)}
            </p>
          ) : null}
          {notice ? (
            <p role="status" class="notice notice-success">
              {render(notice)}
            </p>
          ) : null}
          <button type="submit" class="button button-primary button-block" disabled={working}>
            {working ? t('signIn.working') : mode === 'signIn' ? t('signIn.submit') : t('signIn.submitSignUp')}
          </button>
        </form>
        <button type="button" class="button button-link auth-switch" onClick={switchMode}>
          {mode === 'signIn' ? t('signIn.toSignUp') : t('signIn.toSignIn')}
        </button>
      </section>
    </div>
  )
}
