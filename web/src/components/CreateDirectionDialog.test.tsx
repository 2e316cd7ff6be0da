import { fireEvent, screen, waitFor, within } from '@testing-library/preact'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadPhoneDisplay } from '../lib/phoneFormat'
import { MemoryGateway } from '../test/memoryGateway'
import { renderWithModels } from '../test/render'
import { DirectionsCard } from './DirectionsCard'

beforeAll(async () => {
  await loadPhoneDisplay()
})

function setup(configure: (gateway: MemoryGateway) => void = () => {}, locale: 'en' | 'ru' = 'en') {
  const gateway = new MemoryGateway()
  configure(gateway)
  const result = renderWithModels(() => <DirectionsCard />, { gateway, locale })
  void result.models.numbers.load()
  void result.models.directions.load()
  return result
}

async function openDialog() {
  fireEvent.click(await screen.findByRole('button', { name: 'New direction' }))
  return screen.findByRole('dialog', { name: 'New direction' })
}

const fill = (dialog: HTMLElement, name: string, value: string) =>
  fireEvent.input(within(dialog).getByRole('textbox', { name }), { target: { value } })

describe('CreateDirectionDialog', () => {
  it('offers "use default" and the active numbers only for the WhatsApp objective, pre-selecting the default', async () => {
    setup((g) => {
      g.addNumber('+77011234567', { label: 'Reception' })
      g.addNumber('+77017654321', { is_default: true })
      g.addNumber('+77019999999', { is_active: false })
    })
    await screen.findByText(/No directions yet/)
    const dialog = await openDialog()

    const objective = within(dialog).getByRole('combobox', { name: 'Objective' })
    expect(objective).toHaveProperty('value', 'whatsapp')
    const numberSelect = await within(dialog).findByRole('combobox', { name: 'WhatsApp number' })
    expect(numberSelect).toHaveProperty('value', '')
    expect(within(numberSelect).getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Use the default number (+7 701 765 4321)',
      '+7 701 123 4567 — Reception',
      '+7 701 765 4321',
    ])

    fireEvent.change(objective, { target: { value: 'lead_forms' } })
    await waitFor(() => expect(within(dialog).queryByRole('combobox', { name: 'WhatsApp number' })).toBeNull())
    fireEvent.change(objective, { target: { value: 'whatsapp' } })
    expect(await within(dialog).findByRole('combobox', { name: 'WhatsApp number' })).toBeTruthy()
  })

  it('saves the chosen whatsapp_phone_number_id with budgets in minor units', async () => {
    const { gateway } = setup((g) => {
      g.addNumber('+77011234567')
      g.addNumber('+77017654321')
    })
    await screen.findByText(/No directions yet/)
    const dialog = await openDialog()
    fill(dialog, 'Name', '  Implants ')
    fill(dialog, 'Daily budget', '25,50')
    fill(dialog, 'Target cost per lead (optional)', '4.5')
    fill(dialog, 'Facebook campaign ID', '120210000000001')
    fireEvent.change(within(dialog).getByRole('combobox', { name: 'WhatsApp number' }), { target: { value: gateway.numbersTable[0]!.id } })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create direction' }))

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(gateway.directionsTable).toEqual([
      expect.objectContaining({
        name: 'Implants',
        objective: 'whatsapp',
        daily_budget_cents: 2550,
        target_cpl_cents: 450,
        fb_campaign_id: '120210000000001',
        whatsapp_phone_number_id: gateway.numbersTable[0]!.id,
      }),
    ])
    expect(await screen.findByRole('heading', { name: 'Implants' })).toBeTruthy()
  })

  it('saves "use default" as no number of its own, and non-WhatsApp directions without a number', async () => {
    const { gateway } = setup((g) => g.addNumber('+77011234567'))
    await screen.findByText(/No directions yet/)
    let dialog = await openDialog()
    fill(dialog, 'Name', 'Braces')
    fill(dialog, 'Daily budget', '10')
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create direction' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())

    dialog = await openDialog()
    fill(dialog, 'Name', 'Site')
    fill(dialog, 'Daily budget', '10')
    fireEvent.change(within(dialog).getByRole('combobox', { name: 'WhatsApp number' }), { target: { value: gateway.numbersTable[0]!.id } })
    fireEvent.change(within(dialog).getByRole('combobox', { name: 'Objective' }), { target: { value: 'site_leads' } })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create direction' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())

    expect(gateway.directionsTable.map((d) => [d.name, d.objective, d.whatsapp_phone_number_id])).toEqual([
      ['Braces', 'whatsapp', null],
      ['Site', 'site_leads', null],
    ])
  })

  it('says what is wrong with each field before sending anything', async () => {
    const { gateway } = setup()
    await screen.findByText(/No directions yet/)
    const dialog = await openDialog()
    fill(dialog, 'Daily budget', '0')
    fill(dialog, 'Target cost per lead (optional)', 'abc')
    fill(dialog, 'Facebook campaign ID', 'act_120210000000001')
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create direction' }))

    expect(await within(dialog).findByText('Enter a name for the direction.')).toBeTruthy()
    expect(within(dialog).getByText('Enter a budget greater than zero, for example 20 or 12.50.')).toBeTruthy()
    expect(within(dialog).getByText('Enter a cost greater than zero, for example 5 or 2.50, or leave it empty.')).toBeTruthy()
    expect(within(dialog).getByText('Use digits only, for example 120210000000000.')).toBeTruthy()
    expect(within(dialog).getByRole('textbox', { name: 'Name' }).getAttribute('aria-invalid')).toBe('true')
    expect(within(dialog).getByRole('textbox', { name: 'Facebook campaign ID' }).getAttribute('aria-invalid')).toBe('true')
    expect(document.activeElement).toBe(within(dialog).getByRole('textbox', { name: 'Name' }))
    expect(gateway.directionsTable).toHaveLength(0)
  })

  it('tells the user there are no active numbers yet', async () => {
    setup((g) => g.addNumber('+77011234567', { is_active: false, is_default: false }))
    await screen.findByText(/No directions yet/)
    const dialog = await openDialog()
    expect(within(dialog).getByText(/You have no active numbers yet/)).toBeTruthy()
    const select = within(dialog).getByRole('combobox', { name: 'WhatsApp number' })
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['Use the default number'])
  })

  it.each([
    [
      { code: '23514', message: 'new row for relation "account_directions" violates check constraint "account_directions_daily_budget_positive"' },
      'The daily budget must be greater than zero.',
    ],
    [
      { code: '23514', message: 'new row for relation "account_directions" violates check constraint "account_directions_target_cpl_positive"' },
      'The target cost per lead must be greater than zero.',
    ],
    [
      { code: '23503', message: 'insert or update on table "account_directions" violates foreign key constraint "account_directions_whatsapp_phone_number_fkey"' },
      'This number does not belong to your account. Choose one of your numbers.',
    ],
    [
      { code: '23514', message: 'new row for relation "account_directions" violates check constraint "account_directions_name_length"' },
      'The direction name can be at most 200 characters long.',
    ],
    [
      { code: '23514', message: 'new row for relation "account_directions" violates check constraint "account_directions_fb_campaign_id_format"' },
      'Use digits only, for example 120210000000000.',
    ],
    [{ code: '42501', message: 'new row violates row-level security policy' }, 'You are not allowed to change this. Sign in again if you think this is wrong.'],
    [{ message: 'Failed to fetch' }, 'The server could not be reached. Check your connection and try again.'],
  ])('turns a database refusal into a sentence (%#)', async (failure, sentence) => {
    const { gateway } = setup()
    gateway.failNext('directions.insert', failure)
    await screen.findByText(/No directions yet/)
    const dialog = await openDialog()
    fill(dialog, 'Name', 'Implants')
    fill(dialog, 'Daily budget', '20')
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create direction' }))
    expect((await within(dialog).findByRole('alert')).textContent).toBe(sentence)
    expect(screen.getByRole('dialog')).toBeTruthy()
  })

  it('is keyboard-operable: focus starts inside, Escape closes and focus returns to the opener', async () => {
    setup()
    await screen.findByText(/No directions yet/)
    const opener = await screen.findByRole('button', { name: 'New direction' })
    opener.focus()
    fireEvent.click(opener)
    const dialog = await screen.findByRole('dialog', { name: 'New direction' })
    await waitFor(() => expect(document.activeElement).toBe(within(dialog).getByRole('textbox', { name: 'Name' })))
    fireEvent(dialog, new Event('cancel', { cancelable: true }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    await waitFor(() => expect(document.activeElement).toBe(opener))
  })

  it('speaks Russian', async () => {
    setup((g) => g.addNumber('+77011234567'), 'ru')
    fireEvent.click(await screen.findByRole('button', { name: 'Новое направление' }))
    const dialog = await screen.findByRole('dialog', { name: 'Новое направление' })
    const select = within(dialog).getByRole('combobox', { name: 'Номер WhatsApp' })
    expect(within(select).getAllByRole('option')[0]!.textContent).toBe('Использовать номер по умолчанию (+7 701 123 4567)')
    fireEvent.click(within(dialog).getByRole('button', { name: 'Создать направление' }))
    expect(await within(dialog).findByText('Укажите название направления.')).toBeTruthy()
  })
})
