/**
 * Live logs end to end into the renderer: fleet host log → SSH → parser → vault → IPC → the
 * built renderer's Logs view in Chromium (the browser tier: the real main-process services and
 * router behind the web bridge). Hosts are added and trusted through the services, followed
 * through the UI; each host then writes sshd lines stamped with its clock (bench/logs/run.ts's
 * generator) and the page records, every animation frame, when a stamped line is first on
 * screen as a row. Reported per rate: rows sampled (the list is virtualized: only the ~30
 * newest rows exist, so the newest events are the ones sampled), stamp → row on screen
 * p50/p95/p99, events the view counted, frame intervals and long tasks, the time from a click on
 * a quick-view button to the view showing it, the page's JS heap, and the CPU of the Bulwark
 * process (services + web server), Chromium and the hosts.
 *
 *   npx tsx bench/logs/ui.ts [hosts=20] [rates=1000,5000] [seconds=20]   # root, after npm run build
 */
import { chromium, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BulwarkError } from '../../shared/errors';
import { startFleet } from '../../tests/fleet/fleet';
import { HostKeyStore } from '../../main/services/ssh';
import { startWebApp } from '../../main/web/web-app';
import { cpuMeter } from '../push/cpu';
import { generator, pct, unlimit } from './run';

const HOSTS = Number(process.argv[2] ?? 20);
const RATES = (process.argv[3] ?? '1000,5000').split(',').map(Number);
const SECONDS = Number(process.argv[4] ?? 20);
const OUT = resolve(__dirname, '../../out');
const CHROMIUM = process.env.BULWARK_CHROMIUM ?? '/usr/bin/chromium';

/** CPU ms of this process's Chromium descendants (browser, renderer, GPU and utility processes). */
function chromiumCpuMs(): number {
  const root = process.pid;
  const parent = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(d), Number(f[1]));
      if (/chrom/i.test(s.slice(s.indexOf('(') + 1, s.lastIndexOf(')')))) cpu.set(Number(d), (Number(f[11]) + Number(f[12])) * 10);
    } catch {
      // gone
    }
  }
  const inTree = (pid: number): boolean => pid === root || (parent.has(pid) && pid > 1 && inTree(parent.get(pid)!));
  let ms = 0;
  for (const [pid, t] of cpu) if (inTree(pid)) ms += t;
  return ms;
}

/**
 * Installed in the page: per frame, the first time each stamped user name is on screen as a row;
 * and, through the same window.bulwark.on the view uses, how many stamped events of each run
 * reached the renderer (the view itself holds only the newest 100,000).
 */
