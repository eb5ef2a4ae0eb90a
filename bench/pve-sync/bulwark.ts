/**
 * Bulwark's side: bulwark-child.ts in a fresh Node process (tsx loader), so the simulator's work
 * in this process is not counted as Bulwark's, and Bulwark's peak RSS is its own.
 */
import { join } from 'node:path';
import type { PveSim } from '../../tests/pve-sim';
import type { ChildInput, ChildOutput } from './bulwark-child';
import type { ContenderRun } from './contender';
import { BENCH_TOKEN } from './fleet';
import { runMeasured } from './measure';

const CHILD = join(__dirname, 'bulwark-child.ts');

export async function runBulwark(sim: PveSim, dir: string): Promise<ContenderRun> {
  const input: ChildInput = { url: sim.url, fingerprint: sim.fingerprint(), tokenId: BENCH_TOKEN.id, secret: BENCH_TOKEN.secret };
  const run = await runMeasured(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(input)], { dir });
  if (run.code !== 0) throw new Error(`Bulwark's sync exited ${String(run.code)}:\n${run.stderr.slice(-3000)}`);
  const out = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as ChildOutput;
  return {
    ms: out.syncMs,
    processMs: run.wallMs,
    // GNU time's peak would be scrypt's while the vault is created; the sampled one is the sync's
    maxRssKiB: out.rssPeakKiB,
    rssBeforeKiB: out.rssBeforeKiB,
    guests: new Map(out.guests.map((g) => [g.vmid, [...g.ipv4].sort()])),
  };
}
