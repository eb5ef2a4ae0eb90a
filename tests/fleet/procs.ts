/** Finding a fleet's processes on this machine, including orphans of a crashed run. */
import fs from 'node:fs';
import path from 'node:path';
import { allPids, cmdline } from './exec';
import { STATE_ROOT } from './fsutil';

export const FLEETS_DIR = path.join(STATE_ROOT, 'fleets');

/** Process start time (clock ticks since boot): with the pid it identifies one process for good. */
export function startTime(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19]);
  } catch {
    return null;
  }
}

/** systemd-nspawn processes whose --machine= starts with `machinePrefix` ("bwf-" for all fleets). */
export function nspawnPids(machinePrefix: string): { pid: number; machine: string }[] {
  const found: { pid: number; machine: string }[] = [];
  for (const pid of allPids()) {
    const argv = cmdline(pid);
    if (!argv?.[0]?.endsWith('systemd-nspawn')) continue;
    const machine = argv.find((a) => a.startsWith('--machine='))?.slice('--machine='.length);
    if (machine?.startsWith(machinePrefix)) found.push({ pid, machine });
  }
  return found;
}

/**
 * Processes running inside a fleet host: their root is an overlay whose upper dir lives under the
 * fleet state dir. This finds a host's processes even when its systemd-nspawn is gone. Returns the
 * pids with the fleet name each belongs to.
 */
export function containerPids(): { pid: number; fleet: string }[] {
  const selfNs = safeReadlink('/proc/self/ns/mnt');
  const byNs = new Map<string, string | null>();
  const found: { pid: number; fleet: string }[] = [];
  const marker = `upperdir=${FLEETS_DIR}/`;
  for (const pid of allPids()) {
    const ns = safeReadlink(`/proc/${pid}/ns/mnt`);
    if (!ns || ns === selfNs) continue;
    let fleet = byNs.get(ns);
    if (fleet === undefined) {
      fleet = null;
      try {
        const root = fs
          .readFileSync(`/proc/${pid}/mountinfo`, 'utf8')
          .split('\n')
          .find((l) => l.split(' ')[4] === '/' && l.includes(marker));
        if (root) fleet = root.slice(root.indexOf(marker) + marker.length).split('/')[0] ?? null;
      } catch {
        // gone, or a kernel thread
      }
      byNs.set(ns, fleet);
    }
    if (fleet) found.push({ pid, fleet });
  }
  return found;
}

function safeReadlink(p: string): string | null {
  try {
    return fs.readlinkSync(p);
  } catch {
    return null;
  }
}
