import { batch, signal } from '@preact/signals'
import { describeDbError, describeLaunchError } from '../lib/errors'
import type { Message } from './i18n'
import type { DataGateway, LaunchPreview, LaunchRecord, LaunchSuccess } from './types'

export type LaunchPhase = 'idle' | 'previewing' | 'preview' | 'launching' | 'launched' | 'failed'

export interface LaunchContextSource {
  pageId(): string | null
}

/**
 * One launch attempt for one direction: dry-run preview, then the real launch.
 * The idempotency key belongs to the attempt, so a double click (or a retry after
 * a lost reply) sends the same key and Facebook gets one ad set.
 */
export function createLaunchAttempt(
  gateway: DataGateway['launches'],
  directionId: string,
  context: LaunchContextSource,
  newKey: () => string,
  onFinished: () => void = () => {},
) {
  const phase = signal<LaunchPhase>('idle')
  const preview = signal<LaunchPreview | null>(null)
  const success = signal<LaunchSuccess | null>(null)
  const error = signal<Message | null>(null)
  let idempotencyKey = newKey()

  async function loadPreview() {
    batch(() => {
      phase.value = 'previewing'
      error.value = null
      success.value = null
    })
    const result = await gateway.preview(directionId)
    batch(() => {
      if (result.ok) {
        preview.value = result.data
        phase.value = 'preview'
      } else {
        error.value = describeLaunchError(result, { phoneNumber: null, pageId: context.pageId() })
        phase.value = 'failed'
      }
    })
  }

  async function launch() {
    if (phase.value === 'launching' || phase.value === 'launched') return
    batch(() => {
      phase.value = 'launching'
      error.value = null
    })
    const result = await gateway.launch(directionId, idempotencyKey)
    batch(() => {
      if (result.ok) {
        success.value = result.data
        phase.value = 'launched'
        idempotencyKey = newKey()
      } else {
        error.value = describeLaunchError(result, {
          phoneNumber: preview.value?.whatsapp_phone_number ?? null,
          pageId: context.pageId(),
        })
        phase.value = 'failed'
        // A definite refusal can be retried as a new attempt; a timeout may have
        // created the ad set, so the retry keeps the key and cannot duplicate it.
        if (result.body?.error.code !== 'facebook_timeout' && !result.networkError) idempotencyKey = newKey()
      }
    })
    onFinished()
  }

  return { directionId, phase, preview, success, error, loadPreview, launch }
}

export type LaunchAttempt = ReturnType<typeof createLaunchAttempt>

export function createLaunchHistory(gateway: DataGateway['launches'], directionId: string) {
  const records = signal<LaunchRecord[]>([])
  const status = signal<'loading' | 'ready' | 'error'>('loading')
  const loadError = signal<Message | null>(null)

  async function load() {
    const result = await gateway.history(directionId)
    batch(() => {
      if (result.error) {
        loadError.value = describeDbError(result.error)
        status.value = 'error'
      } else {
        records.value = result.data
        status.value = 'ready'
      }
    })
  }

  return { records, status, loadError, load }
}

export type LaunchHistory = ReturnType<typeof createLaunchHistory>

export function createLaunchesModel(gateway: DataGateway['launches'], context: LaunchContextSource, newKey: () => string = () => crypto.randomUUID()) {
  /** Bumped after every real launch so open histories reload. */
  const revision = signal(0)
  return {
    revision,
    attempt: (directionId: string) => createLaunchAttempt(gateway, directionId, context, newKey, () => revision.value++),
    history: (directionId: string) => createLaunchHistory(gateway, directionId),
  }
}

export type LaunchesModel = ReturnType<typeof createLaunchesModel>
