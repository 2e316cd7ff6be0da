import { useEffect, useState } from 'preact/hooks'
import { useModels } from '../models'
import type { ConnectionFieldErrors } from '../models/facebook'
import { Notice, type NoticeValue } from './Notice'

/** Ad account, Page and access token. The token can be replaced but is never read back. */
export function FacebookConnectionCard() {
  const { facebook, i18n } = useModels()
  const { t, render } = i18n
  const connection = facebook.connection.value
  const [adAccountId, setAdAccountId] = useState('')
  const [pageId, setPageId] = useState('')
  const [newToken, setNewToken] = useState('')
  const [errors, setErrors] = useState<ConnectionFieldErrors>({})
  const [notice, setNotice] = useState<NoticeValue | null>(null)
  const [saving, setSaving] = useState(false)

  useEffect(() => {
    setAdAccountId(connection?.ad_account_id ?? '')
    setPageId(connection?.page_id ?? '')
  }, [connection?.ad_account_id, connection?.page_id])

  const submit = async (event: Event) => {
    event.preventDefault()
    const input = { adAccountId, pageId, newToken }
    const fieldErrors = facebook.validate(input)
    setErrors(fieldErrors)
    setNotice(null)
    if (fieldErrors.adAccountId || fieldErrors.pageId) {
      document.getElementById(fieldErrors.adAccountId ? 'fb-ad-account' : 'fb-page')?.focus()
      return
    }
    setSaving(true)
    const failure = await facebook.save(input)
    setSaving(false)
    if (failure) {
      setNotice({ tone: 'error', message: failure })
    } else {
      setNewToken('')
      setNotice({ tone: 'success', message: { key: 'facebook.saved' } })
    }
  }

  const status = facebook.status.value
  return (
    <section class="card" aria-labelledby="facebook-heading">
      <div class="card-header">
        <h3 id="facebook-heading" class="card-title">
          {t('facebook.heading')}
        </h3>
        <p class="card-intro">{t('facebook.intro')}</p>
      </div>
      {status === 'loading' || status === 'idle' ? (
        <p role="status" class="state-message">
          {t('facebook.loading')}
        </p>
      ) : status === 'error' ? (
        <div role="alert" class="state-message state-error">
          <p>
            {t('facebook.loadFailed')} {facebook.loadError.value ? render(facebook.loadError.value) : ''}
          </p>
          <button type="button" class="button button-secondary" onClick={() => void facebook.load()}>
            {t('numbers.retry')}
          </button>
        </div>
      ) : (
        <form onSubmit={submit} noValidate>
          <div class="form-row">
            <div class="field field-grow">
              <label for="fb-ad-account">{t('facebook.adAccount')}</label>
              <input
                id="fb-ad-account"
                class="input"
                inputMode="numeric"
                autoComplete="off"
                value={adAccountId}
                aria-invalid={Boolean(errors.adAccountId)}
                aria-describedby="fb-ad-account-note"
                onInput={(event) => setAdAccountId(event.currentTarget.value)}
              />
              <p id="fb-ad-account-note" class={errors.adAccountId ? 'field-error' : 'field-hint'}>
                {errors.adAccountId ? render(errors.adAccountId) : t('facebook.adAccountHint')}
              </p>
            </div>
            <div class="field field-grow">
              <label for="fb-page">{t('facebook.page')}</label>
              <input
                id="fb-page"
                class="input"
                inputMode="numeric"
                autoComplete="off"
                value={pageId}
                aria-invalid={Boolean(errors.pageId)}
                aria-describedby={errors.pageId ? 'fb-page-error' : undefined}
                onInput={(event) => setPageId(event.currentTarget.value)}
              />
              {errors.pageId ? (
                <p id="fb-page-error" class="field-error">
                  {render(errors.pageId)}
                </p>
              ) : null}
            </div>
          </div>
          <div class="field">
            <label for="fb-token">{t('facebook.token')}</label>
            <input
              id="fb-token"
              class="input"
              type="password"
              autoComplete="off"
              spellcheck={false}
              value={newToken}
              placeholder={t('facebook.tokenPlaceholder')}
              aria-describedby="fb-token-state"
              onInput={(event) => setNewToken(event.currentTarget.value)}
            />
            <p id="fb-token-state" class="field-hint">
              {connection?.has_facebook_token ? t('facebook.tokenSet') : t('facebook.tokenMissing')}
            </p>
          </div>
          <Notice notice={notice} />
          <div class="form-actions">
            <button type="submit" class="button button-primary" disabled={saving}>
              {saving ? t('facebook.saving') : t('facebook.save')}
            </button>
          </div>
        </form>
      )}
    </section>
  )
}
