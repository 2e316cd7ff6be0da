import { batch, computed, signal } from '@preact/signals'
import { describeDbError, directionsInUse, type DirectionRef } from '../lib/errors'
import { normalizePhoneInput } from '../lib/phone'
import { displayPhone } from '../lib/phoneFormat'
import { message, type Message } from './i18n'
import type { DataGateway, WhatsAppNumber } from './types'

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error'

export type RemoveOutcome =
  | { kind: 'deleted' }
  | { kind: 'in_use'; directions: DirectionRef[] }
  | { kind: 'failed'; error: Message }

const byCreation = (a: WhatsAppNumber, b: WhatsAppNumber) => a.created_at.localeCompare(b.created_at)

export function createNumbersModel(gateway: DataGateway['numbers'], onChanged: () => void = () => {}) {
  const numbers = signal<WhatsAppNumber[]>([])
  const status = signal<LoadStatus>('idle')
  const loadError = signal<Message | null>(null)
  /** The outcome of the last action, announced in the card (an error or a confirmation). */
  const notice = signal<{ tone: 'error' | 'success'; message: Message } | null>(null)
  const busyIds = signal<ReadonlySet<string>>(new Set())

  const activeNumbers = computed(() => numbers.value.filter((n) => n.is_active))
  const defaultNumber = computed(() => numbers.value.find((n) => n.is_default) ?? null)

  async function load() {
    if (status.value !== 'ready') status.value = 'loading'
    const result = await gateway.list()
    batch(() => {
      if (result.error) {
        loadError.value = describeDbError(result.error)
        status.value = 'error'
      } else {
        numbers.value = [...result.data].sort(byCreation)
        loadError.value = null
        status.value = 'ready'
      }
    })
  }

  function setBusy(id: string, busy: boolean) {
    const next = new Set(busyIds.value)
    if (busy) next.add(id)
    else next.delete(id)
    busyIds.value = next
  }

  function replace(updated: WhatsAppNumber) {
    numbers.value = numbers.value.map((n) => (n.id === updated.id ? updated : n))
  }

  function fail(error: Message): Message {
    notice.value = { tone: 'error', message: error }
    return error
  }

  /** Validates with the same rule as the database, then inserts. Returns the error shown, or null. */
  async function add(rawPhone: string, rawLabel: string): Promise<Message | null> {
    const normalized = normalizePhoneInput(rawPhone)
    if (!normalized.ok) return fail(message(`phone.${normalized.reason}`))
    const label = rawLabel.trim() || null
    const result = await gateway.insert(normalized.e164, label)
    if (result.error) return fail(describeDbError(result.error))
    batch(() => {
      // The database makes the first number the default; reflect what it returned.
      const others = result.data.is_default ? numbers.value.map((n) => ({ ...n, is_default: false })) : numbers.value
      numbers.value = [...others, result.data].sort(byCreation)
      notice.value = { tone: 'success', message: message('numbers.added', { number: displayPhone(result.data.phone_number) }) }
    })
    onChanged()
    return null
  }

  async function rename(id: string, rawLabel: string): Promise<Message | null> {
    const label = rawLabel.trim() || null
    setBusy(id, true)
    const result = await gateway.update(id, { label })
    setBusy(id, false)
    if (result.error) return fail(describeDbError(result.error))
    batch(() => {
      replace(result.data)
      notice.value = null
    })
    onChanged()
    return null
  }

  /** Moves the default flag at once on screen; the database trigger does the same and we reconcile. */
  async function makeDefault(id: string): Promise<Message | null> {
    const before = numbers.value
    const target = before.find((n) => n.id === id)
    if (!target || target.is_default) return null
    batch(() => {
      numbers.value = before.map((n) => ({ ...n, is_default: n.id === id }))
      notice.value = null
    })
    setBusy(id, true)
    const result = await gateway.update(id, { is_default: true })
    setBusy(id, false)
    if (result.error) {
      numbers.value = before
      return fail(describeDbError(result.error))
    }
    notice.value = { tone: 'success', message: message('numbers.madeDefault', { number: displayPhone(target.phone_number) }) }
    onChanged()
    await load()
    return null
  }

  async function setActive(id: string, isActive: boolean): Promise<Message | null> {
    setBusy(id, true)
    const result = await gateway.update(id, { is_active: isActive })
    setBusy(id, false)
    if (result.error) return fail(describeDbError(result.error))
    batch(() => {
      replace(result.data)
      notice.value = null
    })
    onChanged()
    return null
  }

  /** Tries to delete; a number still used by directions comes back as `in_use` with their names. */
  async function remove(id: string): Promise<RemoveOutcome> {
    const target = numbers.value.find((n) => n.id === id)
    const result = await gateway.remove(id)
    if (result.error) {
      const directions = directionsInUse(result.error)
      if (directions) return { kind: 'in_use', directions }
      return { kind: 'failed', error: describeDbError(result.error) }
    }
    forget(id, target)
    return { kind: 'deleted' }
  }

  /** Moves the number's directions to `replacementId` (null = "use default") and deletes it, atomically. */
  async function retire(id: string, replacementId: string | null): Promise<Message | null> {
    const target = numbers.value.find((n) => n.id === id)
    const result = await gateway.retire(id, replacementId)
    if (result.error) return describeDbError(result.error)
    forget(id, target)
    return null
  }

  function forget(id: string, target: WhatsAppNumber | undefined) {
    batch(() => {
      numbers.value = numbers.value.filter((n) => n.id !== id)
      if (target) notice.value = { tone: 'success', message: message('numbers.deleted', { number: displayPhone(target.phone_number) }) }
    })
    onChanged()
  }

  function clear() {
    batch(() => {
      numbers.value = []
      status.value = 'idle'
      notice.value = null
      loadError.value = null
    })
  }

  return {
    numbers,
    status,
    loadError,
    notice,
    busyIds,
    activeNumbers,
    defaultNumber,
    load,
    add,
    rename,
    makeDefault,
    setActive,
    remove,
    retire,
    clear,
  }
}

export type NumbersModel = ReturnType<typeof createNumbersModel>
