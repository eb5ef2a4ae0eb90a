/**
 * Strict SSH on a real host, judged from outside: after the sshd controls, ssh-audit (Debian's
 * package, run from this machine against the fleet host) reports no failure, and Bulwark still
 * gets in (the fresh-connection check inside the apply proves that).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyOnHost, type HostAccess } from '../../../main/services/hardening/apply-host';
import { sshKeyAccess } from '../../../main/services/hardening/controls/ssh-key-access';
import { sshdAuth, sshdAuthParams } from '../../../main/services/hardening/controls/sshd-auth';
import { sshdStrict, sshdStrictParams } from '../../../main/services/hardening/controls/sshd-strict';
import { HostKeyStore, SshEngine, type Credentials } from '../../../main/services/ssh';
import { Vault } from '../../../main/services/vault';
import { startFleet, type Fleet } from '../../fleet/fleet';

const setup = inject('bulwarkFleet');

describe.skipIf(!setup)('strict SSH on a real host', () => {
  let fleet: Fleet;
  let dir: string;
  let vault: Vault;
  let hostKeys: HostKeyStore;
  let creds: () => Credentials;
  const engines: SshEngine[] = [];
  const newEngine = () => new SshEngine({ hostKeys, credentials: creds, keepaliveIntervalMs: 0, readyTimeoutMs: 5_000 });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bulwark-strict-it-'));
    vault = new Vault({ path: join(dir, 'vault.db'), kdf: { N: 1024, r: 8, p: 1 } });
    vault.create('granite orbit lantern 47 meadow');
    hostKeys = new HostKeyStore(vault);
    fleet = await startFleet({ count: 1, variant: 'journald' });
    const key = readFileSync(fleet.testKey.privateKeyPath, 'utf8');
    creds = () => ({ keys: [{ privateKey: key }] });
    const h = fleet.hosts[0]!;
    const ed = h.hostPublicKeys.find((k) => k.startsWith('ssh-ed25519 '))!;
    hostKeys.trust(h.address, 22, ed.split(' ')[1]!);
  }, 300_000);

  afterAll(async () => {
    for (const e of engines) await e.dispose();
    await fleet?.stop();
    vault?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const audit = (address: string) => {
    const r = spawnSync('ssh-audit', ['-n', '-l', 'fail', address], { encoding: 'utf8', timeout: 60_000 });
    if (r.error) throw new Error(`ssh-audit is needed (bash tests/install-prereqs.sh installs it): ${r.error.message}`);
    return r.stdout;
  };

  it('leaves ssh-audit with no failure, where the stock host has several, and stays reachable', async () => {
    const h = fleet.hosts[0]!;
    const before = audit(h.address);
    expect(before).toMatch(/\[fail\]/);

    const engine = newEngine();
    engines.push(engine);
    const access: HostAccess = { engine, freshEngine: newEngine, target: { host: h.address, user: 'admin', name: h.name }, sudoPassword: h.adminPassword };
    const r = await applyOnHost(
      access,
      [
        { control: sshKeyAccess, params: {} },
        { control: sshdAuth, params: sshdAuthParams.parse({}) },
        { control: sshdStrict, params: sshdStrictParams.parse({}) },
      ],
      'it-strict-0001',
    );
    console.log(`apply strict: ${JSON.stringify(r.timings)}`);
    expect(r.reason).toBeUndefined();
    expect(r.status).toBe('applied');
    expect(r.after?.every((c) => c.check.status === 'compliant')).toBe(true);

    const after = audit(h.address);
    console.log(after.split('\n').filter((l) => /\[(fail|warn)\]/.test(l)).join('\n') || 'ssh-audit: no fail lines');
    expect(after.split('\n').filter((l) => l.includes('[fail]'))).toEqual([]);
  }, 180_000);
});
