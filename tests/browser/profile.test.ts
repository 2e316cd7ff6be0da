// The profile page end to end: real Chromium, the full local stack, and the Graph API
// double standing in for Facebook. One user's whole journey, then a second user.
import assert from 'node:assert/strict'
import { randomInt, randomUUID } from 'node:crypto'
import { after, before, test } from 'node:test'
import type { Locator, Page } from 'playwright-core'
import { en } from '../../web/src/i18n/en.ts'
import { ru } from '../../web/src/i18n/ru.ts'
import { captureScreen, DESKTOP, freshBrowser, PHONE, type FreshBrowser } from './support.ts'

const webUrl = need('STACK_WEB_URL')
const graphUrl = need('GRAPH_DOUBLE_URL').replace(/\/+$/, '')

function need(name: string): string {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set: run through npm test (tests/run.ts), which starts the stack and the Graph double`)
  return value
}

// Ids of this run's Facebook world in the shared double, so parallel suites do not collide.
const run = `${Date.now()}${randomInt(1000, 9999)}`
const facebook = {
  token: `EAAweb${run}`,
  adAccountId: `77${run}`,
  pageId: `88${run}`,
  campaignId: `12021${run}`,
}
const FIRST = { pasted: '+7 (701) 123-45-67', e164: '+77011234567', shown: '+7 701 123 4567' }
const SECOND = { typed: '+77017654321', e164: '+77017654321', shown: '+7 701 765 4321' }
const password = 'browser-password-1'
const firstUser = `web-${run}-a@example.com`
const secondUser = `web-${run}-b@example.com`

let browser: FreshBrowser
let page: Page
const axeProblems: string[] = []

async function checkScreen(name: string) {
  const findings = await captureScreen(page, name)
  for (const f of findings) axeProblems.push(`${name}: ${f.id} (${f.impact}) ${f.help} ${f.nodes.join(' ')}`)
  assert.deepEqual(findings, [], `axe found serious or critical problems on ${name}`)
}

async function control(path: string, body?: unknown) {
  const response = await fetch(`${graphUrl}/__control/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  assert.equal(response.status, 200, `graph double ${path}: ${response.status}`)
  return response.json()
}

interface RecordedRequest {
  method: string
  path: string
  body: { promoted_object?: { whatsapp_phone_number?: string; page_id?: string } }
  access_token: string
  response_status: number
}

async function adsetRequests(): Promise<RecordedRequest[]> {
  const recorded = (await control(`requests?ad_account_id=${facebook.adAccountId}`)) as RecordedRequest[] | { requests: RecordedRequest[] }
  const list = Array.isArray(recorded) ? recorded : recorded.requests
  return list.filter((r) => r.method === 'POST' && r.path.endsWith('/adsets'))
}

async function signUp(email: string) {
  await page.goto(webUrl)
  await page.getByRole('button', { name: 'No account yet? Create one' }).click()
  await page.getByRole('textbox', { name: 'Email' }).fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.getByRole('heading', { name: 'Profile', level: 1 }).waitFor()
}

const numbersList = () => page.getByRole('list', { name: 'Your WhatsApp numbers' })
const numberRow = (shown: string) => numbersList().getByRole('listitem').filter({ hasText: shown })
const directionRow = (name: string) =>
  page.getByRole('list', { name: 'Your directions' }).getByRole('listitem').filter({ has: page.getByRole('heading', { name, level: 4 }) })

async function createDirection(name: string, numberOption: string) {
  await page.getByRole('button', { name: 'New direction' }).click()
  const dialog = page.getByRole('dialog', { name: 'New direction' })
  await dialog.getByRole('textbox', { name: 'Name' }).fill(name)
  await dialog.getByRole('textbox', { name: 'Daily budget' }).fill('25')
  await dialog.getByRole('textbox', { name: 'Target cost per lead (optional)' }).fill('4.50')
  await dialog.getByRole('textbox', { name: 'Facebook campaign ID' }).fill(facebook.campaignId)
  await dialog.getByRole('combobox', { name: 'WhatsApp number' }).selectOption({ label: numberOption })
  return dialog
}

