/**
 * The test bed of the hardening integration tests: real fleet hosts, a real vault with their
 * host keys pinned, and SSH engines that log in with the fleet's test key.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostAccess } from '../../../main/services/hardening/apply-host';
import { HostKeyStore, SshEngine, type Credentials } from '../../../main/services/ssh';
import { Vault } from '../../../main/services/vault';
import { startFleet, type Fleet, type FleetHost } from '../../fleet/fleet';

export interface Bed {
  fleet: Fleet;
  hostKeys: HostKeyStore;
  /** Logs in with the fleet's test key. */
  byKey: () => Credentials;
  engine(creds?: () => Credentials): SshEngine;
  /** Bulwark's way onto `h`: as admin with its sudo password, or as root. */
  access(h: FleetHost, o?: { user?: 'admin' | 'root'; creds?: () => Credentials }): HostAccess;
  /** A root shell command on `h` through admin and sudo (root may no longer log in). */
  asRoot(h: FleetHost, command: string): ReturnType<Fleet['ssh']>;
  close(): Promise<void>;
}

export async function startBed(o: { count: number; variant: 'rsyslog' | 'journald' | 'mixed' }): Promise<Bed> {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-hardening-it-'));
  const vault = new Vault({ path: join(dir, 'vault.db'), kdf: { N: 1024, r: 8, p: 1 } });
  vault.create('granite orbit lantern 47 meadow');
  const hostKeys = new HostKeyStore(vault);
  const engines: SshEngine[] = [];
  let fleet: Fleet | undefined;
  try {
    fleet = await startFleet({ count: o.count, variant: o.variant });
  } catch (e) {
    vault.close();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const f = fleet;
  const key = readFileSync(f.testKey.privateKeyPath, 'utf8');
  // the ed25519 key, as a first `ssh trust` would pin it
  for (const h of f.hosts) hostKeys.trust(h.address, 22, h.hostPublicKeys.find((k) => k.startsWith('ssh-ed25519 '))!.split(' ')[1]!);
  const byKey = (): Credentials => ({ keys: [{ privateKey: key, label: 'fleet' }] });
  const engine = (creds = byKey) => {
    const e = new SshEngine({ hostKeys, credentials: creds, keepaliveIntervalMs: 0, readyTimeoutMs: 5_000 });
    engines.push(e);
    return e;
  };
  return {
    fleet: f,
    hostKeys,
    byKey,
    engine,
    access(h, a = {}) {
      const user = a.user ?? 'admin';
      const creds = a.creds ?? byKey;
      return {
        engine: engine(creds),
        freshEngine: () => engine(creds),
        target: { host: h.address, user, name: h.name },
        ...(user === 'admin' ? { sudoPassword: h.adminPassword } : {}),
      };
    },
    asRoot: (h, command) => f.ssh(h, `sudo -S -p '' sh -c '${command.replace(/'/g, "'\\''")}'`, { user: 'admin', input: `${h.adminPassword}\n` }),
    async close() {
      for (const e of engines) await e.dispose();
      await f.stop();
      vault.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
