/**
 * Issue 5's log benchmark: fleet hosts (tests/fleet, root only) write real sshd-format lines
 * through their own syslog at a controlled rate while real failed logins come from the attacker
 * namespace; Bulwark's collector follows every host over SSH (the same LogCollector, parser and
 * vault history LogsService runs) and the bench measures, per rate:
 * - throughput: events received per second, and how many of the generated lines arrived;
 * - latency: receive time minus the time the generator stamped into the line (the hosts share
 *   this machine's clock), p50/p95/p99;
 * - events dropped by the collector's bounded queues, and lines lost anywhere;
 * - this process's CPU (user+system over wall) and peak RSS.
 * The renderer is not part of it: the batches stop where LogsService hands them to IPC.
 *
 *   npx tsx bench/logs/run.ts [hosts=20] [rates=1000,5000] [seconds=20]
 *
 * The hosts' own rate limits are lifted for the run (journald RateLimitBurst=0, rsyslog's
 * imuxsock/imjournal rate limits off): a real server under this much auth traffic needs the
 * same, or its syslog drops lines before any tool can read them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFleet, type Fleet, type FleetHost } from '../../tests/fleet/fleet';
import { LogCollector, type HostStreamStatus } from '../../main/services/logs/collector';
import { LogEventStore } from '../../main/services/logs/event-store';
import { HostKeyStore, SshEngine, shellQuote, type Credentials } from '../../main/services/ssh';
import { Vault } from '../../main/services/vault';
import { cpuMeter } from '../push/cpu';

const HOSTS = Number(process.argv[2] ?? 20);
const RATES = (process.argv[3] ?? '1000,5000').split(',').map(Number);
const SECONDS = Number(process.argv[4] ?? 20);

export const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

/** Lifts the host's syslog rate limits (see the header). */
export async function unlimit(fleet: Fleet, h: FleetHost): Promise<void> {
  await fleet.ssh(
    h,
    [
      'mkdir -p /etc/systemd/journald.conf.d',
      "printf '[Journal]\\nRateLimitBurst=0\\n' > /etc/systemd/journald.conf.d/zz-bench.conf",
      'systemctl restart systemd-journald',
      'if [ -d /etc/rsyslog.d ] && command -v rsyslogd >/dev/null; then printf \'$SystemLogRateLimitInterval 0\\n$imjournalRatelimitInterval 0\\n\' > /etc/rsyslog.d/00-bench.conf; systemctl restart rsyslog; fi',
      // fail2ban reads auth.log too: ~0.8 ms of a core per matching line and a firewall call per
      // ban (measured), i.e. 20 hosts × 250 lines/s is several cores of fail2ban alone on this
      // 2-core machine. It is not on Bulwark's path (fail2ban.log is still followed).
      'systemctl stop fail2ban',
    ].join('; '),
  );
}

/**
 * `perHost` lines a second for `seconds` on one host, in sshd's own format through logger (one
 * bash loop and one logger reading its stdin, no process per line): "Failed password for invalid
 * user b<run>-<seq>-<ms> from 198.51.100.<n> port <p> ssh2", stamped with the host's clock in ms
 * ($EPOCHREALTIME), from `startAtMs` on (every host's generator starts at the same instant, after
 * the bench's own logins: 20 root logins at once held the first seconds' lines back by up to 4 s
 * on this machine, which is the bench's doing, not the pipeline's). Paced in 50 ms slices: each slice writes the lines due by its end, then waits
 * for the next with `read -t` on a pipe nobody writes to (bash's own timer: a `sleep` process per
 * wait cost each host ~0.1 core in forks).
 */