async function launch(name: string, screen?: string) {
  await directionRow(name).getByRole('button', { name: `Launch — ${name}` }).click()
  const dialog = page.getByRole('dialog', { name: `Launch ${name}` })
  await dialog.getByText('This request will be sent to Facebook').waitFor()
  if (screen) await checkScreen(`${screen}-preview`)
  const before = (await adsetRequests()).length
  await dialog.getByRole('button', { name: 'Launch ad set' }).click()
  await dialog.getByText('Ad set launched.').waitFor()
  if (screen) await checkScreen(`${screen}-launched`)
  const sent = (await adsetRequests()).slice(before)
  const text = await dialog.innerText()
  await dialog.getByRole('button', { name: 'Close' }).first().click()
  await dialog.waitFor({ state: 'detached' })
  return { sent, text }
}

before(async () => {
  await control('accounts', {
    tokens: [{ token: facebook.token, ad_account_ids: [facebook.adAccountId] }],
    ad_accounts: [{ id: facebook.adAccountId }],
    campaigns: [{ id: facebook.campaignId, ad_account_id: facebook.adAccountId, objective: 'OUTCOME_ENGAGEMENT' }],
    pages: [{ id: facebook.pageId, name: 'Clinic', whatsapp: 'business', numbers: [FIRST.e164, SECOND.e164] }],
  })
  browser = await freshBrowser()
  page = browser.page
})

after(async () => {
  await browser?.close()
  if (axeProblems.length) console.log(axeProblems.join('\n'))
})

