import { fireEvent, screen, waitFor, within } from '@testing-library/preact'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadPhoneDisplay } from '../lib/phoneFormat'
import { MemoryGateway } from '../test/memoryGateway'
import { renderWithModels } from '../test/render'
import { WhatsAppNumbersCard } from './WhatsAppNumbersCard'

beforeAll(async () => {
  await loadPhoneDisplay()
})

function renderCard(gateway = new MemoryGateway(), locale: 'en' | 'ru' = 'en') {
  const result = renderWithModels(() => <WhatsAppNumbersCard />, { gateway, locale })
  void result.models.numbers.load()
  void result.models.directions.load()
  return result
}

const numberList = () => screen.findByRole('list', { name: 'Your WhatsApp numbers' })
const rowOf = async (text: string) => {
  const list = await numberList()
  const item = within(list)
    .getAllByRole('listitem')
    .find((li) => li.textContent?.includes(text))
  if (!item) throw new Error(`no row with ${text}`)
  return item
}
const phoneField = () => screen.getByRole('textbox', { name: 'Phone number' })
const typePhone = (value: string) => fireEvent.input(phoneField(), { target: { value } })

describe('WhatsAppNumbersCard', () => {
  it('shows loading, then every number in international format with label, default badge and state', async () => {
    const gateway = new MemoryGateway()
    gateway.addNumber('+77011234567', { label: 'Implants' })
    gateway.addNumber('+4915123456789', { is_active: false })
    const release = gateway.hold('numbers.list')
    renderCard(gateway)

    expect(screen.getByText('Loading numbers…').getAttribute('role')).toBe('status')
    release()

    const first = await rowOf('+7 701 123 4567')
    expect(first.textContent).toContain('Implants')
    expect(within(first).getByText('Default')).toBeTruthy()
    expect(within(first).getByText('Active')).toBeTruthy()
    const second = await rowOf('+49 1512 3456789')
    expect(within(second).getByText('Inactive')).toBeTruthy()
    expect(within(second).getByText('No label')).toBeTruthy()
    expect(within(second).queryByText('Default')).toBeNull()
  })

  it('shows an empty state when the user has no numbers', async () => {
    renderCard()
    expect(await screen.findByText(/No numbers yet/)).toBeTruthy()
  })

  it('shows a load error as a sentence and recovers with Try again', async () => {
    const gateway = new MemoryGateway()
    gateway.addNumber('+77011234567')
    gateway.failNext('numbers.list', { message: 'TypeError: Failed to fetch' })
    renderCard(gateway)

    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('The server could not be reached')
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }))
    expect(await rowOf('+7 701 123 4567')).toBeTruthy()
  })

  it('validates as the user types with the database rule and accepts a pasted number with separators', async () => {
    renderCard()
    await screen.findByText(/No numbers yet/)

    typePhone('77011234567')
    expect(screen.getByText('Start with + and the country code, for example +77011234567.')).toBeTruthy()
    expect(phoneField().getAttribute('aria-invalid')).toBe('true')

    typePhone('+7 70a')
    expect(screen.getByText('Use only digits, a leading +, spaces, dashes, dots and brackets.')).toBeTruthy()

    typePhone('+0 701 123 45 67')
    expect(screen.getByText(/The country code cannot start with 0/)).toBeTruthy()

    typePhone('+7 701 123 45 67 89 01 23')
    expect(screen.getByText('Too long: a number has 8 to 15 digits after the +.')).toBeTruthy()

    // Still typing: "too short" waits until the user leaves the field.
    typePhone('+7 701')
    expect(screen.queryByText(/Too short/)).toBeNull()
    fireEvent.blur(phoneField())
    expect(screen.getByText('Too short: a number has 8 to 15 digits after the +.')).toBeTruthy()

    typePhone('+7 (701) 123-45-67')
    expect(phoneField().getAttribute('aria-invalid')).toBe('false')
    expect(await screen.findByText(/Will be saved as \+7 701 123 4567\. Looks like a number from Kazakhstan\./)).toBeTruthy()
  })

  it('adds a pasted number, stores it normalised and makes the first one the default', async () => {
    const { gateway } = renderCard()
    await screen.findByText(/No numbers yet/)

    typePhone('+7 (701) 123-45-67')
    fireEvent.input(screen.getByRole('textbox', { name: 'Label (optional)' }), { target: { value: 'Implants' } })
    fireEvent.click(screen.getByRole('button', { name: 'Add number' }))

    const row = await rowOf('+7 701 123 4567')
    expect(row.textContent).toContain('Implants')
    expect(within(row).getByText('Default')).toBeTruthy()
    expect(gateway.numbersTable[0]?.phone_number).toBe('+77011234567')
    expect(phoneField()).toHaveProperty('value', '')
  })

  it('does not send a number the database would refuse', async () => {
    const { gateway } = renderCard()
    await screen.findByText(/No numbers yet/)
    typePhone('8 701 123 45 67')
    fireEvent.click(screen.getByRole('button', { name: 'Add number' }))
    expect(await screen.findByText('Start with + and the country code, for example +77011234567.')).toBeTruthy()
    expect(gateway.numbersTable).toHaveLength(0)
  })

  it.each([
    ['a duplicate number', '+77011234567', null, 'You have already added this number.'],
    [
      'a format the database refuses',
      '+77011234568',
      { code: '22023', message: "phone_number: '+7701' is not a valid WhatsApp number: it has fewer than 8 digits; expected international format like +77011234567" },
      'This phone number is not in the expected format. Use the international format with + and the country code, for example +77011234567.',
    ],
    ['a label that is too long', '+77011234569', { code: '22001', message: 'label: at most 100 characters (this one has 140)' }, 'The label is too long. Keep it shorter.'],
    ['a refusal by row-level security', '+77011234570', { code: '42501', message: 'new row violates row-level security policy for table "whatsapp_phone_numbers"' }, 'You are not allowed to change this. Sign in again if you think this is wrong.'],
    ['an expired session', '+77011234571', { code: 'PGRST301', message: 'JWT expired' }, 'Your session has ended. Sign in again.'],
    ['an unknown database failure', '+77011234572', { code: 'XX000', message: 'internal error' }, 'Something went wrong on our side. Try again in a moment.'],
  ])('turns %s into a sentence without codes', async (_case, phone, failure, sentence) => {
    const gateway = new MemoryGateway()
    gateway.addNumber('+77011234567')
    if (failure) gateway.failNext('numbers.insert', failure)
    renderCard(gateway)
    await numberList()

    typePhone(phone)
    fireEvent.click(screen.getByRole('button', { name: 'Add number' }))
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toBe(sentence)
    expect(alert.textContent).not.toMatch(/2350|2202|2200|42501|PGRST|constraint/)
  })

  it('edits a label inline: Enter saves, Escape cancels', async () => {
    const gateway = new MemoryGateway()
    gateway.addNumber('+77011234567', { label: 'Implants' })
    renderCard(gateway)
    const row = await rowOf('+7 701 123 4567')

    fireEvent.click(within(row).getByRole('button', { name: /^Rename/ }))
    const field = await screen.findByRole('textbox', { name: 'Label for +7 701 123 4567' })
    expect(document.activeElement).toBe(field)
    fireEvent.input(field, { target: { value: 'Braces' } })
    fireEvent.keyDown(field, { key: 'Escape' })
    await waitFor(() => expect(screen.queryByRole('textbox', { name: /Label for/ })).toBeNull())
    expect((await rowOf('+7 701 123 4567')).textContent).toContain('Implants')
    expect(gateway.numbersTable[0]?.label).toBe('Implants')

    fireEvent.click(within(await rowOf('+7 701 123 4567')).getByRole('button', { name: /^Rename/ }))
    const again = await screen.findByRole('textbox', { name: 'Label for +7 701 123 4567' })
    fireEvent.input(again, { target: { value: 'Braces' } })
    fireEvent.keyDown(again, { key: 'Enter' })
    await waitFor(() => expect(gateway.numbersTable[0]?.label).toBe('Braces'))
    await waitFor(() => expect(screen.queryByRole('textbox', { name: /Label for/ })).toBeNull())
    expect((await rowOf('+7 701 123 4567')).textContent).toContain('Braces')
  })

  it('makes a number the default in one click and moves the badge at once, before the server answers', async () => {
    const gateway = new MemoryGateway()
    gateway.addNumber('+77011234567')
    gateway.addNumber('+77017654321')
    renderCard(gateway)
    const second = await rowOf('+7 701 765 4321')

    const release = gateway.hold('numbers.update')
    fireEvent.click(within(second).getByRole('button', { name: 'Make default — +7 701 765 4321' }))
    await waitFor(() => expect(within(second).queryByText('Default')).toBeTruthy())
    expect(within(await rowOf('+7 701 123 4567')).queryByText('Default')).toBeNull()
    release()

    expect(await screen.findByText('+7 701 765 4321 is now the default number.')).toBeTruthy()
    expect(gateway.numbersTable.find((n) => n.is_default)?.phone_number).toBe('+77017654321')
  })

  it('puts the old default back and explains when making a default fails', async () => {
    const gateway = new MemoryGateway()
    gateway.addNumber('+77011234567')
    gateway.addNumber('+77017654321')
    gateway.failNext('numbers.update', { code: '23514', message: 'whatsapp_phone_numbers_default_is_active: an inactive number cannot be the default' })
    renderCard(gateway)
    fireEvent.click(within(await rowOf('+7 701 765 4321')).getByRole('button', { name: /^Make default/ }))

    expect((await screen.findByRole('alert')).textContent).toBe('An inactive number cannot be the default. Activate it first.')
    expect(within(await rowOf('+7 701 123 4567')).getByText('Default')).toBeTruthy()
  })

  it('deactivates and reactivates a number, and explains why the default cannot be deactivated', async () => {
    const gateway = new MemoryGateway()
    gateway.addNumber('+77011234567')
    gateway.addNumber('+77017654321')
    renderCard(gateway)

    fireEvent.click(within(await rowOf('+7 701 765 4321')).getByRole('button', { name: /^Deactivate/ }))
    await waitFor(async () => expect(within(await rowOf('+7 701 765 4321')).getByText('Inactive')).toBeTruthy())
    fireEvent.click(within(await rowOf('+7 701 765 4321')).getByRole('button', { name: /^Activate/ }))
    await waitFor(async () => expect(within(await rowOf('+7 701 765 4321')).getByText('Active')).toBeTruthy())

    fireEvent.click(within(await rowOf('+7 701 123 4567')).getByRole('button', { name: /^Deactivate/ }))
    expect((await screen.findByRole('alert')).textContent).toBe('The default number cannot be deactivated. Make another number the default first.')
    expect(gateway.numbersTable[0]?.is_active).toBe(true)
  })

  it('deletes an unused number after confirmation and returns focus to the card', async () => {
    const gateway = new MemoryGateway()
    gateway.addNumber('+77011234567')
    gateway.addNumber('+77017654321')
    renderCard(gateway)
    const deleteButton = within(await rowOf('+7 701 765 4321')).getByRole('button', { name: /^Delete/ })
    deleteButton.focus()
    fireEvent.click(deleteButton)

    const dialog = await screen.findByRole('dialog', { name: 'Delete +7 701 765 4321?' })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete number' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(gateway.numbersTable.map((n) => n.phone_number)).toEqual(['+77011234567'])
    expect(await screen.findByText('Number +7 701 765 4321 deleted.')).toBeTruthy()
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'WhatsApp numbers' })))
  })

  it('closes the delete dialog with Escape and keeps the number', async () => {
    const gateway = new MemoryGateway()
    gateway.addNumber('+77011234567')
    renderCard(gateway)
    const deleteButton = within(await rowOf('+7 701 123 4567')).getByRole('button', { name: /^Delete/ })
    deleteButton.focus()
    fireEvent.click(deleteButton)
    const dialog = await screen.findByRole('dialog')
    fireEvent(dialog, new Event('cancel', { cancelable: true }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    await waitFor(() => expect(document.activeElement).toBe(deleteButton))
    expect(gateway.numbersTable).toHaveLength(1)
  })

  it('refuses to delete a number in use, names its directions and moves them to another number before deleting', async () => {
    const gateway = new MemoryGateway()
    const first = gateway.addNumber('+77011234567')
    const second = gateway.addNumber('+77017654321', { label: 'Braces' })
    gateway.addDirection({ name: 'Implants', whatsapp_phone_number_id: second.id })
    gateway.addDirection({ name: 'Whitening', whatsapp_phone_number_id: second.id })
    renderCard(gateway)

    const row = await rowOf('+7 701 765 4321')
    await waitFor(() => expect(row.textContent).toContain('Used by 2 directions'))
    fireEvent.click(within(row).getByRole('button', { name: /^Delete/ }))
    const dialog = await screen.findByRole('dialog')
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete number' }))

    const usedBy = await within(dialog).findByRole('list', { name: 'Directions using this number' })
    expect(within(usedBy).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Implants', 'Whitening'])
    const moveTo = within(dialog).getByRole('combobox', { name: 'Move these directions to' })
    expect(within(moveTo).getAllByRole('option').map((o) => o.textContent)).toEqual(['Use the default number', '+7 701 123 4567'])
    fireEvent.change(moveTo, { target: { value: first.id } })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Move and delete' }))

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(gateway.numbersTable.map((n) => n.phone_number)).toEqual(['+77011234567'])
    expect(gateway.directionsTable.map((d) => d.whatsapp_phone_number_id)).toEqual([first.id, first.id])
  })

  it('can move the directions of a deleted number to "use default"', async () => {
    const gateway = new MemoryGateway()
    gateway.addNumber('+77011234567')
    const second = gateway.addNumber('+77017654321')
    gateway.addDirection({ name: 'Implants', whatsapp_phone_number_id: second.id })
    renderCard(gateway)

    fireEvent.click(within(await rowOf('+7 701 765 4321')).getByRole('button', { name: /^Delete/ }))
    const dialog = await screen.findByRole('dialog')
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete number' }))
    await within(dialog).findByRole('combobox', { name: 'Move these directions to' })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Move and delete' }))

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(gateway.directionsTable[0]?.whatsapp_phone_number_id).toBeNull()
  })

  it('shows why moving and deleting failed, inside the dialog', async () => {
    const gateway = new MemoryGateway()
    gateway.addNumber('+77011234567')
    const second = gateway.addNumber('+77017654321')
    gateway.addDirection({ name: 'Implants', whatsapp_phone_number_id: second.id })
    gateway.failNext('numbers.retire', { message: 'Failed to fetch' })
    renderCard(gateway)

    fireEvent.click(within(await rowOf('+7 701 765 4321')).getByRole('button', { name: /^Delete/ }))
    const dialog = await screen.findByRole('dialog')
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete number' }))
    await within(dialog).findByRole('combobox')
    fireEvent.click(within(dialog).getByRole('button', { name: 'Move and delete' }))
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'The server could not be reached. Check your connection and try again.',
    )
    expect(gateway.numbersTable).toHaveLength(2)
  })

  it('speaks Russian throughout when the locale is Russian', async () => {
    const gateway = new MemoryGateway()
    gateway.addNumber('+77011234567', { label: 'Импланты' })
    gateway.addNumber('+77017654321')
    renderCard(gateway, 'ru')

    expect(await screen.findByRole('heading', { name: 'Номера WhatsApp' })).toBeTruthy()
    const list = await screen.findByRole('list', { name: 'Ваши номера WhatsApp' })
    const rows = within(list).getAllByRole('listitem')
    expect(within(rows[0]!).getByText('Основной')).toBeTruthy()
    expect(within(rows[1]!).getByRole('button', { name: 'Сделать основным — +7 701 765 4321' })).toBeTruthy()
    fireEvent.input(screen.getByRole('textbox', { name: 'Номер телефона' }), { target: { value: '87011234567' } })
    expect(screen.getByText('Начните с + и кода страны, например +77011234567.')).toBeTruthy()
  })
})
