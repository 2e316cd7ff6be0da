import { defineConfig } from 'vite'
import { fileURLToPath } from 'node:url'

const webRoot = fileURLToPath(new URL('.', import.meta.url))

// JSX goes through Vite's own oxc transform (automatic runtime from preact),
// so the build needs no Babel-based preset.
export const preactJsx = {
  jsx: { runtime: 'automatic', importSource: 'preact' },
} as const

export default defineConfig({
  root: webRoot,
  base: '/',
  oxc: preactJsx,
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // bench/web.ts reads the manifest to know exactly what the first screen loads.
    manifest: true,
  },
})
