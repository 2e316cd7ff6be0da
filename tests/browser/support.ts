// Browser plumbing shared by the web suites and bench/web.ts: Debian's Chromium
// through playwright-core (never a downloaded browser), axe-core, screenshots.
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'

export const CHROMIUM_PATH = '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
]

export const DESKTOP = { width: 1280, height: 900 }
export const PHONE = { width: 390, height: 844 }

const repoRoot = resolve(import.meta.dirname, '..', '..')
export const SCREENSHOT_DIR = join(repoRoot, 'tests', 'artifacts', 'screenshots')
const AXE_PATH = join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js')

export interface FreshBrowser {
  context: BrowserContext
  page: Page
  close(): Promise<void>
}

/** A Chromium with a brand-new profile directory, removed on close. */
export async function freshBrowser(locale = 'en-US'): Promise<FreshBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'web-chromium-'))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: DESKTOP,
    locale,
  })
  const page = context.pages()[0] ?? (await context.newPage())
  return {
    context,
    page,
    async close() {
      await context.close()
      rmSync(userDataDir, { recursive: true, force: true })
    },
  }
}

export interface AxeFinding {
  id: string
  impact: string | null
  help: string
  nodes: string[]
}

/** Runs axe-core in the page and returns the serious and critical findings. */
export async function seriousAxeFindings(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({ content: readFileSync(AXE_PATH, 'utf8') })
  }
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe
    const result = await axe.run(document, { resultTypes: ['violations'] })
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }))
  })
}

/**
 * One screen, checked the way a user meets it: at 1280 and at 390 px wide, a full-page
 * screenshot each and axe-core run each time. Returns the serious/critical findings.
 */
export async function captureScreen(page: Page, name: string): Promise<AxeFinding[]> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const findings: AxeFinding[] = []
  for (const [label, size] of [['1280', DESKTOP], ['390', PHONE]] as const) {
    await page.setViewportSize(size)
    await page.waitForTimeout(60)
    // A modal's backdrop covers the viewport only, so dialogs are captured as the user sees them.
    const dialogOpen = (await page.locator('dialog[open]').count()) > 0
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${label}.png`), fullPage: !dialogOpen })
    for (const finding of await seriousAxeFindings(page)) findings.push({ ...finding, help: `${label}px: ${finding.help}` })
  }
  await page.setViewportSize(DESKTOP)
  return findings
}

/** Screenshots the current screen at desktop and phone width; returns the file paths. */
export async function screenshotBothWidths(page: Page, name: string): Promise<string[]> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const files: string[] = []
  for (const [label, size] of [['1280', DESKTOP], ['390', PHONE]] as const) {
    await page.setViewportSize(size)
    await page.waitForTimeout(50)
    const file = join(SCREENSHOT_DIR, `${name}-${label}.png`)
    await page.screenshot({ path: file, fullPage: true })
    files.push(file)
  }
  await page.setViewportSize(DESKTOP)
  return files
}
