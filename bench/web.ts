// Web benchmarks (issue 5):
//  1. first-load JavaScript and CSS, gzipped: the entry chunk, its static imports and its CSS,
//     read from Vite's manifest of the built app (lazy chunks excluded: the first screen does not
//     need them). Bar: at most 90 KB in total.
//  2. time to numbers: headless Debian Chromium navigates to the profile page of a signed-in user
//     with a cold HTTP cache; the figure is the page's own clock (ms since navigation start) when
//     the WhatsApp numbers list shows the user's numbers. Median of 10 loads. Bar: at most 500 ms.
//     Reference: DOMContentLoaded of the same loads (the HTML shell alone).
// npm run bench calls runWebBenchmarks(env); alone: npx tsx bench/web.ts (uses STACK_* from the
// environment when STACK_WEB_URL is set, otherwise starts its own stack on port base 57420).
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/browser/support.ts'
import { median, spreadOf, type BenchEnv, type BenchResult } from './types.ts'

const root = resolve(import.meta.dirname, '..')
const dist = join(root, 'web', 'dist')
const FIRST_LOAD_BUDGET_KB = 90
const NUMBERS_BUDGET_MS = 500
const LOADS = 10

interface ManifestChunk {
  file: string
  isEntry?: boolean
  imports?: string[]
  css?: string[]
}

/** The files a browser fetches before the first screen can render: entry, static imports, CSS. */
export function firstLoadFiles(distDir = dist): string[] {
  const manifestPath = join(distDir, '.vite', 'manifest.json')
  if (!existsSync(manifestPath)) {
    execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' })
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, ManifestChunk>
  const files = new Set<string>()
  const visit = (key: string) => {
    const chunk = manifest[key]
    if (!chunk || files.has(chunk.file)) return
    files.add(chunk.file)
    for (const css of chunk.css ?? []) files.add(css)
    for (const imported of chunk.imports ?? []) visit(imported)
  }
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key)
  return [...files]
}

export function firstLoadGzipKb(distDir = dist): { totalKb: number; files: { file: string; kb: number }[] } {
  const files = firstLoadFiles(distDir).map((file) => ({ file, kb: gzipSync(readFileSync(join(distDir, file)), { level: 9 }).length / 1024 }))
  return { totalKb: files.reduce((sum, f) => sum + f.kb, 0), files }
}

