/** Locks, mount checks and safe removal for the fleet's directories. */
import fs from 'node:fs';
import path from 'node:path';
import { isAlive, runSyncQuiet, sleep } from './exec';

/** Where built root file systems and the fleet's test key live (outside the repo). */
export const CACHE_ROOT = process.env.BULWARK_FLEET_CACHE ?? '/var/cache/bulwark-fleet';
/** Per-fleet state: fleet.json, each host's overlay upper dir (its disk), console logs. */
export const STATE_ROOT = process.env.BULWARK_FLEET_STATE ?? '/var/lib/bulwark-fleet';

/**
 * A lock file created with O_EXCL holding the owner's pid; a lock whose owner died is taken over.
 * Waits up to `timeoutMs` for a live owner to release it.
 */
export async function withLock<T>(lockPath: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = fs.openSync(lockPath, 'wx', 0o600);
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number(readOr(lockPath, '0'));
      if (!owner || !isAlive(owner)) {
        // a dead owner's lock (or one being written this instant: re-check before removing)
        await sleep(20);
        if (readOr(lockPath, '') === (owner ? String(owner) : '')) fs.rmSync(lockPath, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`${lockPath} is held by pid ${owner}`);
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    if (readOr(lockPath, '') === String(process.pid)) fs.rmSync(lockPath, { force: true });
  }
}

export function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

/** Mount points in this mount namespace at or below `dir` (deepest first). */
export function mountsUnder(dir: string): string[] {
  const prefix = path.resolve(dir);
  return readOr('/proc/self/mountinfo', '')
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((m): m is string => m !== undefined)
    .map((m) => m.replace(/\\040/g, ' '))
    .filter((m) => m === prefix || m.startsWith(`${prefix}/`))
    .sort((a, b) => b.length - a.length);
}

/**
 * rm -rf that never follows a mount into another file system: mounts left below `dir` (a crashed
 * debootstrap's /proc, say) are lazily unmounted first, and removal refuses if one stays.
 */
export function removeTree(dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const m of mountsUnder(dir)) runSyncQuiet('umount', ['-l', m]);
  const left = mountsUnder(dir);
  if (left.length > 0) throw new Error(`refusing to remove ${dir}: still mounted: ${left.join(', ')}`);
  fs.rmSync(dir, { recursive: true, force: true });
}
