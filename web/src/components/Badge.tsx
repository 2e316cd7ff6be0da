import type { ComponentChildren } from 'preact'

export type BadgeTone = 'accent' | 'success' | 'muted' | 'warning' | 'info'

export function Badge({ tone, children }: { tone: BadgeTone; children: ComponentChildren }) {
  return <span class={`badge badge-${tone}`}>{children}</span>
}
