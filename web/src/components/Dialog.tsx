import type { ComponentChildren } from 'preact'
import { useEffect, useId, useRef } from 'preact/hooks'
import { useModels } from '../models'

interface DialogProps {
  title: string
  onClose: () => void
  children: ComponentChildren
  /** Where focus goes on close when the element that opened the dialog is gone. */
  fallbackFocus?: () => HTMLElement | null
  wide?: boolean
}

const FOCUSABLE = 'a[href], button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]'

/**
 * showModal() makes the page inert, but Tab past the last control still leaves the document
 * (for the browser's own UI); wrap between the first and last control instead.
 */
function trapTab(event: KeyboardEvent) {
  if (event.key !== 'Tab') return
  const dialog = event.currentTarget as HTMLDialogElement
  const controls = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((c) => c.tabIndex >= 0 && c.getClientRects().length > 0)
  const first = controls[0]
  const last = controls[controls.length - 1]
  if (!first || !last) return
  const active = document.activeElement
  const target = event.shiftKey ? (active === first || active === dialog ? last : null) : active === last ? first : null
  if (!target) return
  event.preventDefault()
  target.focus()
}

/**
 * A modal on the native <dialog>: showModal() makes the page behind inert, Tab wraps
 * inside it, Escape closes; on close, focus returns to whatever opened it.
 */
export function Dialog({ title, onClose, children, fallbackFocus, wide }: DialogProps) {
  const { t } = useModels().i18n
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const onCloseRef = useRef(onClose)
  onCloseRef.current = onClose

  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    // The body is not an opener: returning focus there would drop keyboard users at the page top.
    const active = document.activeElement
    const opener = active instanceof HTMLElement && active !== document.body ? active : null
    if (!dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal()
      else dialog.setAttribute('open', '')
    }
    // Start on the first field of the content rather than on the close button.
    const first = dialog.querySelector<HTMLElement>(
      '[autofocus], .dialog-body input, .dialog-body select, .dialog-body textarea, .dialog-body button, .dialog-body [tabindex="0"]',
    )
    const focusStart = () => {
      if (!dialog.contains(document.activeElement) || document.activeElement === dialog) (first ?? dialog.querySelector<HTMLElement>('button'))?.focus()
    }
    focusStart()
    // Some engines run their own dialog focusing steps after showModal(); settle on ours.
    const settle = setTimeout(focusStart, 0)
    return () => {
      clearTimeout(settle)
      if (dialog.open && typeof dialog.close === 'function') dialog.close()
      // After the unmount commits: the opener may be removed in the same render (a deleted row).
      queueMicrotask(() => {
        const target = opener?.isConnected ? opener : fallbackFocus?.()
        target?.focus()
      })
    }
  }, [])

  return (
    <dialog
      ref={ref}
      class={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      onKeyDown={trapTab}
      onCancel={(event) => {
        // Escape: let the owner decide (it unmounts us, which restores focus).
        event.preventDefault()
        onCloseRef.current()
      }}
    >
      <div class="dialog-header">
        <h2 id={titleId} class="dialog-title">
          {title}
        </h2>
        <button type="button" class="icon-button" aria-label={t('launch.close')} onClick={() => onCloseRef.current()}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <div class="dialog-body">{children}</div>
    </dialog>
  )
}
