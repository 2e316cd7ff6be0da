import { batch, computed, signal } from '@preact/signals'
import { describeDbError } from '../lib/errors'
import type { Message } from './i18n'
import type { LoadStatus } from './numbers'
import type { DataGateway, DirectionChanges, DirectionRoute, NewDirection } from './types'

export function createDirectionsModel(gateway: DataGateway['directions']) {
  const routes = signal<DirectionRoute[]>([])
  const status = signal<LoadStatus>('idle')
  const loadError = signal<Message | null>(null)

  /** Direction ids per number a launch would use now, for "used by N directions". */
  const usageByNumber = computed(() => {
    const usage = new Map<string, number>()
    for (const route of routes.value) {
      if (route.own_number_id) usage.set(route.own_number_id, (usage.get(route.own_number_id) ?? 0) + 1)
    }
    return usage
  })

  async function load() {
    if (status.value !== 'ready') status.value = 'loading'
    const result = await gateway.listRoutes()
    batch(() => {
      if (result.error) {
        loadError.value = describeDbError(result.error)
        status.value = 'error'
      } else {
        routes.value = [...result.data].sort((a, b) => a.direction_name.localeCompare(b.direction_name))
        loadError.value = null
        status.value = 'ready'
      }
    })
  }

  async function create(direction: NewDirection): Promise<Message | null> {
    const result = await gateway.insert(direction)
    if (result.error) return describeDbError(result.error)
    await load()
    return null
  }

  async function update(directionId: string, changes: DirectionChanges): Promise<Message | null> {
    const result = await gateway.update(directionId, changes)
    if (result.error) return describeDbError(result.error)
    await load()
    return null
  }

  function clear() {
    batch(() => {
      routes.value = []
      status.value = 'idle'
      loadError.value = null
    })
  }

  return { routes, status, loadError, usageByNumber, load, create, update, clear }
}

export type DirectionsModel = ReturnType<typeof createDirectionsModel>
