/**
 * Issue 6's inventory-sync benchmark: Bulwark's Proxmox sync against Ansible's
 * community.general.proxmox inventory plugin, both reading the same simulated cluster
 * (tests/pve-sim) in the same run. Both must find the same guests with the same IPv4 addresses
 * (and the ones the fleet was built with), or the run fails.
 *
 *   npx tsx bench/pve-sync/run.ts [guests=50,200,1000] [rounds=3] [latencyMs=15] [agentMs=latencyMs]
 *
 * latencyMs may be a list (15,0): each value gets its own tables. agentMs is the extra wait of a
 * call into a guest (agent, container interfaces). Who goes first alternates by round.
 * Progress goes to stderr, the markdown tables for docs/benchmarks.md to stdout.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPveSim, type PveSim } from '../../tests/pve-sim';
import { runAnsible } from './ansible';
import { runBulwark } from './bulwark';
import type { ContenderRun } from './contender';
import { benchFleet, expectedAddresses, type GuestAddresses } from './fleet';

const SIZES = (process.argv[2] ?? '50,200,1000').split(',').map(Number);
const ROUNDS = Number(process.argv[3] ?? 3);
const LATENCIES = (process.argv[4] ?? '15').split(',').map(Number);
const AGENT_MS = process.argv[5] === undefined ? undefined : Number(process.argv[5]);

type Who = 'bulwark' | 'ansible';
const CONTENDERS: Record<Who, (sim: PveSim, dir: string) => Promise<ContenderRun>> = { bulwark: runBulwark, ansible: runAnsible };

interface Sample {
  who: Who;
  latencyMs: number;
  agentMs: number;
  size: number;
  round: number;
  run: ContenderRun;
  requests: number;
  byPath: Record<string, number>;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const sec = (ms: number) => (Number.isNaN(ms) ? '—' : ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`);
const mib = (kib: number) => (Number.isNaN(kib) ? '—' : `${(kib / 1024).toFixed(0)} MiB`);

/** /nodes/pve2/qemu/117/config → /nodes/{node}/qemu/{vmid}/config */
const pathKind = (path: string) => path.replace('/api2/json', '').replace(/^\/nodes\/[^/]+/, '/nodes/{node}').replace(/\/(qemu|lxc)\/\d+/, '/$1/{vmid}').replace(/^\/pools\/.+/, '/pools/{poolid}');

/** Problems with what a contender found, against the fleet's own answer; none means it agrees. */
function disagreements(who: string, found: GuestAddresses, expected: GuestAddresses): string[] {
  const problems: string[] = [];
  if (found.size !== expected.size) problems.push(`${who} found ${found.size} guests, the cluster has ${expected.size}`);
  for (const [vmid, want] of expected) {
    const got = found.get(vmid);
    if (!got) problems.push(`${who} is missing guest ${vmid}`);
    else if (got.join(',') !== want.join(',')) problems.push(`${who}: guest ${vmid} has [${got.join(', ')}], expected [${want.join(', ')}]`);
  }
  return problems;
}

const allIpv4 = (g: GuestAddresses) => [...g.values()].flat().sort().join(',');

