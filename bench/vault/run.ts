/**
 * Vault benchmark: a real vault (production scrypt cost, temp file) holding 10,000 host-like
 * records (~400 B JSON) and 1,000 key-like records (~600 B JSON).
 *
 *   npx tsx bench/vault/run.ts [runs=7] [puts=200]
 *
 * Measures unlock (scrypt + open + MAC check), list() of all hosts cold (first call after
 * unlock: decrypt + parse) and warm (cached), single put() latency (one transaction with an
 * fsync'd WAL commit each), and the file size. Prints a markdown table with median and p95.
 */
import { scryptSync } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_KDF_COST, Vault, newId } from '../../main/services/vault';

const RUNS = Number(process.argv[2] ?? 7);
const PUTS = Number(process.argv[3] ?? 200);
const HOSTS = 10_000;
const KEYS = 1_000;
const PASSPHRASE = 'granite-otter-velvet-97';

/** ~400 bytes of JSON, shaped like an inventory host. */
function makeHost(i: number): Record<string, unknown> {
  return {
    id: newId(),
    name: `host-${String(i).padStart(5, '0')}.lab.example`,
    address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    port: 22,
    user: i % 3 === 0 ? 'root' : 'admin',
    tags: ['homelab', i % 2 ? 'prod' : 'staging', `rack-${i % 12}`],
    group: `cluster-${i % 8}`,
    jumpHost: i % 10 === 0 ? 'bastion.lab.example' : null,
    keyId: newId(),
    notes: `Provisioned by ansible; owner team ${i % 17}; backups nightly to the NAS; patch window Sunday 02:00`,
    createdAt: 1_700_000_000_000 + i,
  };
}

/** ~600 bytes of JSON, shaped like an SSH key entry. */
function makeKey(i: number): Record<string, unknown> {
  return {
    id: newId(),
    label: `deploy-key-${i}`,
    type: 'ed25519',
    publicKey: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${'x'.repeat(43)} bulwark-${i}`,
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${'k'.repeat(230)}\n-----END OPENSSH PRIVATE KEY-----`,
    fingerprint: `SHA256:${'f'.repeat(43)}`,
    createdAt: 1_700_000_000_000 + i,
  };
}

interface Row {
  what: string;
  median: string;
  p95: string;
  n: number;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

function row(what: string, samples: number[]): Row {
  const s = [...samples].sort((a, b) => a - b);
  const fmt = (x: number) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;
  return { what, median: fmt(quantile(s, 0.5)), p95: fmt(quantile(s, 0.95)), n: s.length };
}

function time(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-bench-vault-'));
  const path = join(dir, 'vault.db');
  const rows: Row[] = [];
  try {
    const seed = new Vault({ path });
    const createMs = time(() => seed.create(PASSPHRASE));
    const hosts = Array.from({ length: HOSTS }, (_, i) => makeHost(i));
    const keys = Array.from({ length: KEYS }, (_, i) => makeKey(i));
    const hostBytes = hosts.reduce((n, h) => n + JSON.stringify(h).length, 0) / HOSTS;
    const keyBytes = keys.reduce((n, k) => n + JSON.stringify(k).length, 0) / KEYS;
    const seedMs = time(() => {
      seed.putMany('host', hosts.map((h) => ({ id: h['id'] as string, value: h })));
      seed.putMany('sshKey', keys.map((k) => ({ id: k['id'] as string, value: k })));
    });
    seed.close();
    const fileSize = statSync(path).size;

    const scrypt = Array.from({ length: 3 }, () =>
      time(() => scryptSync('x', Buffer.alloc(32), 32, { ...DEFAULT_KDF_COST, maxmem: 512 * 1024 * 1024 })),
    );
    const scrypt64 = Array.from({ length: 3 }, () =>
      time(() => scryptSync('x', Buffer.alloc(32), 32, { N: 2 ** 16, r: 8, p: 1, maxmem: 512 * 1024 * 1024 })),
    );

    const unlock: number[] = [];
    const cold: number[] = [];
    const warm: number[] = [];
    const coldKeys: number[] = [];
    const put: number[] = [];
    const ids = hosts.map((h) => h['id'] as string);
    for (let run = 0; run < RUNS; run++) {
      const v = new Vault({ path });
      unlock.push(time(() => v.unlock(PASSPHRASE)));
      cold.push(time(() => v.list('host')));
      for (let i = 0; i < 20; i++) warm.push(time(() => v.list('host')));
      coldKeys.push(time(() => v.list('sshKey')));
      for (let i = 0; i < PUTS / RUNS; i++) {
        const id = ids[(run * 7919 + i * 104729) % ids.length]!;
        const value = { ...hosts[0], id, notes: `edited in run ${run} #${i}` };
        put.push(time(() => v.put('host', id, value)));
      }
      v.close();
    }

    rows.push(row(`unlock (scrypt N=2^17 r=8 p=1 + open + MAC)`, unlock));
    rows.push(row('  scrypt alone, N=2^17 (128 MiB)', scrypt));
    rows.push(row('  scrypt alone, N=2^16 (64 MiB), the fallback', scrypt64));
    rows.push(row(`list() ${HOSTS} hosts, cold (decrypt + parse)`, cold));
    rows.push(row(`list() ${HOSTS} hosts, warm (cached)`, warm));
    rows.push(row(`list() ${KEYS} keys, cold`, coldKeys));
    rows.push(row('put() one host (own transaction, fsync)', put));
    // ---- search: see bench/search/run.ts (inventory); add vault-level rows here if needed ----

    console.log(`\nVault benchmark: ${HOSTS} hosts (~${Math.round(hostBytes)} B JSON) + ${KEYS} keys (~${Math.round(keyBytes)} B JSON), ${RUNS} runs\n`);
    console.log('| measurement | median | p95 | n |');
    console.log('|---|---:|---:|---:|');
    for (const r of rows) console.log(`| ${r.what} | ${r.median} | ${r.p95} | ${r.n} |`);
    console.log(`| create (one scrypt + file setup) | ${createMs.toFixed(0)} ms | | 1 |`);
    console.log(`| seed ${HOSTS + KEYS} records (two putMany transactions) | ${seedMs.toFixed(0)} ms | | 1 |`);
    console.log(`| vault file size after seeding (checkpointed) | ${(fileSize / 1024 / 1024).toFixed(2)} MiB | | 1 |`);
    console.log(`| vault file size after the put runs | ${(statSync(path).size / 1024 / 1024).toFixed(2)} MiB | | 1 |`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