async function signUpWithNumbers(env: BenchEnv): Promise<{ email: string; password: string }> {
  const email = `bench-web-${Date.now()}@example.com`
  const password = 'bench-web-password'
  const signUp = await fetch(`${env.apiUrl}/auth/v1/signup`, {
    method: 'POST',
    headers: { apikey: env.anonKey, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  const session = (await signUp.json()) as { access_token?: string }
  if (!session.access_token) throw new Error(`sign-up for the web benchmark failed: ${JSON.stringify(session)}`)
  const insert = await fetch(`${env.apiUrl}/rest/v1/whatsapp_phone_numbers`, {
    method: 'POST',
    headers: { apikey: env.anonKey, authorization: `Bearer ${session.access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify([
      { phone_number: '+77011234567', label: 'Implants' },
      { phone_number: '+77017654321', label: 'Braces' },
      { phone_number: '+4915123456789', label: 'Berlin' },
    ]),
  })
  if (!insert.ok) throw new Error(`adding numbers for the web benchmark failed: ${insert.status} ${await insert.text()}`)
  return { email, password }
}

export async function measureTimeToNumbers(env: BenchEnv, loads = LOADS): Promise<{ numbers: number[]; shell: number[] }> {
  const user = await signUpWithNumbers(env)
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true })
  try {
    // Sign in once through the UI; every measured load then starts from that stored session.
    const signIn = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' })
    const page = await signIn.newPage()
    await page.goto(env.webUrl)
    await page.getByRole('textbox', { name: 'Email' }).fill(user.email)
    await page.getByLabel('Password').fill(user.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('list', { name: 'Your WhatsApp numbers' }).waitFor()
    const storageState = await signIn.storageState()
    await signIn.close()

    const numbers: number[] = []
    const shell: number[] = []
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext({ storageState, viewport: { width: 1280, height: 900 }, locale: 'en-US' })
      const tab = await context.newPage()
      await tab.goto(env.webUrl, { waitUntil: 'commit' })
      const shown = await tab.waitForFunction(
        () => {
          const list = document.querySelector('ul[aria-label="Your WhatsApp numbers"]')
          return list && list.querySelectorAll('li').length >= 3 ? performance.now() : null
        },
        undefined,
        { polling: 'raf', timeout: 15_000 },
      )
      numbers.push((await shown.jsonValue()) as number)
      shell.push(await tab.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd))
      await context.close()
    }
    return { numbers, shell }
  } finally {
    await browser.close()
  }
}

export async function runWebBenchmarks(env: BenchEnv): Promise<BenchResult[]> {
  const size = firstLoadGzipKb()
  const { numbers, shell } = await measureTimeToNumbers(env)
  const numbersMedian = median(numbers)
  const shellMedian = median(shell)
  return [
    {
      name: 'web first-load JS+CSS (KB gzipped)',
      workload: `entry chunk + static imports + CSS of web/dist (${size.files.length} files; dialogs, launch panel and libphonenumber metadata are lazy); figure in KB, not ms`,
      command: 'npx tsx bench/web.ts',
      median_ms: Number(size.totalKb.toFixed(2)),
      spread: 'deterministic (one build)',
      reference: `budget ${FIRST_LOAD_BUDGET_KB} KB`,
      reference_median_ms: FIRST_LOAD_BUDGET_KB,
      ratio: Number((size.totalKb / FIRST_LOAD_BUDGET_KB).toFixed(3)),
      bar: `≤ ${FIRST_LOAD_BUDGET_KB} KB gzipped`,
      met: size.totalKb <= FIRST_LOAD_BUDGET_KB,
      note: size.files.map((f) => `${f.file} ${f.kb.toFixed(1)} KB`).join(', '),
    },
    {
      name: 'web time to numbers',
      workload: `headless Chromium, signed-in user with 3 numbers, cold HTTP cache, ${numbers.length} loads: ms from navigation start until the numbers list shows them`,
      command: 'npx tsx bench/web.ts',
      median_ms: Number(numbersMedian.toFixed(1)),
      spread: spreadOf(numbers),
      reference: 'DOMContentLoaded of the same loads',
      reference_median_ms: Number(shellMedian.toFixed(1)),
      ratio: Number((numbersMedian / shellMedian).toFixed(2)),
      bar: `median ≤ ${NUMBERS_BUDGET_MS} ms`,
      met: numbersMedian <= NUMBERS_BUDGET_MS,
    },
  ]
}

async function main(): Promise<void> {
  let env: BenchEnv
  let stop: (() => Promise<void>) | undefined
  if (process.env.STACK_WEB_URL) {
    const need = (k: string) => {
      const v = process.env[k]
      if (!v) throw new Error(`${k} is not set`)
      return v
    }
    env = {
      apiUrl: need('STACK_API_URL'),
      dbUrl: process.env.STACK_DB_URL ?? '',
      anonKey: need('STACK_ANON_KEY'),
      serviceRoleKey: process.env.STACK_SERVICE_ROLE_KEY ?? '',
      webUrl: need('STACK_WEB_URL'),
      jwtSecret: process.env.STACK_JWT_SECRET ?? '',
      graphDoubleUrl: process.env.GRAPH_DOUBLE_URL ?? '',
      dataDir: process.env.STACK_DATA_DIR ?? '',
    }
  } else {
    process.env.STACK_PORT_BASE ??= '57420'
    process.env.STACK_DATA_DIR ??= '.stack/bench-web'
    process.env.STACK_AUTH_BCRYPT_COST ??= '4'
    const { loadConfig } = await import('../stack/config.ts')
    const { startStack } = await import('../stack/stack.ts')
    const config = loadConfig()
    const stack = await startStack(config, { reset: true, web: true })
    stop = stack.stop
    env = {
      apiUrl: stack.status.api_url,
      dbUrl: stack.status.db_url,
      anonKey: stack.status.anon_key,
      serviceRoleKey: stack.status.service_role_key,
      webUrl: stack.status.web_url,
      jwtSecret: config.jwtSecret,
      graphDoubleUrl: '',
      dataDir: config.dataDir,
    }
  }
  try {
    for (const r of await runWebBenchmarks(env)) {
      console.log(`${r.name}: ${r.median_ms} (${r.spread}); reference ${r.reference_median_ms}; ratio ${r.ratio}; bar ${r.bar}: ${r.met ? 'met' : 'MISSED'}`)
      if (r.note) console.log(`  ${r.note}`)
    }
  } finally {
    await stop?.()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(error)
    process.exit(1)
  })
}
