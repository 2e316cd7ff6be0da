import { fireEvent, screen, waitFor, within } from '@testing-library/preact'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadPhoneDisplay } from '../lib/phoneFormat'
import type { FunctionResult, LaunchSuccess } from '../models/types'
import { MemoryGateway } from '../test/memoryGateway'
import { renderWithModels } from '../test/render'
import { DirectionsCard } from './DirectionsCard'

beforeAll(async () => {
  await loadPhoneDisplay()
})

function setup(configure: (gateway: MemoryGateway) => void = () => {}, locale: 'en' | 'ru' = 'en') {
  const gateway = new MemoryGateway()
  gateway.connection = { ad_account_id: '1234567890', page_id: '1122334455', has_facebook_token: true }
  configure(gateway)
  let keys = 0
  const result = renderWithModels(() => <DirectionsCard />, { gateway, locale, newIdempotencyKey: () => `key-${++keys}` })
  void result.models.numbers.load()
  void result.models.directions.load()
  void result.models.facebook.load()
  return result
}

const directionRow = async (name: string) => {
  const list = await screen.findByRole('list', { name: 'Your directions' })
  const row = within(list)
    .getAllByRole('listitem')
    .find((li) => within(li).queryByRole('heading', { name }))
  if (!row) throw new Error(`no direction ${name}`)
  return row
}

