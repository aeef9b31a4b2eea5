import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // QEMU boots under TCG on most machines: give them room, never skip them.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