function installProbe(): void {
  const w = window as unknown as {
    __bench: { shown: Map<string, number>; frames: number[]; longTasks: number[] };
    __arrived: Record<string, number>;
    bulwark: { on(event: string, l: (p: { events: { user: string | null }[] }) => void): () => void };
  };
  w.__bench = { shown: new Map(), frames: [], longTasks: [] };
  w.__arrived = {};
  w.bulwark.on('logs:events', ({ events }) => {
    for (const e of events) {
      const run = e.user && /^b([a-z0-9]+)-\d+-\d+$/.exec(e.user)?.[1];
      if (run) w.__arrived[run] = (w.__arrived[run] ?? 0) + 1;
    }
  });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__bench.longTasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: false });
  const frame = (t: number) => {
    const b = w.__bench;
    b.frames.push(t);
    const now = performance.timeOrigin + performance.now();
    document.querySelectorAll('[data-testid="log-row"]').forEach((row) => {
      const user = row.children[4]?.textContent ?? '';
      if (user.startsWith('b') && !b.shown.has(user)) b.shown.set(user, now);
    });
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

interface PageSample {
  shown: [string, number][];
  frames: number[];
  longTasks: number[];
  arrived: Record<string, number>;
  heapMiB: number;
}

async function takeSample(page: Page): Promise<PageSample> {
  return page.evaluate(() => {
    const w = window as unknown as { __bench: { shown: Map<string, number>; frames: number[]; longTasks: number[] }; __arrived: Record<string, number> };
    const b = w.__bench;
    const out = { shown: [...b.shown], frames: b.frames, longTasks: b.longTasks };
    w.__bench = { shown: new Map(), frames: [], longTasks: [] };
    const mem = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
    return { ...out, arrived: { ...w.__arrived }, heapMiB: (mem?.usedJSHeapSize ?? 0) / 2 ** 20 };
  });
}

/** A click on a quick view until the view shows it pressed (measured in the page, frames included). */
async function clickToShown(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const b = document.querySelector<HTMLButtonElement>('[data-testid="logs-quick-failed"]')!;
    const want = b.getAttribute('aria-pressed') === 'true' ? 'false' : 'true';
    const t0 = performance.now();
    b.click();
    while (b.getAttribute('aria-pressed') !== want) await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t0;
  });
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench/logs/ui.ts boots real hosts (tests/fleet): run it as root');
  if (!existsSync(join(OUT, 'renderer', 'index.html'))) throw new Error('out/renderer is missing: npm run build first');
  const fleet = await startFleet({ count: HOSTS, variant: 'mixed', name: 'blogsui' });
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-bench-logs-ui-'));
  const unavailable = () => {
    throw new BulwarkError('KEYCHAIN_UNAVAILABLE', 'no keychain in the bench');
  };
  const web = await startWebApp({
    outDir: OUT,
    vaultPath: join(dir, 'vault.db'),
    sshConfigPath: join(dir, 'ssh_config'),
    keychain: { status: () => ({ available: false, reason: 'bench' }), encrypt: unavailable, decrypt: unavailable },
    dialogs: { chooseSavePath: async () => null, chooseOpenPath: async () => null },
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    await Promise.all(fleet.hosts.map((h) => unlimit(fleet, h)));
    const s = web.services;
    s.vault.create('granite orbit lantern 47 meadow');
    const hostKeys = new HostKeyStore(s.vault);
    for (const h of fleet.hosts) {
      const host = s.hosts.create({ name: h.name, address: h.address, user: 'admin', tags: ['bench'] });
      s.hostSecrets.set(host.id, 'loginPassword', h.adminPassword);
      s.hostSecrets.setSudoPassword(host.id, h.adminPassword);
      hostKeys.trust(h.address, 22, h.hostPublicKeys.find((k) => k.startsWith('ssh-ed25519 '))!.split(' ')[1]!);
    }
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    // tsx (esbuild, keepNames) wraps named functions in __name(): the page needs it to run them
    await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    await page.goto(web.server.url);
    await page.getByTestId('nav-logs').click();
    await page.locator('[data-testid="picker-tag"][data-tag="bench"]').click();
    await page.getByTestId('picker-toggle-shown').click();
    await page.getByTestId('logs-follow').click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="log-status"][data-state="streaming"]').length === n, HOSTS, { timeout: 120_000 });
    await page.evaluate(installProbe);

    console.log(`\n## Live logs into the renderer: ${HOSTS} fleet hosts, ${SECONDS} s per rate, Chromium ${browser.version()}`);
    console.log('latency = first animation frame showing the row − the time stamped into the line on the host; newest-first view\n');
    console.log('| rate (lines/s) | rows sampled | stamp → row shown p50 / p95 / p99 | stamped events reaching the renderer | frame interval p50 / p99 / max | long tasks (count, total) | click → shown (median of 6) | JS heap | CPU: Bulwark / Chromium / hosts |');
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const rate of RATES) {
      const perHost = Math.max(1, Math.round(rate / HOSTS));
      const run = Math.random().toString(36).slice(2, 8);
      await takeSample(page);
      const cpu0 = process.cpuUsage();
      const chrome0 = chromiumCpuMs();
      const machine = cpuMeter(fleet);
      const t0 = Date.now();
      const startAt = Date.now() + 2_000 + 200 * HOSTS;
      const gens = Promise.all(fleet.hosts.map((h) => fleet.ssh(h, generator(run, perHost, SECONDS, startAt), { timeoutMs: (SECONDS + 90) * 1000 })));
      // clicks while the stream runs: each toggles the failed-logins quick view
      while (Date.now() < startAt + 3_000) await new Promise((r) => setTimeout(r, 200));
      const clicks: number[] = [];
      for (let i = 0; i < 6; i++) {
        clicks.push(await clickToShown(page));
        await new Promise((r) => setTimeout(r, 1_500));
      }
      if ((await page.getByTestId('logs-quick-failed').getAttribute('aria-pressed')) === 'true') await clickToShown(page);
      await gens;
      await new Promise((r) => setTimeout(r, 3_000));
      const wall = (Date.now() - t0) / 1000;
      const sample = await takeSample(page);
      const cpu = process.cpuUsage(cpu0);
      const chromeMs = chromiumCpuMs() - chrome0;
      const split = machine();
      const lat = sample.shown.filter(([u]) => u.startsWith(`b${run}-`)).map(([u, at]) => at - Number(u.split('-')[2]));
      const gaps = sample.frames.slice(1).map((t, i) => t - sample.frames[i]!);
      const core = (ms: number) => `${((ms / 1000 / wall) * 100).toFixed(0)} %`;
      console.log(
        `| ${rate} | ${lat.length} | ${pct(lat, 50).toFixed(0)} / ${pct(lat, 95).toFixed(0)} / ${pct(lat, 99).toFixed(0)} ms | ${(sample.arrived[run] ?? 0).toLocaleString('en')} of ${(perHost * HOSTS * SECONDS).toLocaleString('en')} generated | ${pct(gaps, 50).toFixed(0)} / ${pct(gaps, 99).toFixed(0)} / ${Math.max(...gaps).toFixed(0)} ms | ${sample.longTasks.length}, ${sample.longTasks.reduce((a, b) => a + b, 0).toFixed(0)} ms | ${pct(clicks, 50).toFixed(0)} ms | ${sample.heapMiB.toFixed(0)} MiB | ${core((cpu.user + cpu.system) / 1000)} / ${core(chromeMs)} / ${core(split.hostsMs)} of a core |`,
      );
    }
  } finally {
    await browser.close();
    await web.close();
    rmSync(dir, { recursive: true, force: true });
    await fleet.stop();
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
