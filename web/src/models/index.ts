import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import { createDirectionsModel } from './directions'
import { createFacebookModel } from './facebook'
import { createI18nModel, type I18nModel } from './i18n'
import { createLaunchesModel } from './launches'
import { createNumbersModel } from './numbers'
import { createSessionModel } from './session'
import type { DataGateway } from './types'

export interface ModelOptions {
  i18n?: I18nModel
  newIdempotencyKey?: () => string
}

/** Builds every model over one data gateway, wired so changes to numbers refresh the routes. */
export function createModels(gateway: DataGateway, options: ModelOptions = {}) {
  const i18n = options.i18n ?? createI18nModel(null, ['en'])
  const directions = createDirectionsModel(gateway.directions)
  const numbers = createNumbersModel(gateway.numbers, () => void directions.load())
  const facebook = createFacebookModel(gateway.facebook)
  const launches = createLaunchesModel(gateway.launches, { pageId: () => facebook.connection.value?.page_id ?? null }, options.newIdempotencyKey)
  const session = createSessionModel(gateway.auth)
  return { i18n, session, numbers, directions, facebook, launches }
}

export type Models = ReturnType<typeof createModels>

export const ModelsContext = createContext<Models | null>(null)

export function useModels(): Models {
  const models = useContext(ModelsContext)
  if (!models) throw new Error('useModels() needs a <ModelsContext.Provider> above it')
  return models
}
