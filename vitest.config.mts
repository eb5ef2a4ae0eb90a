import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/unit/keys/fixtures/global-setup.ts'],
    testTimeout: 30_000,
    // scrypt at 128 MiB per derivation: keep the two cores from thrashing
    maxWorkers: 2,
  },
});
