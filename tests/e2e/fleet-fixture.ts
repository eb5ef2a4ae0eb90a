/**
 * Real SSH hosts for end-to-end specs: the project's test fleet (tests/fleet), three Debian 12
 * hosts in systemd-nspawn on a private bridge. One fleet per Playwright worker, booted the first
 * time a test asks for `fleet` (so specs without it pay nothing) and stopped when the worker
 * ends. The root filesystem is built by tests/fleet/rootfs.ts the first time (about two
 * minutes) and reused from /var/cache/bulwark-fleet afterwards, as the integration tests do.
 *
 * Tests share the worker's fleet: each must leave the hosts reachable (restore what it cut off)
 * and must not depend on what earlier tests left in authorized_keys.
 */
import { startFleet, type Fleet } from '../fleet/fleet';
import { ensureRootfs } from '../fleet/rootfs';
import { test as base } from './fixtures';

const FLEET_SIZE = 3;
const log = (line: string) => console.log(`[fleet] ${line}`);

interface FleetHolder {
  get(): Promise<Fleet>;
}

export const test = base.extend<{ fleet: Fleet }, { fleetHolder: FleetHolder }>({
  fleetHolder: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
    async ({}, use) => {
      const state: { booting: Promise<Fleet> | null } = { booting: null };
      await use({
        get: () =>
          (state.booting ??= (async () => {
            const t0 = Date.now();
            const rootfs = await ensureRootfs({ log });
            if (rootfs.builtNow) log(`rootfs built in ${(rootfs.buildMs / 1000).toFixed(1)} s`);
            const fleet = await startFleet({ count: FLEET_SIZE, variant: 'mixed', log });
            log(`${FLEET_SIZE} hosts ready in ${Date.now() - t0} ms: ${fleet.hosts.map((h) => `${h.name}=${h.address}`).join(' ')}`);
            return fleet;
          })()),
      });
      if (state.booting) {
        const fleet = await state.booting.catch(() => null);
        await fleet?.stop();
      }
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  // Depends on `app` so a spec the app fixture skips (the Electron tier without its binary)
  // never boots hosts.
  fleet: [
    async ({ app, fleetHolder }, use, testInfo) => {
      void app;
      testInfo.skip(
        process.getuid?.() !== 0,
        'The test fleet needs root (systemd-nspawn, network namespaces): run as root, e.g. sudo npx playwright test.',
      );
      await use(await fleetHolder.get());
    },
    // the first run builds the rootfs (~2 min, more under load) before booting
    { timeout: 600_000 },
  ],
});

export { expect } from './fixtures';