export function generator(run: string, perHost: number, seconds: number, startAtMs: number): string {
  const slices = 20;
  const loop = [
    'exec 3<> <(:)',
    `t0=${Math.round(startAtMs)}000; n=0`,
    "d=$((t0 - ${EPOCHREALTIME/./})); if ((d > 0)); then printf -v w '%d.%06d' $((d / 1000000)) $((d % 1000000)); read -t $w -u 3 || true; fi",
    `for ((k = 0; k < ${seconds * slices}; k++)); do`,
    `  due=$((${perHost} * (k + 1) / ${slices}))`,
    `  while ((n < due)); do ms=\${EPOCHREALTIME/./}; printf 'Failed password for invalid user b${run}-%d-%s from 198.51.100.%d port %d ssh2\\n' $n \${ms:0:13} $((n % 250 + 1)) $((1024 + n % 60000)); n=$((n + 1)); done`,
    `  d=$((t0 + (k + 1) * ${1_000_000 / slices} - \${EPOCHREALTIME/./}))`,
    "  if ((d > 0)); then printf -v w '%d.%06d' $((d / 1000000)) $((d % 1000000)); read -t $w -u 3 || true; fi",
    'done',
  ].join('\n');
  return `bash -c ${shellQuote(loop)} | logger -p auth.info -t sshd`;
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench/logs boots real hosts (tests/fleet): run it as root');
  const fleet = await startFleet({ count: HOSTS, variant: 'mixed', name: 'blogs' });
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-bench-logs-'));
  const vault = new Vault({ path: join(dir, 'vault.db') });
  vault.create('granite orbit lantern 47 meadow');
  try {
    await Promise.all(fleet.hosts.map((h) => unlimit(fleet, h)));
    const hostKeys = new HostKeyStore(vault);
    for (const h of fleet.hosts) hostKeys.trust(h.address, 22, h.hostPublicKeys.find((k) => k.startsWith('ssh-ed25519 '))!.split(' ')[1]!);
    const key = readFileSync(fleet.testKey.privateKeyPath, 'utf8');
    const credentials = (): Credentials => ({ keys: [{ privateKey: key, label: 'fleet' }] });
    const engine = new SshEngine({ hostKeys, credentials, maxConcurrent: 100_000, maxPerHost: 2 });
    const store = new LogEventStore(vault);
    let current: { run: string; latencies: number[]; bySource: Record<string, number[]>; seen: Set<string>; received: number; lastAt: number } | null = null;
    const statuses = new Map<string, HostStreamStatus>();
    const collector = new LogCollector({
      engine,
      onStatus: (s) => statuses.set(s.host, s),
      onBatch: (events) => {
        const at = Date.now();
        store.append(events, at);
        const c = current;
        if (!c) return;
        c.received += events.length;
        for (const e of events) {
          const m = e.user && /^b([a-z0-9]+)-(\d+)-(\d+)$/.exec(e.user);
          if (!m || m[1] !== c.run) continue;
          c.seen.add(`${e.host} ${m[2]}`);
          c.lastAt = at;
          c.latencies.push(at - Number(m[3]));
          (c.bySource[e.source] ??= []).push(at - Number(m[3]));
        }
      },
    });
    const flusher = setInterval(() => (collector.flush(), store.flush()), 1000);
    for (const h of fleet.hosts) collector.follow({ name: h.name, target: { host: h.address, user: 'admin', name: h.name }, sudoPassword: h.adminPassword });
    for (let t = 0; [...statuses.values()].filter((s) => s.state.state === 'streaming').length < HOSTS; t++) {
      if (t > 600) throw new Error(`not every host streams: ${JSON.stringify([...statuses.values()].map((s) => [s.host, s.state.state]))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    console.log(`\n## Live logs: ${HOSTS} fleet hosts (half rsyslog, half journald), ${SECONDS} s per rate`);
    console.log(`${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}; latency = receive time − the time stamped into the line on the host\n`);
    console.log('| rate asked (lines/s, all hosts) | generated | received | lost | dropped by Bulwark | throughput (generated lines/s, first to last received) | latency p50 / p95 / p99 | p50 auth.log / journald | Bulwark CPU | peak RSS | machine CPU: hosts / rest |');
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const rate of RATES) {
      const perHost = Math.max(1, Math.round(rate / HOSTS));
      const run = Math.random().toString(36).slice(2, 8);
      current = { run, latencies: [], bySource: {}, seen: new Set(), received: 0, lastAt: 0 };
      const dropped0 = [...statuses.values()].reduce((n, s) => n + s.dropped, 0);
      const cpu0 = process.cpuUsage();
      const machine = cpuMeter(fleet);
      const t0 = Date.now();
      let rss = process.memoryUsage().rss;
      const sampler = setInterval(() => (rss = Math.max(rss, process.memoryUsage().rss)), 200);
      // real failed logins from the attacker namespace alongside the generated lines
      const attacks = Promise.all(fleet.hosts.slice(0, 3).map((h) => fleet.attacker.tryPassword(h, 'root', 'wrong-bench')));
      const startAt = Date.now() + 2_000 + 200 * HOSTS;
      await Promise.all(fleet.hosts.map((h) => fleet.ssh(h, generator(run, perHost, SECONDS, startAt), { timeoutMs: (SECONDS + 90) * 1000 })));
      await attacks;
      const expected = perHost * SECONDS * HOSTS;
      const settleUntil = Date.now() + 15_000;
      while (current.seen.size < expected && Date.now() < settleUntil) await new Promise((r) => setTimeout(r, 100));
      const wall = (Date.now() - t0) / 1000;
      clearInterval(sampler);
      const cpu = process.cpuUsage(cpu0);
      const split = machine();
      const dropped = [...statuses.values()].reduce((n, s) => n + s.dropped, 0) - dropped0;
      const c = current;
      console.log(
        `| ${rate} | ${expected} | ${c.seen.size} | ${expected - c.seen.size} | ${dropped} | ${(c.seen.size / ((c.lastAt - startAt) / 1000)).toFixed(0)} | ${pct(c.latencies, 50)} / ${pct(c.latencies, 95)} / ${pct(c.latencies, 99)} ms | ${pct(c.bySource['auth.log'] ?? [], 50)} / ${pct(c.bySource.journald ?? [], 50)} ms | ${(((cpu.user + cpu.system) / 1e6 / wall) * 100).toFixed(0)} % of a core | ${(rss / 2 ** 20).toFixed(0)} MiB | ${(split.hostsMs / 1000).toFixed(0)} s / ${((split.totalMs - split.hostsMs) / 1000).toFixed(0)} s of ${(2 * wall).toFixed(0)} s |`,
      );
      if (c.seen.size < expected) {
        const per = new Map<string, number>();
        for (const k of c.seen) per.set(k.split(' ')[0]!, (per.get(k.split(' ')[0]!) ?? 0) + 1);
        const short = fleet.hosts.map((h) => `${h.name} (${h.variant}) ${perHost * SECONDS - (per.get(h.name) ?? 0)}`).filter((x) => !x.endsWith(' 0'));
        console.log(`|  | missing by host: ${short.join(', ')} |`);
      }
      current = null;
    }
    clearInterval(flusher);
    await collector.close();
    store.flush();
    await engine.dispose();
  } finally {
    vault.close();
    rmSync(dir, { recursive: true, force: true });
    await fleet.stop();
  }
}

if (process.argv[1]?.endsWith('run.ts')) void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
