import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Integration and browser suites start real emulators and Chromium; give them room.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: run files one at a time so emulator-backed suites do not starve each other.
    fileParallelism: false,
  },
});
