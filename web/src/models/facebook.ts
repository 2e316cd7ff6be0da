import { batch, signal } from '@preact/signals'
import { describeDbError } from '../lib/errors'
import { message, type Message } from './i18n'
import type { LoadStatus } from './numbers'
import type { DataGateway, FacebookConnection } from './types'

const FACEBOOK_ID = /^[0-9]{1,32}$/

export interface ConnectionInput {
  adAccountId: string
  pageId: string
  /** Empty keeps the saved token: it can be replaced but is never read back. */
  newToken: string
}

export type ConnectionFieldErrors = Partial<Record<'adAccountId' | 'pageId', Message>>

export function createFacebookModel(gateway: DataGateway['facebook']) {
  const connection = signal<FacebookConnection | null>(null)
  const status = signal<LoadStatus>('idle')
  const loadError = signal<Message | null>(null)

  async function load() {
    if (status.value !== 'ready') status.value = 'loading'
    const result = await gateway.load()
    batch(() => {
      if (result.error) {
        loadError.value = describeDbError(result.error)
        status.value = 'error'
      } else {
        connection.value = result.data
        status.value = 'ready'
      }
    })
  }

  function validate(input: ConnectionInput): ConnectionFieldErrors {
    const errors: ConnectionFieldErrors = {}
    const adAccount = stripActPrefix(input.adAccountId)
    if (adAccount && !FACEBOOK_ID.test(adAccount)) errors.adAccountId = message('facebook.adAccountInvalid')
    if (input.pageId.trim() && !FACEBOOK_ID.test(input.pageId.trim())) errors.pageId = message('facebook.pageInvalid')
    return errors
  }

  async function save(input: ConnectionInput): Promise<Message | null> {
    const adAccount = stripActPrefix(input.adAccountId) || null
    const page = input.pageId.trim() || null
    const ids = await gateway.saveIds(adAccount, page)
    if (ids.error) return describeDbError(ids.error)
    const token = input.newToken.trim()
    if (token) {
      const saved = await gateway.saveToken(token)
      if (saved.error) return describeDbError(saved.error)
    }
    connection.value = {
      ad_account_id: adAccount,
      page_id: page,
      has_facebook_token: Boolean(token) || (connection.value?.has_facebook_token ?? false),
    }
    return null
  }

  function clear() {
    batch(() => {
      connection.value = null
      status.value = 'idle'
    })
  }

  return { connection, status, loadError, load, validate, save, clear }
}

function stripActPrefix(value: string): string {
  return value.trim().replace(/^act_/i, '')
}

export type FacebookModel = ReturnType<typeof createFacebookModel>
