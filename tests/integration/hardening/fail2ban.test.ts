/** The fail2ban control on both host variants: the jail runs, bans a real attacker, spares Bulwark. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyOnHost, type HostAccess } from '../../../main/services/hardening/apply-host';
import { fail2ban, fail2banParams } from '../../../main/services/hardening/controls/fail2ban';
import { HostKeyStore, SshEngine, type Credentials } from '../../../main/services/ssh';
import { Vault } from '../../../main/services/vault';
import { startFleet, type Fleet, type FleetHost } from '../../fleet/fleet';

const setup = inject('bulwarkFleet');

describe.skipIf(!setup)('fail2ban control on real hosts', () => {
  let fleet: Fleet;
  let dir: string;
  let vault: Vault;
  let hostKeys: HostKeyStore;
  let creds: () => Credentials;
  const engines: SshEngine[] = [];
  const newEngine = () => new SshEngine({ hostKeys, credentials: creds, keepaliveIntervalMs: 0, readyTimeoutMs: 5_000 });
  const access = (h: FleetHost): HostAccess => {
    const engine = newEngine();
    engines.push(engine);
    return { engine, freshEngine: newEngine, target: { host: h.address, user: 'root', name: h.name } };
  };
  const sel = [{ control: fail2ban, params: fail2banParams.parse({}) }];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bulwark-f2b-it-'));
    vault = new Vault({ path: join(dir, 'vault.db'), kdf: { N: 1024, r: 8, p: 1 } });
    vault.create('granite orbit lantern 47 meadow');
    hostKeys = new HostKeyStore(vault);
    fleet = await startFleet({ count: 2, variant: 'mixed' });
    const key = readFileSync(fleet.testKey.privateKeyPath, 'utf8');
    creds = () => ({ keys: [{ privateKey: key }] });
    for (const h of fleet.hosts) hostKeys.trust(h.address, 22, h.hostPublicKeys[0]!.split(' ')[1]!);
  }, 300_000);

  afterAll(async () => {
    for (const e of engines) await e.dispose();
    await fleet?.stop();
    vault?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each([0, 1])('runs the sshd jail on host %i, bans the attacker after 3 failures, never Bulwark', async (i) => {
    const h = fleet.hosts[i]!;
    const r = await applyOnHost(access(h), sel, `it-f2b-0000${i}`);
    console.log(`apply fail2ban on ${h.name} (${h.variant}): ${JSON.stringify(r.timings)}`);
    expect(r.reason).toBeUndefined();
    expect(r.status).toBe('applied');
    const jail = (await fleet.ssh(h, `cat /etc/fail2ban/jail.d/zz-bulwark-sshd.local`)).stdout;
    expect(jail).toMatch(h.variant === 'journald' ? /^backend = systemd$/m : /^logpath = \/var\/log\/auth\.log$/m);
    expect(jail).toMatch(new RegExp(`^ignoreip = 127\\.0\\.0\\.1/8 ::1 ${fleet.gateway.replace(/\./g, '\\.')}$`, 'm'));

    for (let n = 0; n < 3; n++) await fleet.attacker.tryPassword(h, 'root', `wrong-${n}`);
    let banned = '';
    for (let t = 0; t < 40 && !banned.includes('10.'); t++) {
      banned = (await fleet.ssh(h, "fail2ban-client status sshd | sed -n 's/.*Banned IP list:[[:space:]]*//p'")).stdout.trim();
      if (!banned) await new Promise((res) => setTimeout(res, 250));
    }
    expect(banned.split(/\s+/)).toContain(fleet.attacker.address);
    expect(banned).not.toContain(fleet.gateway);

    const again = await applyOnHost(access(h), sel, `it-f2b-0001${i}`);
    expect(again.status).toBe('unchanged');
  }, 120_000);
});