test('sign up, numbers, directions, launches through the double, delete in use, Russian', async (t) => {
  await t.test('sign-in screen', async () => {
    await page.goto(webUrl)
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor()
    await checkScreen('01-sign-in')
    await page.getByRole('textbox', { name: 'Email' }).fill(`nobody-${run}@example.com`)
    await page.getByLabel('Password').fill('whatever-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    const alert = page.getByRole('alert')
    await alert.waitFor()
    assert.match(await alert.innerText(), /Wrong email or password|no account with this email/)
    await checkScreen('02-sign-in-error')
  })

  await t.test('sign up lands on an empty profile', async () => {
    await signUp(firstUser)
    await page.getByText('No numbers yet.', { exact: false }).waitFor()
    await page.getByText('No directions yet.', { exact: false }).waitFor()
    await checkScreen('03-profile-empty')
  })

  await t.test('add two numbers, one pasted with separators; validation as the user types', async () => {
    const phone = page.getByRole('textbox', { name: 'Phone number' })
    await phone.fill('87011234567')
    await page.getByText('Start with + and the country code, for example +77011234567.').waitFor()
    await phone.fill(FIRST.pasted)
    await page.getByText(`Will be saved as ${FIRST.shown}.`, { exact: false }).waitFor()
    await page.getByRole('textbox', { name: 'Label (optional)' }).fill('Reception')
    await page.getByRole('button', { name: 'Add number' }).click()
    await numberRow(FIRST.shown).getByText('Default', { exact: true }).waitFor()

    await phone.fill(SECOND.typed)
    await page.getByRole('textbox', { name: 'Label (optional)' }).fill('Braces desk')
    await page.getByRole('button', { name: 'Add number' }).click()
    await numberRow(SECOND.shown).waitFor()
    assert.equal(await numbersList().getByRole('listitem').count(), 2)

    await phone.fill(FIRST.e164)
    await page.getByRole('button', { name: 'Add number' }).click()
    await page.getByRole('alert').filter({ hasText: 'You have already added this number.' }).waitFor()
    await phone.fill('')
  })

  await t.test('make the second number the default: the old default updates without reload', async () => {
    await numberRow(SECOND.shown).getByRole('button', { name: `Make default — ${SECOND.shown}` }).click()
    await numberRow(SECOND.shown).getByText('Default', { exact: true }).waitFor()
    assert.equal(await numberRow(FIRST.shown).getByText('Default', { exact: true }).count(), 0)
    await checkScreen('04-profile-two-numbers')
  })

  await t.test('dialogs opened from the keyboard keep focus inside, show where it is, and give it back', async () => {
    await keyboardDialogRound(page.getByRole('button', { name: 'New direction' }), 'New direction')
    await keyboardDialogRound(numberRow(FIRST.shown).getByRole('button', { name: `Delete — ${FIRST.shown}` }), `Delete ${FIRST.shown}?`)
    // Escape cancelled: nothing was deleted.
    assert.equal(await numbersList().getByRole('listitem').count(), 2)
  })

  await t.test('inline label edit: Enter saves', async () => {
    await numberRow(FIRST.shown).getByRole('button', { name: `Rename — ${FIRST.shown}` }).click()
    const field = page.getByRole('textbox', { name: `Label for ${FIRST.shown}` })
    await field.fill('Implants desk')
    await checkScreen('05-label-editing')
    await field.press('Enter')
    await numberRow(FIRST.shown).getByText('Implants desk').waitFor()
  })

  await t.test('connect Facebook: ids and a token that is never shown back', async () => {
    await page.getByRole('textbox', { name: 'Ad account ID' }).fill(`act_${facebook.adAccountId}`)
    await page.getByRole('textbox', { name: 'Page ID' }).fill(facebook.pageId)
    await page.getByLabel('Access token').fill(facebook.token)
    await page.getByRole('button', { name: 'Save connection' }).click()
    await page.getByText('Facebook connection saved.').waitFor()
    await page.getByText('A token is saved.', { exact: false }).waitFor()
    assert.equal(await page.getByLabel('Access token').inputValue(), '')
    assert.equal(await page.getByRole('textbox', { name: 'Ad account ID' }).inputValue(), facebook.adAccountId)
    assert.equal((await page.content()).includes(facebook.token), false, 'the token must not be in the page')
  })

  await t.test('create a WhatsApp direction bound to the first number; its launch sends the first number', async () => {
    const dialog = await createDirection('Implants', `${FIRST.shown} — Implants desk`)
    await checkScreen('06-create-direction')
    await dialog.getByRole('button', { name: 'Create direction' }).click()
    await dialog.waitFor({ state: 'detached' })
    await directionRow('Implants').getByText('Own number').waitFor()
    assert.match(await directionRow('Implants').innerText(), /\+7 701 123 4567/)

    const { sent, text } = await launch('Implants', '07-launch')
    assert.equal(sent.length, 1)
    assert.equal(sent[0]!.response_status, 200)
    assert.equal(sent[0]!.body.promoted_object?.whatsapp_phone_number?.replace(/\D/g, ''), FIRST.e164.slice(1))
    assert.equal(sent[0]!.body.promoted_object?.page_id, facebook.pageId)
    assert.match(text, /Ad set ID\s*\d+/)
    assert.match(text, /Own number/)
  })

  await t.test('a direction on "use default" launches with the second (default) number', async () => {
    const dialog = await createDirection('Braces', `Use the default number (${SECOND.shown})`)
    await dialog.getByRole('button', { name: 'Create direction' }).click()
    await dialog.waitFor({ state: 'detached' })
    await directionRow('Braces').getByText('Default', { exact: true }).waitFor()

    const { sent, text } = await launch('Braces')
    assert.equal(sent.length, 1)
    assert.equal(sent[0]!.body.promoted_object?.whatsapp_phone_number?.replace(/\D/g, ''), SECOND.e164.slice(1))
    assert.match(text, /Default/)

    await directionRow('Braces').getByRole('button', { name: 'Launch history — Braces' }).click()
    const history = page.getByRole('region', { name: 'Launch history of Braces' })
    await history.getByRole('cell', { name: 'Launched' }).waitFor()
    await checkScreen('08-directions-history')

    // A phone: each launch is a block with the headings beside the values, nothing scrolls sideways,
    // and Chrome still exposes a table whose cells are named by their values alone.
    for (const size of [DESKTOP, PHONE]) {
      await page.setViewportSize(size)
      const layout = await history.evaluate((region) => {
        const cells = [...region.querySelectorAll('td')]
        return {
          overflow: region.scrollWidth - region.clientWidth,
          pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          rowDisplay: getComputedStyle(region.querySelector('tbody tr')!).display,
          labels: cells.filter((td) => getComputedStyle(td).display !== 'none').map((td) => getComputedStyle(td, '::before').content),
        }
      })
      assert.ok(layout.overflow <= 0 && layout.pageOverflow <= 0, `${size.width}px: the history scrolls sideways (${JSON.stringify(layout)})`)
      if (size === PHONE) {
        assert.equal(layout.rowDisplay, 'block')
        // The heading is drawn, with empty alternative text: a screen reader hears the column header once.
        assert.deepEqual(layout.labels, ['"When" / ""', '"Status" / ""', '"Number" / ""', '"Ad set ID" / ""'])
      } else {
        assert.equal(layout.rowDisplay, 'table-row')
        assert.deepEqual(layout.labels, ['none', 'none', 'none', 'none'])
      }
      const roles = await chromeRoles()
      assert.ok(roles.some((r) => r.role === 'table'), `${size.width}px: no table in Chrome's accessibility tree`)
      assert.deepEqual(
        roles.filter((r) => r.role === 'columnheader').map((r) => r.name),
        ['When', 'Status', 'Number', 'Ad set or error'],
        `${size.width}px: column headers`,
      )
      assert.ok(roles.some((r) => r.role === 'cell' && r.name === 'Launched'), `${size.width}px: the status cell is not named "Launched"`)
    }
    await page.setViewportSize(DESKTOP)
  })

  await t.test('deleting the number in use is refused, then its direction is moved and the number deleted', async () => {
    await numberRow(FIRST.shown).getByRole('button', { name: `Delete — ${FIRST.shown}` }).click()
    const dialog = page.getByRole('dialog', { name: `Delete ${FIRST.shown}?` })
    await dialog.getByRole('button', { name: 'Delete number' }).click()
    const usedBy = dialog.getByRole('list', { name: 'Directions using this number' })
    await usedBy.waitFor()
    assert.deepEqual(await usedBy.getByRole('listitem').allInnerTexts(), ['Implants'])
    await checkScreen('09-delete-in-use')
    await dialog.getByRole('combobox', { name: 'Move these directions to' }).selectOption({ label: `${SECOND.shown} — Braces desk` })
    await dialog.getByRole('button', { name: 'Move and delete' }).click()
    await dialog.waitFor({ state: 'detached' })
    await numberRow(FIRST.shown).waitFor({ state: 'detached' })
    assert.equal(await numbersList().getByRole('listitem').count(), 1)
    // Gone from the list and from every direction (the notice may still name it as deleted).
    await page.getByText(`Number ${FIRST.shown} deleted.`).waitFor()
    await page.waitForFunction(
      (shown) =>
        !document.querySelector('[aria-labelledby="directions-heading"]')?.textContent?.includes(shown) &&
        !document.querySelector('ul[aria-label="Your WhatsApp numbers"]')?.textContent?.includes(shown),
      FIRST.shown,
    )
    assert.match(await directionRow('Implants').innerText(), /\+7 701 765 4321/)
    await checkScreen('10-profile-after-delete')
  })

  await t.test('switch to Russian: the page is complete Russian, and stays so after a reload', async () => {
    await page.getByRole('combobox', { name: 'Language' }).selectOption('ru')
    await page.getByRole('heading', { name: 'Номера WhatsApp' }).waitFor()
    await page.getByRole('heading', { name: 'Направления' }).waitFor()
    await page
      .getByRole('list', { name: 'Ваши номера WhatsApp' })
      .getByRole('listitem')
      .filter({ hasText: SECOND.shown })
      .getByText('Основной', { exact: true })
      .waitFor()
    await page.getByRole('button', { name: 'Запустить — Implants' }).waitFor()
    await assertNoEnglish()
    await checkScreen('11-profile-ru')

    await page.reload()
    await page.getByRole('heading', { name: 'Профиль', level: 1 }).waitFor()
    await page.getByRole('list', { name: 'Ваши номера WhatsApp' }).waitFor()
    await assertNoEnglish()

    await page.getByRole('button', { name: 'Новое направление' }).click()
    const dialog = page.getByRole('dialog', { name: 'Новое направление' })
    await dialog.getByRole('option', { name: /Использовать номер по умолчанию/ }).waitFor({ state: 'attached' })
    await assertNoEnglish()
    await checkScreen('12-create-direction-ru')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    // Focus comes back after the dialog unmounts: wait for it (bounded) rather than sample once.
    await page.waitForFunction(() => document.activeElement?.textContent === 'Новое направление', undefined, { timeout: 3000 })
      .catch(async () => assert.fail(`focus went to ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120))}, not to "Новое направление"`))
  })

  await t.test('a second user sees none of it', async () => {
    await browser.close()
    browser = await freshBrowser()
    page = browser.page
    await signUp(secondUser)
    await page.getByText('No numbers yet.', { exact: false }).waitFor()
    await page.getByText('No directions yet.', { exact: false }).waitFor()
    const text = await page.innerText('body')
    for (const leaked of ['+7 701 765 4321', 'Implants', 'Braces', facebook.adAccountId, facebook.pageId]) {
      assert.equal(text.includes(leaked), false, `second user sees ${leaked}`)
    }
    assert.equal(await page.getByRole('textbox', { name: 'Ad account ID' }).inputValue(), '')
    await page.getByText('No token saved yet.').waitFor()
    await checkScreen('13-second-user')
  })
})

/** Roles and names in Chrome's own accessibility tree (not Playwright's reading of the DOM). */
async function chromeRoles() {
  const cdp = await page.context().newCDPSession(page)
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
      nodes: { ignored?: boolean; role?: { value?: string }; name?: { value?: string } }[]
    }
    return nodes
      .filter((n) => !n.ignored)
      .map((n) => ({ role: String(n.role?.value ?? '').toLowerCase(), name: String(n.name?.value ?? '') }))
  } finally {
    await cdp.detach()
  }
}

