export interface AppConfig {
  supabaseUrl: string
  supabaseAnonKey: string
}

/**
 * The local stack (and any server that serves web/dist) injects
 * <script id="app-config" type="application/json"> into index.html; a hosted
 * build bakes the values in through VITE_SUPABASE_URL / VITE_SUPABASE_ANON_KEY.
 */
export function readAppConfig(doc: Document = document): AppConfig {
  const element = doc.getElementById('app-config')
  if (element?.textContent) {
    const parsed = JSON.parse(element.textContent) as Partial<AppConfig>
    if (parsed.supabaseUrl && parsed.supabaseAnonKey) {
      return { supabaseUrl: parsed.supabaseUrl, supabaseAnonKey: parsed.supabaseAnonKey }
    }
  }
  const supabaseUrl = import.meta.env.VITE_SUPABASE_URL as string | undefined
  const supabaseAnonKey = import.meta.env.VITE_SUPABASE_ANON_KEY as string | undefined
  if (!supabaseUrl || !supabaseAnonKey) {
    throw new Error('Missing app config: set VITE_SUPABASE_URL and VITE_SUPABASE_ANON_KEY or serve index.html with an app-config script')
  }
  return { supabaseUrl, supabaseAnonKey }
}