async function measureSize(size: number, latencyMs: number, agentMs: number, samples: Sample[]): Promise<void> {
  const options = benchFleet({ guests: size, latencyMs, guestAgentLatencyMs: agentMs });
  const expected = expectedAddresses(options);
  const sim = await startPveSim(options);
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-bench-pve-sync-'));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const order: Who[] = round % 2 ? ['ansible', 'bulwark'] : ['bulwark', 'ansible'];
      const thisRound: Partial<Record<Who, ContenderRun>> = {};
      for (const who of order) {
        const before = sim.requests.length;
        const run = await CONTENDERS[who](sim, dir);
        const made = sim.requests.slice(before);
        const failed = made.filter((r) => r.status >= 400 && !/agent\//.test(r.path));
        const byPath: Record<string, number> = {};
        for (const r of made) byPath[pathKind(r.path)] = (byPath[pathKind(r.path)] ?? 0) + 1;
        const problems = disagreements(who, run.guests, expected);
        if (problems.length) throw new Error(`${problems.length} disagreement(s), e.g.:\n${problems.slice(0, 10).join('\n')}`);
        samples.push({ who, latencyMs, agentMs, size, round, run, requests: made.length, byPath });
        thisRound[who] = run;
        console.error(`  latency ${latencyMs}+${agentMs} ms · ${size} guests · round ${round + 1} · ${who}: ${sec(run.ms)} (process ${sec(run.processMs)}, ${made.length} requests, ${failed.length} failed other than agent calls, peak RSS ${mib(run.maxRssKiB)}, load ${loadavg()[0]!.toFixed(2)})`);
      }
      // both agree with the fleet, so with each other; said again plainly as the check the brief asks for
      if (allIpv4(thisRound.bulwark!.guests) !== allIpv4(thisRound.ansible!.guests)) throw new Error('Bulwark and Ansible found different IPv4 addresses');
    }
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function versions(): string {
  const first = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' }).split('\n')[0]!.trim();
  let general = '?';
  try {
    general = (JSON.parse(readFileSync('/usr/lib/python3/dist-packages/ansible_collections/community/general/MANIFEST.json', 'utf8')) as { collection_info: { version: string } }).collection_info.version;
  } catch {
    // another install layout: leave it unknown
  }
  return `Node ${process.version}; ${first('ansible', ['--version'])}; community.general ${general}; ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`;
}

function report(samples: Sample[]): void {
  const pick = (who: Who, latencyMs: number, size: number) => samples.filter((s) => s.who === who && s.latencyMs === latencyMs && s.size === size);
  for (const latencyMs of LATENCIES) {
    const agentMs = samples.find((s) => s.latencyMs === latencyMs)?.agentMs ?? 0;
    console.log(`\n### Simulated latency ${latencyMs} ms per request, +${agentMs} ms per guest call\n`);
    console.log('| guests | Bulwark sync | Bulwark process (start to exit) | Ansible (`ansible-inventory --list`) | Ansible / Bulwark sync | requests Bulwark / Ansible | peak RSS Bulwark during the sync (before it) / Ansible | runs |');
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const size of SIZES) {
      const b = pick('bulwark', latencyMs, size);
      const a = pick('ansible', latencyMs, size);
      const bm = median(b.map((s) => s.run.ms));
      const am = median(a.map((s) => s.run.ms));
      console.log(`| ${size} | ${sec(bm)} | ${sec(median(b.map((s) => s.run.processMs)))} | ${sec(am)} | ${(am / bm).toFixed(1)}× | ${median(b.map((s) => s.requests))} / ${median(a.map((s) => s.requests))} | ${mib(median(b.map((s) => s.run.maxRssKiB)))} (${mib(median(b.map((s) => s.run.rssBeforeKiB ?? NaN)))} before) / ${mib(median(a.map((s) => s.run.maxRssKiB)))} | ${Math.min(a.length, b.length)} |`);
    }
  }
  const largest = Math.max(...SIZES);
  const last = samples.filter((s) => s.size === largest && s.round === 0 && s.latencyMs === LATENCIES[0]);
  const kinds = [...new Set(last.flatMap((s) => Object.keys(s.byPath)))].sort();
  console.log(`\nRequests by path, ${largest} guests, one read each:\n`);
  console.log('| path | Bulwark | Ansible |');
  console.log('|---|---:|---:|');
  const count = (who: Who, k: string) => last.find((s) => s.who === who)?.byPath[k] ?? 0;
  for (const k of kinds) console.log(`| \`GET ${k}\` | ${count('bulwark', k)} | ${count('ansible', k)} |`);
  console.log('\nEvery sample (ms, sync / process):');
  for (const s of samples) console.log(`- ${s.latencyMs}+${s.agentMs} ms, ${s.size} guests, round ${s.round + 1}, ${s.who}: ${s.run.ms.toFixed(0)} / ${s.run.processMs.toFixed(0)}, ${s.requests} requests, peak RSS ${mib(s.run.maxRssKiB)}`);
}

async function main(): Promise<void> {
  const startLoad = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const t0 = Date.now();
  const samples: Sample[] = [];
  for (const latencyMs of LATENCIES) {
    const agentMs = AGENT_MS ?? latencyMs;
    for (const size of SIZES) await measureSize(size, latencyMs, agentMs, samples);
  }
  console.log(`\nProxmox inventory read, Bulwark vs Ansible, ${ROUNDS} round(s), ${((Date.now() - t0) / 60_000).toFixed(1)} min in all`);
  console.log(`${versions()}; load average at start ${startLoad}`);
  report(samples);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
