/**
 * Vitest globalSetup for the integration tests (vitest.integration.config.mts): makes sure the
 * fleet's rootfs is built (about two minutes the first time, then cached in /var/cache) and
 * provides `bulwarkFleet` to the tests. Tests boot the hosts they need with startFleet(); a test
 * file run without this setup (the unit config) sees no `bulwarkFleet` and skips.
 */
import type { TestProject } from 'vitest/node';
import { sweepStaleFleets } from './fleet';
import { ensureRootfs } from './rootfs';

export interface FleetSetupInfo {
  rootfsHash: string;
  rootfsBuildMs: number;
  builtNow: boolean;
}

declare module 'vitest' {
  export interface ProvidedContext {
    bulwarkFleet: FleetSetupInfo | undefined;
  }
}

const log = (l: string): void => console.log(`[fleet] ${l}`);

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const info = await ensureRootfs({ log });
  if (info.builtNow) log(`rootfs built in ${(info.buildMs / 1000).toFixed(1)} s: ${info.rootfs}`);
  await sweepStaleFleets(log); // a crashed earlier run's hosts, bridges, namespaces
  project.provide('bulwarkFleet', { rootfsHash: info.hash, rootfsBuildMs: info.buildMs, builtNow: info.builtNow });
  return async () => {
    // Fleets whose test worker died without stop(): remove them and say so.
    const swept = await sweepStaleFleets(log);
    if (swept.length > 0) log(`a test left a fleet running; removed: ${swept.join('; ')}`);
  };
}
