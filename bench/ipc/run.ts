/**
 * What the window pays: hosts:list and hosts:create through the real IPC router and handlers
 * (request parse, service call, reply parse against the contract) with 10,000 hosts in a real
 * vault. The Electron IPC hop itself (structured clone) is not included.
 *
 *   npx tsx bench/ipc/run.ts [hostCount=10000] [iterations=30]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppServices } from '../../main/services/app';
import { createHandlers } from '../../main/ipc/handlers';
import { createRouter } from '../../main/ipc/router';
import { generateHosts } from '../../tests/unit/inventory/generate-hosts';

const COUNT = Number(process.argv[2] ?? 10_000);
const ITERATIONS = Number(process.argv[3] ?? 30);
const ORIGIN = 'app://bulwark';
const SENDER = { frameUrl: `${ORIGIN}/index.html`, isMainFrame: true };

function stats(samples: number[]): { median: number; p95: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { median: at(0.5), p95: at(0.95) };
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-bench-ipc-'));
  const services = createAppServices({
    vaultPath: join(dir, 'vault.db'),
    sshConfigPath: join(dir, 'ssh_config'),
    keychain: { status: () => ({ available: false, reason: 'bench' }), encrypt: (b) => b, decrypt: (b) => b },
    dialogs: { chooseSavePath: async () => null, chooseOpenPath: async () => null },
  });
  try {
    const router = createRouter({ handlers: createHandlers(services), allowedOrigins: [ORIGIN] });
    const created = await router('vault:create', { passphrase: 'correct horse battery staple 42!' }, SENDER);
    if (!created.ok) throw new Error(created.error.message);
    services.hosts.upsertMany(generateHosts(COUNT).map((input) => ({ input, source: 'bench' })));

    const list: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      list.push(await timeAsync(async () => {
        const r = await router('hosts:list', {}, SENDER);
        if (!r.ok || (r.value as unknown[]).length < COUNT * 0.9) throw new Error('hosts:list failed');
      }));
    }
    const create: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      create.push(await timeAsync(async () => {
        const r = await router('hosts:create', { host: { name: `bench-${i}`, address: `192.0.2.${i % 250}`, tags: ['bench'] } }, SENDER);
        if (!r.ok) throw new Error(r.error.message);
      }));
    }
    const rows = [
      [`hosts:list, ${COUNT} hosts (router + reply schema)`, stats(list)],
      ['hosts:create, one host (router + vault write)', stats(create)],
    ] as const;
    console.log(`\nIPC router benchmark: ${COUNT} hosts, ${ITERATIONS} iterations\n`);
    console.log('| measurement | median | p95 |');
    console.log('|---|---:|---:|');
    for (const [what, s] of rows) console.log(`| ${what} | ${s.median.toFixed(1)} ms | ${s.p95.toFixed(1)} ms |`);
  } finally {
    services.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
