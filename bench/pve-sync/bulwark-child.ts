/**
 * One Bulwark sync in a process of its own (so its memory and CPU are not the simulator's):
 * a real vault in a temp dir, created untimed (with the production KDF: lighter parameters are
 * refused outside a test run), then, timed, what the app does for "Sync now": a fresh PveClient
 * (token, certificate pin) and PveSync.sync(). Prints one JSON line: the sync's time, the
 * process's RSS before and during it, and every guest's IPv4 addresses.
 *
 * The RSS during the sync is sampled every 5 ms: the process's own high-water mark is useless
 * here, as creating the vault briefly holds scrypt's 128 MiB.
 *
 *   node --import tsx bench/pve-sync/bulwark-child.ts '{"url":…,"fingerprint":…,"tokenId":…,"secret":…}'
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PveClient } from '../../main/services/proxmox/client';
import { PveSync } from '../../main/services/proxmox/sync';
import { Vault } from '../../main/services/vault';

export interface ChildInput {
  url: string;
  fingerprint: string;
  tokenId: string;
  secret: string;
}

export interface ChildOutput {
  syncMs: number;
  rssBeforeKiB: number;
  /** The highest RSS sampled while the sync ran. */
  rssPeakKiB: number;
  guests: { vmid: number; name: string; ipv4: string[] }[];
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as ChildInput;
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-bench-pve-'));
  const vault = new Vault({ path: join(dir, 'vault.db') });
  vault.create('bench passphrase for a throwaway vault');
  try {
    const kib = () => process.memoryUsage.rss() / 1024;
    const rssBeforeKiB = kib();
    let rssPeakKiB = rssBeforeKiB;
    const sampler = setInterval(() => (rssPeakKiB = Math.max(rssPeakKiB, kib())), 5);
    const t0 = performance.now();
    const client = new PveClient({ name: 'bench', baseUrl: input.url, pin: { sha256: input.fingerprint }, auth: { kind: 'token', tokenId: input.tokenId, secret: input.secret } });
    const result = await new PveSync(vault).sync('bench', client).finally(() => client.close());
    const syncMs = performance.now() - t0;
    clearInterval(sampler);
    rssPeakKiB = Math.max(rssPeakKiB, kib());
    const out: ChildOutput = {
      syncMs,
      rssBeforeKiB,
      rssPeakKiB,
      guests: result.guests.map((g) => ({ vmid: g.vmid, name: g.name, ipv4: g.addresses.filter((a) => a.family === 4).map((a) => a.address) })),
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    vault.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
