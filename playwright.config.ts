import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Tier 1 ("browser"): the built renderer in Debian's Chromium, talking to the real router and
 * services in the test process. Tier 2 ("electron"): the same specs through Playwright's
 * _electron when the Electron binary exists; otherwise each spec reports itself skipped.
 */
const chromium = process.env.BULWARK_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Each run gets its own output folder: Playwright empties outputDir when a run starts, so two
 * runs on one machine (engineers checking before a commit) deleted each other's traces mid-test.
 * Workers load this file again; they inherit the runner's value through the environment.
 */
process.env.BULWARK_PW_RUN ??= `run-${process.pid}`;
const outputDir = join('test-results', process.env.BULWARK_PW_RUN);
if (!existsSync(chromium)) {
  throw new Error(`Chromium not found at ${chromium}: install Debian's chromium package (apt-get install chromium) or set BULWARK_CHROMIUM`);
}

export default defineConfig({
  testDir: 'tests/e2e/specs',
  outputDir,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'browser', use: { appKind: 'browser' } },
    { name: 'electron', use: { appKind: 'electron' } },
  ],
});
