import { fireEvent, screen, waitFor } from '@testing-library/preact'
import { describe, expect, it } from 'vitest'
import { en } from '../i18n/en'
import { ru } from '../i18n/ru'
import { MemoryGateway } from '../test/memoryGateway'
import { renderWithModels } from '../test/render'
import { SignInPage } from './SignInPage'

function setup(configure: (gateway: MemoryGateway) => void = () => {}, locale: 'en' | 'ru' = 'en') {
  const gateway = new MemoryGateway()
  configure(gateway)
  const result = renderWithModels(() => <SignInPage />, { gateway, locale })
  // The page is shown to a signed-out visitor.
  result.models.session.status.value = 'signedOut'
  return result
}

const emailField = (name = 'Email') => screen.getByRole('textbox', { name })
// A password input has no ARIA role; its label is how a user (and a screen reader) finds it.
const passwordField = (name = 'Password') => screen.getByLabelText(name) as HTMLInputElement
const type = (field: HTMLElement, value: string) => fireEvent.input(field, { target: { value } })

function fillIn(email: string, password: string) {
  type(emailField(), email)
  type(passwordField(), password)
}

describe('SignInPage', () => {
  it('signs in through the session model with the trimmed email', async () => {
    const { gateway, models } = setup((g) => g.accounts.set('ana@example.com', 'correct-horse'))
    expect(screen.getByRole('heading', { level: 1, name: 'Sign in' })).toBeTruthy()
    expect(passwordField().getAttribute('autocomplete')).toBe('current-password')

    fillIn('  ana@example.com ', 'correct-horse')
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }))

    await waitFor(() => expect(models.session.status.value).toBe('signedIn'))
    expect(models.session.user.value?.email).toBe('ana@example.com')
    expect(gateway.authCalls).toEqual([{ kind: 'signIn', email: 'ana@example.com', password: 'correct-horse' }])
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('disables the button and says so while the request is on its way', async () => {
    let release!: () => void
    const { models } = setup((g) => {
      g.accounts.set('ana@example.com', 'correct-horse')
      release = g.hold('auth.signIn')
    })
    fillIn('ana@example.com', 'correct-horse')
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }))

    const waiting = await screen.findByRole('button', { name: 'Please wait…' })
    expect((waiting as HTMLButtonElement).disabled).toBe(true)
    expect(models.session.status.value).toBe('signedOut')
    release()
    await waitFor(() => expect(models.session.status.value).toBe('signedIn'))
  })

  it.each([
    ['a wrong password', 'ana@example.com', 'not-the-password'],
    ['an unknown account', 'nobody@example.com', 'correct-horse'],
  ])('%s shows the invalid-credentials sentence and keeps the visitor signed out', async (_case, email, password) => {
    const { models } = setup((g) => g.accounts.set('ana@example.com', 'correct-horse'))
    fillIn(email, password)
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }))

    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toBe(en['auth.invalidCredentials'])
    expect(models.session.status.value).toBe('signedOut')
    // What the visitor typed stays, so only the wrong part needs fixing.
    expect((emailField() as HTMLInputElement).value).toBe(email)
    expect(screen.getByRole('button', { name: 'Sign in' })).toHaveProperty('disabled', false)
  })

  it('switches to sign-up and back, changing heading, button, autocomplete and hint', async () => {
    setup()
    fireEvent.click(screen.getByRole('button', { name: 'No account yet? Create one' }))

    expect(screen.getByRole('heading', { level: 1, name: 'Create an account' })).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Create account' })).toBeTruthy()
    const password = screen.getByLabelText('Password')
    expect(password.getAttribute('autocomplete')).toBe('new-password')
    const hint = document.getElementById(password.getAttribute('aria-describedby') ?? '')
    expect(hint?.textContent).toBe('At least 6 characters.')
    expect(screen.queryByRole('button', { name: 'Sign in' })).toBeNull()

    fireEvent.click(screen.getByRole('button', { name: 'Already have an account? Sign in' }))
    expect(screen.getByRole('heading', { level: 1, name: 'Sign in' })).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy()
    expect(screen.getByLabelText('Password').getAttribute('aria-describedby')).toBeNull()
    expect(screen.queryByText('At least 6 characters.')).toBeNull()
  })

  it('switching mode clears the previous error', async () => {
    setup()
    fillIn('nobody@example.com', 'whatever-password')
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    await screen.findByRole('alert')

    fireEvent.click(screen.getByRole('button', { name: 'No account yet? Create one' }))
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('signs up and signs in straight away', async () => {
    const { gateway, models } = setup()
    fireEvent.click(screen.getByRole('button', { name: 'No account yet? Create one' }))
    fillIn('new@example.com', 'fresh-password')
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }))

    await waitFor(() => expect(models.session.status.value).toBe('signedIn'))
    expect(gateway.accounts.get('new@example.com')).toBe('fresh-password')
    expect(gateway.authCalls.map((c) => c.kind)).toEqual(['signUp'])
  })

  it('sign-up that needs a confirmed email says so and stays signed out', async () => {
    const { models } = setup((g) => (g.confirmEmail = true))
    fireEvent.click(screen.getByRole('button', { name: 'No account yet? Create one' }))
    fillIn('new@example.com', 'fresh-password')
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }))

    expect((await screen.findByRole('status')).textContent).toBe(en['signIn.checkEmail'])
    expect(screen.queryByRole('alert')).toBeNull()
    expect(models.session.status.value).toBe('signedOut')
  })

  it('sign-up with a password the server calls weak shows the weak-password sentence', async () => {
    // A project may demand more than the app's 6 characters; the server's answer is what counts.
    const { gateway, models } = setup((g) => (g.minPasswordLength = 10))
    fireEvent.click(screen.getByRole('button', { name: 'No account yet? Create one' }))
    fillIn('new@example.com', 'short12')
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }))

    expect((await screen.findByRole('alert')).textContent).toBe(en['auth.weakPassword'])
    expect(gateway.accounts.has('new@example.com')).toBe(false)
    expect(models.session.status.value).toBe('signedOut')
  })

  it('sign-up with an email that already has an account says to sign in instead', async () => {
    const { gateway, models } = setup((g) => g.accounts.set('ana@example.com', 'correct-horse'))
    fireEvent.click(screen.getByRole('button', { name: 'No account yet? Create one' }))
    fillIn('ana@example.com', 'another-password')
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }))

    expect((await screen.findByRole('alert')).textContent).toBe(en['auth.accountExists'])
    expect(gateway.accounts.get('ana@example.com')).toBe('correct-horse')
    expect(models.session.status.value).toBe('signedOut')
  })

  it('does not send an empty form', async () => {
    const { gateway } = setup()
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    await Promise.resolve()
    expect(gateway.authCalls).toEqual([])
  })

  it('speaks Russian: labels, buttons and the error sentences', async () => {
    setup((g) => g.accounts.set('ana@example.com', 'correct-horse'), 'ru')
    expect(screen.getByRole('heading', { level: 1, name: ru['signIn.heading'] })).toBeTruthy()
    type(emailField(ru['signIn.email']), 'ana@example.com')
    type(passwordField(ru['signIn.password']), 'wrong-password')
    fireEvent.click(screen.getByRole('button', { name: ru['signIn.submit'] }))
    expect((await screen.findByRole('alert')).textContent).toBe(ru['auth.invalidCredentials'])

    fireEvent.click(screen.getByRole('button', { name: ru['signIn.toSignUp'] }))
    expect(screen.getByRole('heading', { level: 1, name: ru['signIn.signUpHeading'] })).toBeTruthy()
    type(passwordField(ru['signIn.password']), 'another-password')
    fireEvent.click(screen.getByRole('button', { name: ru['signIn.submitSignUp'] }))
    expect((await screen.findByRole('alert')).textContent).toBe(ru['auth.accountExists'])
  })
})
