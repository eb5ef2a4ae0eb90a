import { defineConfig } from 'vitest/config';

// Integration tests against real hosts (tests/fleet): root only, one file at a time.
// globalSetup builds the fleet's rootfs once (cached in /var/cache/bulwark-fleet); each test file
// boots the hosts it needs with startFleet() and stops them in afterAll.
export default defineConfig({
  test: {
    include: ['tests/integration/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/fleet/global-setup.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 600_000,
    teardownTimeout: 120_000,
  },
});