describe('DirectionsCard', () => {
  it('lists every direction with objective, budget, target cost, number and the source badge from the routes view', async () => {
    setup((g) => {
      const first = g.addNumber('+77011234567', { label: 'Reception' })
      const second = g.addNumber('+77017654321', { is_default: true })
      g.addDirection({ name: 'Implants', whatsapp_phone_number_id: first.id, daily_budget_cents: 2500, target_cpl_cents: 450 })
      g.addDirection({ name: 'Braces', daily_budget_cents: 1000 })
      g.addDirection({ name: 'Leads form', objective: 'lead_forms', whatsapp_phone_number_id: second.id })
    })

    const implants = await directionRow('Implants')
    expect(implants.textContent).toContain('WhatsApp messages')
    expect(implants.textContent).toContain('25')
    expect(implants.textContent).toContain('4.50')
    expect(implants.textContent).toContain('+7 701 123 4567')
    expect(implants.textContent).toContain('Reception')
    expect(within(implants).getByText('Own number')).toBeTruthy()

    const braces = await directionRow('Braces')
    expect(braces.textContent).toContain('+7 701 765 4321')
    expect(within(braces).getByText('Default')).toBeTruthy()
    expect(braces.textContent).toContain('not set')

    const leads = await directionRow('Leads form')
    expect(within(leads).queryByRole('button', { name: /^Launch — / })).toBeNull()
    expect(within(implants).getByRole('button', { name: 'Launch — Implants' })).toBeTruthy()
  })

  it('shows the legacy and Page-number sources', async () => {
    setup((g) => {
      g.legacyNumber = '+77010000001'
      g.addDirection({ name: 'Old account' })
    })
    const row = await directionRow('Old account')
    expect(within(row).getByText('Legacy')).toBeTruthy()
  })

  it('shows the Page number source when there is no number at all', async () => {
    setup((g) => g.addDirection({ name: 'No numbers' }))
    const pageRow = await directionRow('No numbers')
    expect(within(pageRow).getByText('Page number')).toBeTruthy()
    expect(pageRow.textContent).toContain('The Page’s own WhatsApp number')
  })

  it('shows loading, empty and error states', async () => {
    const { gateway } = setup((g) => g.failNext('directions.listRoutes', { code: '42501', message: 'permission denied for view direction_whatsapp_routes' }))
    expect(screen.getByText('Loading directions…')).toBeTruthy()
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('Could not load your directions.')
    expect(alert.textContent).toContain('You are not allowed to change this.')
    expect(gateway.directionsTable).toHaveLength(0)
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }))
    expect(await screen.findByText(/No directions yet/)).toBeTruthy()
  })

  it('previews the launch request (dry run), then launches and shows ad set id, number and source', async () => {
    const { gateway } = setup((g) => {
      const first = g.addNumber('+77011234567')
      g.addDirection({ name: 'Implants', whatsapp_phone_number_id: first.id })
    })
    fireEvent.click(within(await directionRow('Implants')).getByRole('button', { name: /^Launch — / }))

    const dialog = await screen.findByRole('dialog', { name: 'Launch Implants' })
    expect(await within(dialog).findByText('This request will be sent to Facebook')).toBeTruthy()
    expect(dialog.textContent).toContain('+7 701 123 4567')
    expect(within(dialog).getByText('Own number')).toBeTruthy()
    expect(dialog.textContent).toContain('POST https://graph.facebook.com/v23.0/act_1234567890/adsets')
    expect(gateway.launchCalls).toEqual([{ directionId: gateway.directionsTable[0]!.id, dryRun: true }])

    fireEvent.click(within(dialog).getByRole('button', { name: 'Launch ad set' }))
    expect(await within(dialog).findByText('Ad set launched.')).toBeTruthy()
    expect(dialog.textContent).toContain('120000000002')
    expect(dialog.textContent).toContain('+7 701 123 4567')
    expect(within(dialog).getByText('Own number')).toBeTruthy()
  })

  it('sends one idempotency key for a double click, so one click cannot launch twice', async () => {
    const { gateway } = setup((g) => g.addDirection({ name: 'Implants' }))
    fireEvent.click(within(await directionRow('Implants')).getByRole('button', { name: /^Launch — / }))
    const dialog = await screen.findByRole('dialog')
    const launch = await within(dialog).findByRole('button', { name: 'Launch ad set' })
    fireEvent.click(launch)
    fireEvent.click(launch)
    await within(dialog).findByText('Ad set launched.')
    const real = gateway.launchCalls.filter((c) => !c.dryRun)
    expect(real).toHaveLength(1)
    expect(real[0]?.idempotencyKey).toBe('key-1')
  })

  const failure = (status: number, code: string, extra: Partial<Extract<FunctionResult<LaunchSuccess>, { ok: false }>> = {}, facebook?: object) =>
    ({ ok: false, status, body: { error: { code, message: `${code} happened`, ...(facebook ? { facebook } : {}) } }, ...extra }) as FunctionResult<LaunchSuccess>

  it.each([
    [failure(401, 'unauthorized'), 'Your session has ended. Sign in again and repeat the launch.'],
    [failure(401, 'facebook_token_invalid'), 'Facebook no longer accepts your access token. Paste a new token in the Facebook connection and launch again.'],
    [failure(404, 'direction_not_found'), 'This direction no longer exists. Reload the page.'],
    [failure(409, 'facebook_not_connected'), 'Facebook is not connected yet. Fill in the ad account, Page and access token under Connections.'],
    [
      failure(422, 'whatsapp_number_rejected', {}, { code: 100, subcode: 1487246, user_title: 'Number not linked', user_msg: 'Link the number to your Page.' }),
      'Facebook refused the WhatsApp number +77011234567: it is not linked to your Page 1122334455 as a WhatsApp Business number. Link it in Meta Business Suite or choose another number for this direction.Facebook says: Number not linked: Link the number to your Page.',
    ],
    [
      failure(422, 'facebook_invalid_parameter', {}, { code: 100, user_msg: 'Требуется Страница с аккаунтом WhatsApp Business' }),
      'Facebook rejected the ad set settings.Facebook says: Требуется Страница с аккаунтом WhatsApp Business',
    ],
    [failure(429, 'facebook_rate_limited', { retryAfterSeconds: 600 }), 'Facebook is limiting requests from this ad account. Try again in 10 min.'],
    [failure(429, 'facebook_rate_limited'), 'Facebook is limiting requests from this ad account. Try again in a few minutes.'],
    [failure(503, 'facebook_unavailable'), 'Facebook is temporarily unavailable. Try again in a few minutes.'],
    [failure(504, 'facebook_timeout'), 'Facebook did not answer in time. Check the launch history before trying again.'],
    [failure(502, 'facebook_error'), 'Facebook could not create the ad set.'],
    [failure(400, 'invalid_request'), 'The launch request was not accepted: invalid_request happened'],
    [{ ok: false, status: 0, body: null, networkError: true } as FunctionResult<LaunchSuccess>, 'The server could not be reached. Check your connection and try again.'],
    [failure(500, 'internal'), 'The launch failed for an unexpected reason. Try again later.'],
  ])('explains a failed launch in plain words (%#)', async (reply, sentence) => {
    const { gateway } = setup((g) => {
      const n = g.addNumber('+77011234567')
      g.addDirection({ name: 'Implants', whatsapp_phone_number_id: n.id })
    })
    gateway.launchReplies.push(reply)
    fireEvent.click(within(await directionRow('Implants')).getByRole('button', { name: /^Launch — / }))
    const dialog = await screen.findByRole('dialog')
    fireEvent.click(await within(dialog).findByRole('button', { name: 'Launch ad set' }))
    const alert = await within(dialog).findByRole('alert')
    expect(alert.textContent).toBe(sentence)
  })

  it('keeps the idempotency key when retrying after a timeout, and uses a new one after a refusal', async () => {
    const { gateway } = setup((g) => g.addDirection({ name: 'Implants' }))
    gateway.launchReplies.push(failure(504, 'facebook_timeout'), failure(502, 'facebook_error'))
    fireEvent.click(within(await directionRow('Implants')).getByRole('button', { name: /^Launch — / }))
    const dialog = await screen.findByRole('dialog')
    fireEvent.click(await within(dialog).findByRole('button', { name: 'Launch ad set' }))
    fireEvent.click(await within(dialog).findByRole('button', { name: 'Try again' }))
    await waitFor(() => expect(within(dialog).getByRole('alert').textContent).toBe('Facebook could not create the ad set.'))
    fireEvent.click(within(dialog).getByRole('button', { name: 'Try again' }))
    await within(dialog).findByText('Ad set launched.')
    expect(gateway.launchCalls.filter((c) => !c.dryRun).map((c) => c.idempotencyKey)).toEqual(['key-1', 'key-1', 'key-2'])
  })

  it('explains a failed preview and offers to try again', async () => {
    const { gateway } = setup((g) => g.addDirection({ name: 'Implants' }))
    gateway.previewReplies.push({ ok: false, status: 409, body: { error: { code: 'facebook_not_connected', message: 'x' } } })
    fireEvent.click(within(await directionRow('Implants')).getByRole('button', { name: /^Launch — / }))
    const dialog = await screen.findByRole('dialog')
    expect((await within(dialog).findByRole('alert')).textContent).toContain('Facebook is not connected yet.')
    fireEvent.click(within(dialog).getByRole('button', { name: 'Try again' }))
    expect(await within(dialog).findByText('This request will be sent to Facebook')).toBeTruthy()
  })

  it('shows the launch history of a direction, refreshed after a launch', async () => {
    const { gateway } = setup((g) => {
      const n = g.addNumber('+77011234567')
      g.addDirection({ name: 'Implants', whatsapp_phone_number_id: n.id })
    })
    const row = await directionRow('Implants')
    const historyButton = within(row).getByRole('button', { name: 'Launch history — Implants' })
    fireEvent.click(historyButton)
    expect(await within(row).findByText('No launches yet.')).toBeTruthy()
    expect(historyButton.getAttribute('aria-expanded')).toBe('true')

    fireEvent.click(within(row).getByRole('button', { name: /^Launch —/ }))
    const dialog = await screen.findByRole('dialog')
    fireEvent.click(await within(dialog).findByRole('button', { name: 'Launch ad set' }))
    await within(dialog).findByText('Ad set launched.')

    const table = await within(row).findByRole('table')
    const cells = within(table).getAllByRole('cell').map((c) => c.textContent)
    expect(cells).toContain('Launched')
    expect(cells.some((c) => c?.includes('+7 701 123 4567') && c.includes('Own number'))).toBe(true)
    expect(cells).toContain(gateway.launchRecords[0]!.fb_adset_id)
  })

  it('shows a failed launch in the history as a sentence with Facebook\'s words, never the stored code', async () => {
    setup((g) => {
      const n = g.addNumber('+77011234567')
      const d = g.addDirection({ name: 'Implants', whatsapp_phone_number_id: n.id })
      g.launchRecords.push({
        id: 'launch-1', direction_id: d.id, status: 'failed', fb_adset_id: null, phone_number: '+77011234567',
        number_source: 'direction', error_code: '100', created_at: '2026-11-30T05:00:00Z',
        error_message: 'facebook_invalid_parameter: Invalid parameter',
        error_user_msg: 'Выберите другую кампанию.',
      })
      g.launchRecords.push({
        id: 'launch-2', direction_id: d.id, status: 'failed', fb_adset_id: null, phone_number: '+77011234567',
        number_source: 'direction', error_code: null, created_at: '2026-11-30T04:00:00Z',
        error_message: 'facebook_timeout: Facebook did not answer within 15000 ms', error_user_msg: null,
      })
    })
    const row = await directionRow('Implants')
    fireEvent.click(within(row).getByRole('button', { name: /^Launch history/ }))
    const table = await within(row).findByRole('table')
    const text = table.textContent ?? ''
    expect(text).toContain('Facebook rejected the ad set settings. Выберите другую кампанию.')
    expect(text).toContain('Facebook did not answer in time.')
    expect(text).not.toMatch(/facebook_invalid_parameter|facebook_timeout/)
  })

  it('explains a failure to load the history', async () => {
    setup((g) => {
      g.addDirection({ name: 'Implants' })
      g.failNext('launches.history', { message: 'Failed to fetch' })
    })
    const row = await directionRow('Implants')
    fireEvent.click(within(row).getByRole('button', { name: /^Launch history/ }))
    expect((await within(row).findByRole('alert')).textContent).toContain('Could not load the launch history.')
  })

  it('changes the number of a direction through the edit dialog', async () => {
    const { gateway } = setup((g) => {
      g.addNumber('+77011234567')
      g.addNumber('+77017654321')
      g.addDirection({ name: 'Implants' })
    })
    fireEvent.click(within(await directionRow('Implants')).getByRole('button', { name: /^Edit — / }))
    const dialog = await screen.findByRole('dialog', { name: 'Edit Implants' })
    const select = within(dialog).getByRole('combobox', { name: 'WhatsApp number' })
    expect(select).toHaveProperty('value', '')
    fireEvent.change(select, { target: { value: gateway.numbersTable[1]!.id } })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(gateway.directionsTable[0]?.whatsapp_phone_number_id).toBe(gateway.numbersTable[1]!.id)
    const row = await directionRow('Implants')
    await waitFor(() => expect(within(row).getByText('Own number')).toBeTruthy())
    expect(row.textContent).toContain('+7 701 765 4321')
  })

  it('explains when the chosen number does not belong to the user', async () => {
    const { gateway } = setup((g) => {
      g.addNumber('+77011234567')
      g.addDirection({ name: 'Implants' })
    })
    gateway.failNext('directions.update', {
      code: '23503',
      message: 'insert or update on table "account_directions" violates foreign key constraint "account_directions_whatsapp_phone_number_fkey"',
    })
    fireEvent.click(within(await directionRow('Implants')).getByRole('button', { name: /^Edit — / }))
    const dialog = await screen.findByRole('dialog')
    fireEvent.change(within(dialog).getByRole('combobox'), { target: { value: gateway.numbersTable[0]!.id } })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }))
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'This number does not belong to your account. Choose one of your numbers.',
    )
  })

  it('speaks Russian', async () => {
    setup((g) => g.addDirection({ name: 'Импланты', daily_budget_cents: 150000 }), 'ru')
    expect(await screen.findByRole('heading', { name: 'Направления' })).toBeTruthy()
    const list = await screen.findByRole('list', { name: 'Ваши направления' })
    const row = within(list).getAllByRole('listitem')[0]!
    expect(within(row).getByRole('button', { name: 'Запустить — Импланты' })).toBeTruthy()
    expect(row.textContent).toMatch(/1\s500/)
    expect(within(row).getByText('Номер Страницы')).toBeTruthy()
  })
})
