/**
 * Issue 4's push benchmark: the guide baseline applied to fresh real Debian 12 hosts
 * (tests/fleet, root only) three ways in the same run: Bulwark's runner, Ansible, and a raw
 * script over one ssh(1) connection per host. Every contender gets its own freshly booted fleet
 * per size and round (hosts' disks are throwaway overlays), pushes once (first apply) and again
 * on the same hosts (idempotent re-run), and must leave the same end state (check.ts).
 *
 *   npx tsx bench/push/run.ts [sizes=10,30] [rounds=3] [contenders=bulwark,ansible,raw]
 *   npx tsx bench/push/run.ts --report /tmp/bulwark-bench-push-….json   # tables from saved samples
 *
 * Who goes first rotates by round, so no contender always meets a warmer or colder machine.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFleet } from '../../tests/fleet/fleet';
import { ansible } from './ansible';
import { bulwark, bulwarkWide } from './bulwark';
import { endStateProblems } from './check';
import type { ContenderFactory, Pass } from './contender';
import { rawFloor } from './raw';
import { settle } from './settle';
import { type CpuSplit, cpuMeter } from './cpu';

const FACTORIES: Record<string, ContenderFactory> = { bulwark, 'bulwark-wide': bulwarkWide, ansible, raw: rawFloor };
const SIZES = (process.argv[2] ?? '10,30').split(',').map(Number);
const ROUNDS = Number(process.argv[3] ?? 3);
const CONTENDERS = (process.argv[4] ?? 'bulwark,ansible,raw').split(',');

interface Sample {
  contender: string;
  size: number;
  round: number;
  pass: Pass;
  ms: number;
  load1: number;
  summary: string;
  phases?: Record<string, number>[];
  cpu?: CpuSplit;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const sec = (ms: number) => (Number.isNaN(ms) ? '—' : `${(ms / 1000).toFixed(1)} s`);
const ratio = (a: number, b: number) => (Number.isNaN(a / b) ? '—' : `${(a / b).toFixed(2)}×`);

function versions(): string[] {
  const one = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0]!.trim();
    } catch (e) {
      // ssh -V prints to stderr
      return String((e as { stderr?: string }).stderr ?? e).split('\n')[0]!.trim();
    }
  };
  const sshV = execFileSync('sh', ['-c', 'ssh -V 2>&1'], { encoding: 'utf8' }).trim();
  return [`Node ${process.version}`, one('ansible', ['--version']), `Debian ansible package ${one('dpkg-query', ['-W', '-f', '${Version}', 'ansible'])}`, `controller ${sshV}`];
}

async function measure(contender: string, size: number, round: number, samples: Sample[], save: () => void): Promise<void> {
  const fleet = await startFleet({ count: size, variant: 'mixed', name: 'bpush' });
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-bench-push-'));
  try {
    const c = await FACTORIES[contender]!(fleet, dir);
    try {
      for (const pass of ['first', 'again'] as const) {
        const quiet = await settle();
        console.error(`    hosts ${quiet.settled ? 'settled' : 'still busy'} after ${sec(quiet.waitedMs)} (CPU ${(quiet.busy * 100).toFixed(0)} %)`);
        const load1 = loadavg()[0]!;
        const meter = cpuMeter(fleet);
        const r = await c.push(pass);
        const cpu = meter();
        samples.push({ contender, size, round, pass, ms: r.ms, load1, summary: r.summary, cpu, ...(r.phases ? { phases: r.phases } : {}) });
        save();
        console.error(`  round ${round + 1} · ${size} hosts · ${contender} · ${pass}: ${sec(r.ms)} (${r.summary}; load ${load1.toFixed(2)}; CPU ${sec(cpu.totalMs)}, hosts ${sec(cpu.hostsMs)})`);
      }
    } finally {
      await c.close();
    }
    // hosts 1 and 2: one rsyslog host (auth.log) and one journald host (Debian 12's default)
    for (const h of fleet.hosts.slice(0, 2)) {
      const problems = await endStateProblems(fleet, h);
      if (problems.length) throw new Error(`${contender} did not reach the baseline on ${h.name} (${h.variant}): ${problems.join('; ')}`);
    }
  } finally {
    await fleet.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function phaseTable(samples: Sample[], sizes: number[]): string[] {
  const lines = ['| Bulwark, per host (median over hosts and rounds) | plan (facts) | apply | verify (fresh connection) | disarm | host total |', '|---|---:|---:|---:|---:|---:|'];
  for (const who of ['bulwark', 'bulwark-wide']) {
    for (const size of sizes) {
      for (const pass of ['first', 'again'] as const) {
        const hosts = samples.filter((s) => s.contender === who && s.size === size && s.pass === pass).flatMap((s) => s.phases ?? []);
        if (!hosts.length) continue;
        const col = (k: string) => (hosts.some((h) => k in h) ? `${median(hosts.map((h) => h[k] ?? 0)).toFixed(0)} ms` : '—');
        const total = median(hosts.map((h) => Object.values(h).reduce((a, b) => a + b, 0)));
        lines.push(`| ${who === 'bulwark' ? '' : 'all at once, '}${size} hosts, ${pass === 'first' ? 'first apply' : 're-run'} | ${col('plan')} | ${col('apply')} | ${col('verify')} | ${col('disarm')} | ${total.toFixed(0)} ms |`);
      }
    }
  }
  return lines;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--report') return report(process.argv[3]!);
  if (process.getuid?.() !== 0) throw new Error('bench/push boots real hosts (tests/fleet): run it as root');
  const startLoad = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const vs = versions();
  const samples: Sample[] = [];
  const t0 = Date.now();
  // saved after every push: a run cut short still has its samples (see --report)
  const out = join(tmpdir(), `bulwark-bench-push-${Date.now()}.json`);
  console.error(`samples go to ${out}`);
  for (let round = 0; round < ROUNDS; round++) {
    for (const size of SIZES) {
      const order = CONTENDERS.map((_, i) => CONTENDERS[(i + round) % CONTENDERS.length]!);
      for (const c of order) {
        await measure(c, size, round, samples, () => writeFileSync(out, JSON.stringify({ startLoad, versions: vs, minutes: (Date.now() - t0) / 60000, samples }, null, 2)));
      }
    }
  }
  report(out);
}

function report(file: string): void {
  const { startLoad, versions: vs, minutes = NaN, samples } = JSON.parse(readFileSync(file, 'utf8')) as { startLoad: string; versions: string[]; minutes?: number; samples: Sample[] };
  const sizes = [...new Set(samples.map((s) => s.size))];
  const contenders = [...new Set(samples.map((s) => s.contender))];
  const rounds = new Set(samples.map((s) => s.round)).size;
  const out = file;

  const med = (c: string, size: number, pass: Pass) => median(samples.filter((s) => s.contender === c && s.size === size && s.pass === pass).map((s) => s.ms));
  const n = (c: string, size: number) => samples.filter((s) => s.contender === c && s.size === size && s.pass === 'first').length;
  console.log(`\nGuide baseline pushed to fresh fleet hosts, ${rounds} round(s), ${minutes.toFixed(1)} min in all`);
  console.log(`${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}; load average at start ${startLoad}; ${vs.join('; ')}`);
  console.log(`samples: ${out}\n`);
  console.log('| hosts | contender | first apply | re-run (same hosts) | runs |');
  console.log('|---:|---|---:|---:|---:|');
  const label: Record<string, string> = { bulwark: 'Bulwark (runHardening)', 'bulwark-wide': 'Bulwark, all hosts at once', ansible: 'Ansible (ansible-playbook)', raw: 'raw floor (ssh + sh -s)' };
  for (const size of sizes) for (const c of contenders) console.log(`| ${size} | ${label[c]} | ${sec(med(c, size, 'first'))} | ${sec(med(c, size, 'again'))} | ${n(c, size)} |`);
  console.log('\n| hosts | Bulwark / raw, first | Ansible / Bulwark, first | Bulwark re-run / raw first | Bulwark re-run / raw re-run | Ansible / Bulwark, re-run |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const size of sizes) {
    const who = contenders.includes('bulwark') ? 'bulwark' : 'bulwark-wide';
    const b1 = med(who, size, 'first'), b2 = med(who, size, 'again');
    const r1 = med('raw', size, 'first'), r2 = med('raw', size, 'again');
    const a1 = med('ansible', size, 'first'), a2 = med('ansible', size, 'again');
    console.log(`| ${size} | ${ratio(b1, r1)} | ${ratio(a1, b1)} | ${ratio(b2, r1)} | ${ratio(b2, r2)} | ${ratio(a2, b2)} |`);
  }
  console.log('\n| hosts | contender | CPU, first apply: hosts / controller side | CPU, re-run: hosts / controller side |');
  console.log('|---:|---|---:|---:|');
  const cpuMed = (c: string, size: number, pass: Pass, side: 'hosts' | 'controller') =>
    median(samples.filter((s) => s.contender === c && s.size === size && s.pass === pass && s.cpu).map((s) => (side === 'hosts' ? s.cpu!.hostsMs : s.cpu!.totalMs - s.cpu!.hostsMs)));
  for (const size of sizes) {
    for (const c of contenders) {
      const cell = (pass: Pass) => `${sec(cpuMed(c, size, pass, 'hosts'))} / ${sec(cpuMed(c, size, pass, 'controller'))}`;
      console.log(`| ${size} | ${label[c]} | ${cell('first')} | ${cell('again')} |`);
    }
  }
  console.log('');
  for (const l of phaseTable(samples, sizes)) console.log(l);
  console.log('\nEvery sample (s):');
  for (const s of samples) console.log(`- round ${s.round + 1}, ${s.size} hosts, ${s.contender} ${s.pass}: ${(s.ms / 1000).toFixed(2)} (load ${s.load1.toFixed(2)}; ${s.summary})`);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
