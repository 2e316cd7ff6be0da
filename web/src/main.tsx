import { render } from 'preact'
import { App } from './app'
import { readAppConfig } from './lib/config'
import { createSupabaseGateway } from './lib/gateway'
import { createAppSupabaseClient } from './lib/supabase'
import { createModels } from './models'
import { createI18nModel } from './models/i18n'
import { CreateDirectionDialog, LaunchPanel } from './components/DirectionsCard'
import { DeleteNumberDialog } from './components/WhatsAppNumbersCard'
import { loadPhoneDisplay } from './lib/phoneFormat'
import './styles.css'

const root = document.getElementById('app')!
const i18n = createI18nModel(safeLocalStorage(), navigator.languages?.length ? navigator.languages : [navigator.language])

try {
  const client = createAppSupabaseClient(readAppConfig())
  const models = createModels(createSupabaseGateway(client), { i18n })
  render(<App models={models} />, root)
  // Warm the split-off chunks once the first screen is up, so dialogs open instantly.
  const warm = () => {
    void loadPhoneDisplay()
    void CreateDirectionDialog.preload()
    void LaunchPanel.preload()
    void DeleteNumberDialog.preload()
  }
  if ('requestIdleCallback' in window) requestIdleCallback(warm, { timeout: 2000 })
  else setTimeout(warm, 500)
} catch (error) {
  console.error(error)
  root.innerHTML = ''
  const text = document.createElement('p')
  text.className = 'state-message state-error'
  text.setAttribute('role', 'alert')
  text.textContent = i18n.t('app.configError')
  root.append(text)
}

function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null
  }
}
