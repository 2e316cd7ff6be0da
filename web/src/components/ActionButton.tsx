import type { ButtonHTMLAttributes } from 'preact'

type ActionButtonProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'children'> & {
  label: string
  /** Which item the action is about, read by screen readers after the visible label. */
  context: string
  variant?: 'secondary' | 'danger' | 'primary' | 'link'
}

/** A short visible label ("Delete") whose accessible name also says what it acts on. */
export function ActionButton({ label, context, variant = 'secondary', type = 'button', ...rest }: ActionButtonProps) {
  return (
    <button type={type} class={`button button-${variant}`} {...rest}>
      {label}
      <span class="visually-hidden"> — {context}</span>
    </button>
  )
}
