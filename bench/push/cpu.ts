/**
 * Where a push's CPU time goes: the whole machine's busy time (/proc/stat) and the fleet hosts'
 * own (each container's cgroup-v2 cpu.stat). The difference is the controller side: the
 * contender's process with its children (ssh, ansible's workers) plus the kernel's share of the
 * bridge. On this 2-core machine the hosts and the controller share the cores, so these say
 * which side a contender's time is spent on.
 */
import { readFileSync } from 'node:fs';
import { machineCgroups } from '../../tests/fleet/cgroups';
import type { Fleet } from '../../tests/fleet/fleet';

const USER_HZ = 100;

function machineBusyMs(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3]! + (f[4] ?? 0);
  return ((f.reduce((a, b) => a + b, 0) - idle) * 1000) / USER_HZ;
}

function hostsMs(fleet: Fleet): number {
  let usec = 0;
  for (const h of fleet.hosts) {
    const stat = machineCgroups(h.machine)
      .map((dir) => {
        try {
          return readFileSync(`${dir}/cpu.stat`, 'utf8');
        } catch {
          return '';
        }
      })
      .find((s) => s.includes('usage_usec'));
    if (!stat) throw new Error(`no cpu.stat for ${h.machine}: bench/push needs the unified cgroup hierarchy`);
    usec += Number(/^usage_usec (\d+)/m.exec(stat)![1]);
  }
  return usec / 1000;
}

export interface CpuSplit {
  /** CPU time used on the whole machine during the push. */
  totalMs: number;
  /** Of which inside the fleet hosts. */
  hostsMs: number;
}

/** Starts counting; the returned function gives the split since then. */
export function cpuMeter(fleet: Fleet): () => CpuSplit {
  const m0 = machineBusyMs();
  const h0 = hostsMs(fleet);
  return () => ({ totalMs: machineBusyMs() - m0, hostsMs: hostsMs(fleet) - h0 });
}