/** Where focus is: inside the open dialog (and the page), and whether it is drawn. */
function focusState() {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null
    const dialog = document.querySelector('dialog[open]')
    const style = element ? getComputedStyle(element) : null
    const outlined = !!style && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
    const ringed = !!style && style.boxShadow !== 'none'
    const name = element ? element.getAttribute('aria-label') || element.id || element.textContent?.trim().slice(0, 40) || '' : ''
    return {
      inside: document.hasFocus() && !!dialog && !!element && element !== dialog && dialog.contains(element),
      visible: outlined || ringed,
      describe: element ? `${element.tagName.toLowerCase()} "${name}"` : 'nothing',
    }
  })
}

/**
 * Opens a dialog with Enter on `opener`, walks it with Tab and Shift+Tab more times than it
 * has controls (focus must stay inside and be visible every step), then closes it with Escape
 * and expects focus back on the opener.
 */
async function keyboardDialogRound(opener: Locator, name: string) {
  await opener.focus()
  await page.keyboard.press('Enter')
  const dialog = page.getByRole('dialog', { name })
  await dialog.waitFor()
  await page.waitForFunction(() => {
    const open = document.querySelector('dialog[open]')
    return !!open && open !== document.activeElement && open.contains(document.activeElement)
  })
  const controls = await dialog.evaluate(
    (el) =>
      [...el.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex]')].filter(
        (c) => c.tabIndex >= 0 && !(c as HTMLButtonElement).disabled && c.getClientRects().length > 0,
      ).length,
  )
  assert.ok(controls >= 3, `${name}: expected several controls, found ${controls}`)
  try {
    await walkDialog(name, controls)
  } finally {
    // Close with Escape, also after a failure, so the dialog does not sit over the rest of the journey.
    await page.keyboard.press('Escape')
  }
  await dialog.waitFor({ state: 'detached' })
  await page.waitForFunction(() => document.activeElement !== document.body)
  assert.ok(await opener.evaluate((el) => el === document.activeElement), `${name}: focus did not return to the button that opened it`)
  assert.ok(await opener.evaluate((el) => el.matches(':focus-visible')), `${name}: the opener has focus back but shows no focus ring`)
}

async function walkDialog(name: string, controls: number) {
  const reached = new Set<string>()
  const presses = [...Array<string>(controls + 2).fill('Tab'), ...Array<string>(controls + 2).fill('Shift+Tab')]
  for (const [index, key] of presses.entries()) {
    await page.keyboard.press(key)
    const state = await focusState()
    assert.ok(state.inside, `${name}: press ${index + 1} (${key}) moved focus out of the dialog, to ${state.describe}`)
    assert.ok(state.visible, `${name}: ${state.describe} has focus but no visible focus indicator`)
    reached.add(state.describe)
  }
  assert.equal(reached.size, controls, `${name}: Tab should reach every control (${[...reached].join(', ')})`)
}

/** No English sentence of the app may remain on a page shown in Russian. */
async function assertNoEnglish() {
  const text = await page.innerText('body')
  const leftovers = Object.entries(en)
    .filter(([key, value]) => typeof value === 'string' && !value.includes('{') && value !== ru[key as keyof typeof ru] && value.length > 3)
    .map(([, value]) => value as string)
    .filter((value) => text.includes(value))
  assert.deepEqual(leftovers, [], 'English text on the Russian page')
}
