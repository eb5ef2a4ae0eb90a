/**
 * Deploy one key to N real hosts (tests/fleet, root only): Bulwark's KeyFleetOps.deploy beside
 * OpenSSH's ssh-copy-id run for every host at once, in the same run, on the same hosts.
 * Both start cold (new connections) with the host keys already known, and both are run twice
 * per round: the first deploy adds the key, the second must find it and change nothing.
 *
 *   npx tsx bench/keys/run.ts [hosts=30] [rounds=5]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyFleetOps, KeyStore, type FleetHostRef } from '../../main/services/keys';
import { HostKeyStore, SshEngine } from '../../main/services/ssh';
import { Vault } from '../../main/services/vault';
import { startFleet, type Fleet } from '../../tests/fleet/fleet';

const COUNT = Number(process.argv[2] ?? 30);
const ROUNDS = Number(process.argv[3] ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}

function sshCopyId(fleet: Fleet, pubFile: string, address: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('ssh-copy-id', [
      '-i', pubFile,
      '-o', `IdentityFile=${fleet.testKey.privateKeyPath}`, '-o', 'IdentitiesOnly=yes',
      '-o', `UserKnownHostsFile=${fleet.knownHostsPath}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes',
      `root@${address}`,
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-bench-keys-'));
  const vault = new Vault({ path: join(dir, 'vault.db') });
  vault.create('granite orbit lantern 47 meadow');
  const hostKeys = new HostKeyStore(vault);
  const keys = new KeyStore(vault);
  const fleet = await startFleet({ count: COUNT, variant: 'mixed', name: 'benchkeys' });
  try {
    const login = keys.import({ name: 'fleet-login', text: readFileSync(fleet.testKey.privateKeyPath, 'utf8') }).key;
    const loginPrivate = keys.getPrivate(login.id).privateKey;
    const newEngine = () => new SshEngine({ hostKeys, credentials: () => ({ keys: [{ privateKey: loginPrivate, label: login.id }] }), maxConcurrent: 64 });
    const pin = newEngine();
    for (const h of fleet.hosts) pin.trust(h.address, 22, (await pin.probeHostKey(h.address, 22)).key);
    await pin.dispose();
    const hosts: FleetHostRef[] = fleet.hosts.map((h) => ({ name: h.name, address: h.address, port: 22, user: 'root', jumpHost: '' }));

    const bulwark = { first: [] as number[], again: [] as number[] };
    const copyId = { first: [] as number[], again: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      const runBulwark = async () => {
        const key = await keys.generate({ name: `bench-b-${round}` });
        for (const target of ['first', 'again'] as const) {
          const engine = newEngine(); // cold: new connections, like ssh-copy-id
          const ops = new KeyFleetOps({ engine, keys });
          const [ms, r] = await timed(() => ops.deploy(key.id, hosts));
          await engine.dispose();
          const want = target === 'first' ? 'added' : 'unchanged';
          if (r.results.some((x) => x.status !== want)) throw new Error(`bulwark ${target}: ${JSON.stringify(r.summary)}`);
          bulwark[target].push(ms);
        }
      };
      const runCopyId = async () => {
        const key = await keys.generate({ name: `bench-c-${round}` });
        // ssh-copy-id logs in with the new key first to see whether it is already there, so it
        // wants the private half beside the .pub
        const pub = join(dir, `c-${round}.pub`);
        writeFileSync(join(dir, `c-${round}`), keys.exportPrivate(key.id), { mode: 0o600 });
        writeFileSync(pub, `${key.publicKey}\n`);
        for (const target of ['first', 'again'] as const) {
          const [ms, rs] = await timed(() => Promise.all(fleet.hosts.map((h) => sshCopyId(fleet, pub, h.address))));
          const bad = rs.find((r) => r.code !== 0);
          if (bad) throw new Error(`ssh-copy-id ${target} failed: ${bad.out}`);
          if (target === 'again' && !rs.every((r) => /skipped|already exist/.test(r.out))) throw new Error('ssh-copy-id added a key twice');
          copyId[target].push(ms);
        }
      };
      // alternate who goes first, so neither always meets a warmer machine
      if (round % 2 === 0) {
        await runBulwark();
        await runCopyId();
      } else {
        await runCopyId();
        await runBulwark();
      }
    }
    const row = (what: string, b: number[], c: number[]) =>
      `| ${what} | ${median(b).toFixed(0)} ms | ${median(c).toFixed(0)} ms | ${(median(c) / median(b)).toFixed(1)}× |`;
    console.log(`\nKey deploy to ${COUNT} fleet hosts, ${ROUNDS} rounds (medians); fleet booted in ${(fleet.bootMs / 1000).toFixed(1)} s\n`);
    console.log('| deploy | Bulwark (KeyFleetOps) | ssh-copy-id, all hosts in parallel | ssh-copy-id / Bulwark |');
    console.log('|---|---:|---:|---:|');
    console.log(row('first (adds the key)', bulwark.first, copyId.first));
    console.log(row('again (finds it, changes nothing)', bulwark.again, copyId.again));
  } finally {
    await fleet.stop();
    vault.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
