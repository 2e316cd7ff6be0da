import { signal } from '@preact/signals'
import { describeAuthError } from '../lib/errors'
import { message, type Message } from './i18n'
import type { DataGateway, SessionInfo } from './types'

export type SessionStatus = 'checking' | 'signedOut' | 'signedIn'

export function createSessionModel(auth: DataGateway['auth']) {
  const user = signal<SessionInfo | null>(null)
  const status = signal<SessionStatus>('checking')

  function apply(session: SessionInfo | null) {
    // Only swap the object when the user changes, so token refreshes do not re-render the page.
    if (session?.userId !== user.value?.userId) user.value = session
    status.value = session ? 'signedIn' : 'signedOut'
  }

  /** Restores a stored session (auth refreshes it) and follows later sign-ins and sign-outs. */
  async function start(): Promise<() => void> {
    const unsubscribe = auth.onChange(apply)
    apply(await auth.getSession())
    return unsubscribe
  }

  async function signIn(email: string, password: string): Promise<Message | null> {
    const result = await auth.signIn(email.trim(), password)
    if (!result.ok) return describeAuthError(result.error)
    apply(result.session)
    return null
  }

  /** Returns null when signed in straight away, a notice when the email must be confirmed first. */
  async function signUp(email: string, password: string): Promise<{ error: Message } | { notice: Message } | null> {
    const result = await auth.signUp(email.trim(), password)
    if (!result.ok) return { error: describeAuthError(result.error) }
    if (!result.session) return { notice: message('signIn.checkEmail') }
    apply(result.session)
    return null
  }

  async function signOut() {
    await auth.signOut()
    apply(null)
  }

  return { user, status, start, signIn, signUp, signOut }
}

export type SessionModel = ReturnType<typeof createSessionModel>
