/**
 * The sshd authentication control on real hosts, end to end: plan, apply with the dead-man
 * switch, verify from a fresh connection, idempotence, and the lockout guards.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyOnHost, planOnHost, type HostAccess } from '../../../main/services/hardening/apply-host';
import { sshdAuth } from '../../../main/services/hardening/controls/sshd-auth';
import { sshKeyAccess } from '../../../main/services/hardening/controls/ssh-key-access';
import { HostKeyStore, SshEngine, type Credentials } from '../../../main/services/ssh';
import { Vault } from '../../../main/services/vault';
import { startFleet, type Fleet, type FleetHost } from '../../fleet/fleet';

const setup = inject('bulwarkFleet');
const selections = [
  { control: sshKeyAccess, params: {} },
  { control: sshdAuth, params: { permitRootLogin: 'no' } },
];

describe.skipIf(!setup)('sshd authentication control on real hosts', () => {
  let fleet: Fleet;
  let dir: string;
  let vault: Vault;
  let hostKeys: HostKeyStore;
  let key: string;
  const engines: SshEngine[] = [];
  const engine = (creds: () => Credentials) => {
    const e = new SshEngine({ hostKeys, credentials: creds, keepaliveIntervalMs: 0, readyTimeoutMs: 5_000 });
    engines.push(e);
    return e;
  };
  const byKey = (): Credentials => ({ keys: [{ privateKey: key, label: 'fleet' }] });
  const access = (h: FleetHost, creds: () => Credentials = byKey): HostAccess => ({
    engine: engine(creds),
    freshEngine: () => new SshEngine({ hostKeys, credentials: creds, keepaliveIntervalMs: 0, readyTimeoutMs: 5_000 }),
    target: { host: h.address, user: 'admin', name: h.name },
    sudoPassword: h.adminPassword,
  });
  /** As admin through sudo: root may no longer log in once the control ran. */
  const asRoot = (h: FleetHost, command: string) => fleet.ssh(h, `sudo -S -p '' sh -c '${command}'`, { user: 'admin', input: `${h.adminPassword}\n` });
  const effective = async (h: FleetHost, kw: string) => (await asRoot(h, `sshd -T | grep -i "^${kw} "`)).stdout.trim().split(' ')[1];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bulwark-sshd-auth-it-'));
    vault = new Vault({ path: join(dir, 'vault.db'), kdf: { N: 1024, r: 8, p: 1 } });
    vault.create('granite orbit lantern 47 meadow');
    hostKeys = new HostKeyStore(vault);
    fleet = await startFleet({ count: 3, variant: 'mixed' });
    key = readFileSync(fleet.testKey.privateKeyPath, 'utf8');
    for (const h of fleet.hosts) hostKeys.trust(h.address, 22, h.hostPublicKeys[0]!.split(' ')[1]!);
  }, 300_000);

  afterAll(async () => {
    for (const e of engines) await e.dispose();
    await fleet?.stop();
    vault?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('applies keys-only auth through sudo, verified from a fresh connection, then reports no change', async () => {
    const h = fleet.hosts[0]!;
    const a = access(h);
    expect((await fleet.attacker.tryPassword(h, 'admin', h.adminPassword)).code).toBe(0);
    const r = await applyOnHost(a, selections, 'it-auth-0001');
    console.log(`apply sshd-auth on ${h.name}: ${JSON.stringify(r.timings)}`);
    expect(r.reason).toBeUndefined();
    expect(r.status).toBe('applied');
    expect(r.plan.files.map((f) => f.path)).toEqual(['/etc/ssh/sshd_config.d/00-bulwark.conf']);
    expect(r.plan.files[0]!.diff).toMatch(/^\+PasswordAuthentication no$/m);
    expect(r.after?.find((c) => c.id === 'sshd-auth')?.check.status).toBe('compliant');
    expect(await effective(h, 'passwordauthentication')).toBe('no');
    expect(await effective(h, 'permitrootlogin')).toBe('no');
    // the switch was disarmed: nothing restores it later
    expect((await asRoot(h, 'systemctl list-timers --all --no-legend | grep -c bulwark-rollback || true')).stdout.trim()).toBe('0');
    // a password no longer gets anyone in
    const pw = await fleet.attacker.tryPassword(h, 'admin', h.adminPassword);
    expect(pw.code).not.toBe(0);
    expect(pw.stderr).toMatch(/Permission denied \(publickey\)/);

    const again = await applyOnHost(access(h), selections, 'it-auth-0002');
    expect(again.status).toBe('unchanged');
    expect(again.plan.files).toEqual([]);
  }, 120_000);

  it('refuses to turn passwords off while Bulwark itself logs in with a password, and changes nothing', async () => {
    const h = fleet.hosts[1]!;
    const a = access(h, () => ({ password: h.adminPassword }));
    const plan = await planOnHost(a, selections);
    expect(plan.controls.find((c) => c.id === 'ssh-key-access')?.check.status).toBe('drift');
    expect(plan.controls.find((c) => c.id === 'sshd-auth')?.refused?.reason).toMatch(/with a password: turning password login off would lock it out/);
    expect(plan.apply).toBeNull();
    const r = await applyOnHost(a, selections, 'it-auth-0003');
    expect(r.status).toBe('refused');
    expect(await effective(h, 'passwordauthentication')).toBe('yes');
  }, 120_000);

  it('comments out a conflicting earlier drop-in and shows it in the plan', async () => {
    const h = fleet.hosts[2]!;
    await fleet.ssh(h, "printf '# early\\nPasswordAuthentication yes\\n' > /etc/ssh/sshd_config.d/0-early.conf");
    expect(await effective(h, 'passwordauthentication')).toBe('yes');
    const r = await applyOnHost(access(h), selections, 'it-auth-0004');
    expect(r.reason).toBeUndefined();
    expect(r.status).toBe('applied');
    const early = r.plan.files.find((f) => f.path === '/etc/ssh/sshd_config.d/0-early.conf');
    expect(early?.diff).toMatch(/^-PasswordAuthentication yes$/m);
    expect(early?.diff).toMatch(/^\+# PasswordAuthentication yes {2}# disabled by Bulwark/m);
    expect(await effective(h, 'passwordauthentication')).toBe('no');
  }, 120_000);

  it('rolls back through the open session when the fresh connection cannot log in', async () => {
    const h = fleet.hosts[1]!;
    // this time Bulwark has a key, but the verifying engine gets no credentials: the fresh login fails
    const a = { ...access(h), freshEngine: () => new SshEngine({ hostKeys, credentials: () => ({}), keepaliveIntervalMs: 0, readyTimeoutMs: 5_000 }) };
    const r = await applyOnHost(a, selections, 'it-auth-0005');
    expect(r.status).toBe('rolled-back');
    expect(r.reason).toMatch(/a fresh connection failed after the change.*everything was restored/);
    expect(await effective(h, 'passwordauthentication')).toBe('yes');
    expect((await asRoot(h, 'test -e /etc/ssh/sshd_config.d/00-bulwark.conf; echo $?')).stdout.trim()).toBe('1');
    expect((await asRoot(h, 'systemctl list-timers --all --no-legend | grep -c bulwark-rollback || true')).stdout.trim()).toBe('0');
  }, 120_000);
});
