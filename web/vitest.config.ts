import { defineConfig } from 'vitest/config'
import { fileURLToPath } from 'node:url'
import { preactJsx } from './vite.config.ts'

const webRoot = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig({
  root: webRoot,
  oxc: preactJsx,
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.tsx'],
    setupFiles: ['src/test/setup.ts'],
    restoreMocks: true,
  },
})
