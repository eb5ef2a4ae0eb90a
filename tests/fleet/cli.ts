/**
 * The test fleet for humans (as root):
 *   npx tsx tests/fleet/cli.ts build [--rebuild]          build the cached rootfs
 *   npx tsx tests/fleet/cli.ts up 3 [--variant mixed|rsyslog|journald] [--name cli]
 *   npx tsx tests/fleet/cli.ts status                     fleets, hosts, leftovers
 *   npx tsx tests/fleet/cli.ts down [--name cli | --all]
 *   npx tsx tests/fleet/cli.ts bench [3 10 30]            boot time and memory per fleet size
 *   npx tsx tests/fleet/cli.ts sweep                      remove fleets whose owner process died
 *   npx tsx tests/fleet/cli.ts prune                      remove rootfs caches of older recipes
 */
import fs from 'node:fs';
import { findLeftovers, listFleets, startFleet, sweepStaleFleets, teardownFleet, type Fleet, type FleetVariant } from './fleet';
import { isAlive, sleep } from './exec';
import { containerPids, nspawnPids } from './procs';
import { fleetId } from './net';
import { builtRootfs, ensureRootfs, pruneRootfsCache } from './rootfs';

const log = (l: string): void => console.error(`[fleet] ${l}`);

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
  args.splice(i, 2);
  return v;
}

function printFleet(f: Fleet): void {
  console.log(`fleet '${f.name}': ${f.hosts.length} hosts on ${f.subnet} (bridge ${f.bridge}), booted in ${(f.bootMs / 1000).toFixed(1)} s`);
  for (const h of f.hosts) {
    console.log(`  ${h.name.padEnd(10)} ${h.address.padEnd(14)} ${h.variant.padEnd(8)} ${h.systemState.padEnd(9)} ${h.hostKeyFingerprint}`);
  }
  const first = f.hosts[0];
  console.log(`
passwords:   root / ${first?.rootPassword ?? ''}    admin / ${first?.adminPassword ?? ''} (sudo asks for it)
test key:    ${f.testKey.privateKeyPath}
known_hosts: ${f.knownHostsPath}
log in:      ssh -i ${f.testKey.privateKeyPath} -o UserKnownHostsFile=${f.knownHostsPath} root@${first?.address ?? ''}
attacker:    ip netns exec ${f.attacker.netns} ssh root@${first?.address ?? ''}     (from ${f.attacker.address})
stop:        npx tsx tests/fleet/cli.ts down --name ${f.name}`);
}

function memAvailableKiB(): number {
  const m = /MemAvailable:\s+(\d+)/.exec(fs.readFileSync('/proc/meminfo', 'utf8'));
  return Number(m?.[1] ?? 0);
}

function pssKiB(pid: number): number {
  try {
    return Number(/^Pss:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

async function bench(counts: number[]): Promise<void> {
  const rootfs = await ensureRootfs({ log });
  console.log(`rootfs ${rootfs.hash}: built in ${(rootfs.buildMs / 1000).toFixed(1)} s`);
  const rows: Record<string, number>[] = [];
  for (const count of counts) {
    const before = memAvailableKiB();
    const f = await startFleet({ count, variant: 'mixed', name: `bench${count}`, log });
    await sleep(5_000); // let fail2ban and friends settle
    const usedMiB = (before - memAvailableKiB()) / 1024;
    const procs = containerPids().filter((c) => c.fleet === f.name);
    const pssMiB = procs.reduce((n, c) => n + pssKiB(c.pid), 0) / 1024;
    const stopStart = Date.now();
    await f.stop();
    const row = {
      hosts: count,
      bootS: f.bootMs / 1000,
      allBannersS: Math.max(...f.hosts.map((h) => h.bannerMs)) / 1000,
      firstBannerS: Math.min(...f.hosts.map((h) => h.bannerMs)) / 1000,
      memAvailableDropMiBPerHost: usedMiB / count,
      pssMiBPerHost: pssMiB / count,
      processesPerHost: procs.length / count,
      stopS: (Date.now() - stopStart) / 1000,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  console.table(rows);
}

async function main(argv: string[]): Promise<number> {
  const args = [...argv];
  const cmd = args.shift();
  switch (cmd) {
    case 'build': {
      const info = await ensureRootfs({ log, rebuild: args.includes('--rebuild') });
      console.log(`${info.rootfs} (${info.builtNow ? 'built now' : 'cached'}, build took ${(info.buildMs / 1000).toFixed(1)} s)`);
      return 0;
    }
    case 'up': {
      const name = flag(args, '--name') ?? 'cli';
      const variant = (flag(args, '--variant') ?? 'mixed') as FleetVariant;
      const count = Number(args[0] ?? '3');
      const f = await startFleet({ count, variant, name, detached: true, log });
      printFleet(f);
      return 0;
    }
    case 'down': {
      const name = flag(args, '--name');
      const targets = args.includes('--all') ? listFleets().map((f) => f.name) : [name ?? 'cli'];
      for (const n of targets) {
        await teardownFleet(n, { graceful: true });
        console.log(`fleet '${n}' is down`);
      }
      const left = await findLeftovers();
      if (args.includes('--all') && Object.values(left).some((v: string[]) => v.length > 0)) {
        console.log('still on this machine:', left);
        return 1;
      }
      return 0;
    }
    case 'status': {
      const rootfs = builtRootfs();
      console.log(rootfs ? `rootfs: ${rootfs.rootfs}` : 'rootfs: not built for the current recipe (cli.ts build)');
      const fleets = listFleets();
      if (fleets.length === 0) console.log('no fleets');
      for (const f of fleets) {
        const owner = f.ownerPid === null ? 'detached' : `owned by pid ${f.ownerPid}`;
        console.log(`fleet '${f.name}' (${owner}, ${f.alive ? 'alive' : 'stale'}), 10.213.${f.octet}.0/24, bwf-${f.id}-*`);
        for (const h of f.hosts) {
          console.log(`  ${h.name.padEnd(10)} ${h.address.padEnd(14)} ${h.variant.padEnd(8)} ${isAlive(h.pid) ? `pid ${h.pid}` : 'not running'}`);
        }
      }
      const known = new Set(fleets.map((f) => fleetId(f.name)));
      const stray = nspawnPids('bwf-').filter((p) => /^bwf-[0-9a-f]{4}-/.test(p.machine) && !known.has(p.machine.slice(4, 8)));
      if (stray.length) console.log('systemd-nspawn processes of no fleet:', stray);
      const left = await findLeftovers();
      console.log(`bwf links: ${left.links.length}, netns: ${left.netns.length}, host-namespace mounts: ${left.mounts.length}`);
      return 0;
    }
    case 'bench': {
      const counts = args.map(Number).filter((n) => n > 0);
      await bench(counts.length ? counts : [3, 10, 30]);
      return 0;
    }
    case 'sweep': {
      const swept = await sweepStaleFleets(log);
      console.log(swept.length ? `${swept.length} removed` : 'nothing stale');
      return 0;
    }
    case 'prune': {
      const inUse = new Set(listFleets().map((f) => f.rootfsHash));
      const removed = pruneRootfsCache(inUse);
      console.log(removed.length ? `removed ${removed.join(', ')}` : 'nothing to prune');
      return 0;
    }
    default:
      console.error('usage: cli.ts build [--rebuild] | up [N] [--variant mixed|rsyslog|journald] [--name NAME] | status | down [--name NAME | --all] | bench [N...] | sweep | prune');
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`fleet: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
