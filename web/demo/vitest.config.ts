import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Test against the client's sources, so `npm test` works before anything is built.
  resolve: {
    alias: { '@rotor/client': fileURLToPath(new URL('../client/src/index.ts', import.meta.url)) },
  },
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
  },
});
