import type { ComponentType } from 'preact'
import { useEffect, useState } from 'preact/hooks'

/**
 * Code-splits a component: its chunk loads on first render (or earlier via
 * `preload`, e.g. when the browser is idle) and renders nothing until then.
 */
export function lazyComponent<P extends object>(load: () => Promise<ComponentType<P>>) {
  let loaded: ComponentType<P> | null = null
  let pending: Promise<ComponentType<P>> | null = null
  const preload = () => (pending ??= load().then((component) => (loaded = component)))

  function Lazy(props: P) {
    const [component, setComponent] = useState<ComponentType<P> | null>(() => loaded)
    useEffect(() => {
      if (component) return
      let mounted = true
      void preload().then((c) => mounted && setComponent(() => c))
      return () => {
        mounted = false
      }
    }, [component])
    const Component = component
    return Component ? <Component {...props} /> : null
  }

  return Object.assign(Lazy, { preload })
}
