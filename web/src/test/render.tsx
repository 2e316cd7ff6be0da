import { render } from '@testing-library/preact'
import type { ComponentChildren } from 'preact'
import { createModels, ModelsContext, type Models } from '../models'
import { createI18nModel, type Locale } from '../models/i18n'
import { MemoryGateway } from './memoryGateway'

export interface RenderOptions {
  gateway?: MemoryGateway
  locale?: Locale
  newIdempotencyKey?: () => string
}

/** Renders `ui` with real models over an in-memory gateway, as the app wires them. */
export function renderWithModels(ui: (models: Models) => ComponentChildren, options: RenderOptions = {}) {
  const gateway = options.gateway ?? new MemoryGateway()
  const i18n = createI18nModel(null, [options.locale ?? 'en'])
  const models = createModels(gateway, { i18n, newIdempotencyKey: options.newIdempotencyKey })
  const utils = render(<ModelsContext.Provider value={models}>{ui(models)}</ModelsContext.Provider>)
  return { ...utils, gateway, models }
}
