/**
 * One cgroup per container. systemd-nspawn --keep-unit makes the cgroup it starts in the
 * container's: it moves itself to ./supervisor and the container to ./payload. Started side by
 * side from one cgroup, every container would share ./payload and their systemds would create and
 * delete the same system.slice/*.service cgroups under each other (units failing at random with
 * status=219/CGROUP). So each systemd-nspawn is moved into CGROUP_DIR/<machine> before it starts,
 * in the systemd-named v1 hierarchy and in the unified (v2) one, whichever are mounted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readOr } from './fsutil';

const CGROUP_DIR = 'bulwark-fleet';

/** Mount points of the cgroup hierarchies systemd uses: name=systemd (v1) and cgroup2. */
export function systemdHierarchies(): string[] {
  const found: string[] = [];
  for (const line of readOr('/proc/self/mountinfo', '').split('\n')) {
    const [pre, post] = line.split(' - ');
    if (!pre || !post) continue;
    const mountPoint = pre.split(' ')[4];
    const [fstype, , superOpts] = post.split(' ');
    if (!mountPoint) continue;
    if (fstype === 'cgroup2' || (fstype === 'cgroup' && (superOpts ?? '').split(',').includes('name=systemd'))) {
      found.push(mountPoint);
    }
  }
  return found;
}

export function machineCgroups(machine: string): string[] {
  return systemdHierarchies().map((h) => path.join(h, CGROUP_DIR, machine));
}

/** Removes a cgroup tree deepest first; returns false if some part still has processes. */
function removeCgroupTree(dir: string): boolean {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return true; // gone
  }
  let ok = true;
  for (const e of entries) if (e.isDirectory()) ok = removeCgroupTree(path.join(dir, e.name)) && ok;
  try {
    fs.rmdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') ok = false;
  }
  return ok;
}

/** Fresh, empty cgroups for a machine (a previous run's are removed first). */
export function prepareMachineCgroups(machine: string): string[] {
  const dirs = machineCgroups(machine);
  for (const d of dirs) {
    removeCgroupTree(d);
    fs.mkdirSync(d, { recursive: true });
  }
  return dirs;
}

export function removeMachineCgroups(machine: string): boolean {
  return machineCgroups(machine).map(removeCgroupTree).every(Boolean);
}

/** Machine cgroups left on this machine whose name starts with `prefix`. */
export function leftoverCgroups(prefix: string): string[] {
  const left: string[] = [];
  for (const h of systemdHierarchies()) {
    try {
      for (const m of fs.readdirSync(path.join(h, CGROUP_DIR))) if (m.startsWith(prefix)) left.push(path.join(h, CGROUP_DIR, m));
    } catch {
      // none
    }
  }
  return left;
}

/** Removes every machine cgroup starting with `prefix` that has no process left. */
export function removeCgroupsByPrefix(prefix: string): void {
  for (const d of leftoverCgroups(prefix)) removeCgroupTree(d);
  for (const h of systemdHierarchies()) {
    try {
      fs.rmdirSync(path.join(h, CGROUP_DIR)); // only when no fleet has a machine left
    } catch {
      // not empty, or gone
    }
  }
}

/**
 * argv that runs `argv` inside the machine's cgroups: a shell writes its own pid into each
 * cgroup.procs, then execs (so the pid spawn() returns is systemd-nspawn's).
 */
export function inCgroups(cgroupDirs: readonly string[], argv: readonly string[]): string[] {
  const moves = cgroupDirs.map((_, i) => `echo $$ > "$${i + 1}/cgroup.procs"`).join(' && ');
  const shift = cgroupDirs.length > 0 ? `shift ${cgroupDirs.length} && ` : '';
  return ['/bin/sh', '-c', `${moves ? `${moves} && ` : ''}${shift}exec "$@"`, 'sh', ...cgroupDirs, ...argv];
}
