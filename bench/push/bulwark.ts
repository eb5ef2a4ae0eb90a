/**
 * Bulwark as the app runs it: runHardening() in apply mode with the guide baseline, an engine
 * tuned as FleetAccess tunes it (defaults for the shared one; idle 5 s and no keepalives for
 * the fresh-connection check), host keys pinned in a real vault, the admin account with its
 * sudo password. Each push starts cold: new engines, no pooled connections.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findProfile, selectionsOf } from '../../main/services/hardening/profiles';
import { type RunAccess, type RunHostRef, runHardening } from '../../main/services/hardening/runner';
import { HostKeyStore, HostLocks, SshEngine, type Credentials } from '../../main/services/ssh';
import { Vault } from '../../main/services/vault';
import type { Contender, ContenderFactory, Pass } from './contender';

/**
 * `wide`: every host at once (runner concurrency and the shared engine's connection limit set
 * to the fleet size) instead of the defaults (16 and 16), as the raw floor and Ansible do.
 * Both are settings the app already has (RunOptions.concurrency, FleetAccess engine tuning).
 */
export const bulwark: ContenderFactory = (fleet, workDir) => bulwarkWith(fleet, workDir, false);
export const bulwarkWide: ContenderFactory = (fleet, workDir) => bulwarkWith(fleet, workDir, true);

async function bulwarkWith(fleet: Parameters<ContenderFactory>[0], workDir: string, wide: boolean): Promise<Contender> {
  // the real KDF (cheap ones are for tests only); creating the vault is outside the timing
  const vault = new Vault({ path: join(workDir, 'vault.db') });
  vault.create('granite orbit lantern 47 meadow');
  const hostKeys = new HostKeyStore(vault);
  // the ed25519 key, as a first `bulwark ssh trust` would pin it
  for (const h of fleet.hosts) hostKeys.trust(h.address, 22, h.hostPublicKeys.find((k) => k.startsWith('ssh-ed25519 '))!.split(' ')[1]!);
  const key = readFileSync(fleet.testKey.privateKeyPath, 'utf8');
  const credentials = (): Credentials => ({ keys: [{ privateKey: key, label: 'fleet' }] });
  const hosts: RunHostRef[] = fleet.hosts.map((h) => ({ name: h.name, address: h.address, port: 22, user: 'admin', jumpHost: '' }));
  const selections = selectionsOf(findProfile('guide-baseline'));

  return {
    async push(pass: Pass) {
      const engines: SshEngine[] = [];
      const newEngine = (tuning: { idleTimeoutMs?: number; keepaliveIntervalMs?: number; maxConcurrent?: number } = {}) => {
        const e = new SshEngine({ hostKeys, credentials, ...tuning });
        engines.push(e);
        return e;
      };
      const shared = newEngine(wide ? { maxConcurrent: hosts.length } : {});
      const access: RunAccess = {
        engine: () => shared,
        freshEngine: () => newEngine({ idleTimeoutMs: 5_000, keepaliveIntervalMs: 0 }),
        sudoPasswordFor: (h) => fleet.host(h.name).adminPassword,
        locks: new HostLocks(),
      };
      const t0 = performance.now();
      const r = await runHardening(access, hosts, { mode: 'apply', selections, ...(wide ? { concurrency: hosts.length } : {}) });
      const ms = performance.now() - t0;
      for (const e of engines) await e.dispose();
      const want = pass === 'first' ? 'applied' : 'unchanged';
      const bad = r.results.find((x) => x.status !== want);
      if (bad) throw new Error(`bulwark ${pass}: ${bad.host} ${bad.status}: ${bad.reason ?? ''} ${JSON.stringify(r.summary.byStatus)}`);
      return { ms, summary: Object.entries(r.summary.byStatus).map(([k, v]) => `${v} ${k}`).join(', '), phases: r.results.map((x) => x.timings ?? {}) };
    },
    async close() {
      vault.close();
    },
  };
}
