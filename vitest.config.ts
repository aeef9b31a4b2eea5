import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // kernel/web/url.ts's and kernel/ets_btree.ts's libraries, which the builder's bundle makes (builder/web-vendor.ts).
    alias: {
      'mote-vendor:url': fileURLToPath(new URL('./tests/support/vendor-url.ts', import.meta.url)),
      'mote-vendor:btree': fileURLToPath(new URL('./tests/support/vendor-btree.ts', import.meta.url)),
    },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/temp-root.ts'],
    setupFiles: ['tests/support/yield-between-tests.ts', 'tests/support/release-ports.ts'],
    // QEMU boots under TCG on most machines: give them room, never skip them.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
