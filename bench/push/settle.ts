/**
 * Waits until freshly booted fleet hosts have finished their boot-time work (timers that never
 * ran, unit start-up) before a push is timed: the hosts share the controller's 2 cores, and in
 * the first run the pushes started at load 10-50, timing the hosts' own start-up along with the
 * contenders. Machine-wide CPU use from /proc/stat (the containers share the kernel).
 */
import { readFileSync } from 'node:fs';

function cpuTimes(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3]! + (f[4] ?? 0); // idle + iowait
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once CPU use over a `windowMs` window is under `maxBusy` (0-1), or after `timeoutMs`. */
export async function settle(o: { maxBusy?: number; windowMs?: number; timeoutMs?: number } = {}): Promise<{ waitedMs: number; busy: number; settled: boolean }> {
  const maxBusy = o.maxBusy ?? 0.15;
  const windowMs = o.windowMs ?? 5_000;
  const timeoutMs = o.timeoutMs ?? 300_000;
  const t0 = Date.now();
  for (;;) {
    const a = cpuTimes();
    await sleep(windowMs);
    const b = cpuTimes();
    const busy = (b.busy - a.busy) / Math.max(1, b.total - a.total);
    const waitedMs = Date.now() - t0;
    if (busy < maxBusy) return { waitedMs, busy, settled: true };
    if (waitedMs >= timeoutMs) return { waitedMs, busy, settled: false };
  }
}
