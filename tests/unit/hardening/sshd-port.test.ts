import { describe, expect, it } from 'vitest';
import { planWithStages } from '../../../main/services/hardening/apply-port-change';
import { JAIL_FILE } from '../../../main/services/hardening/controls/fail2ban';
import { SOCKET_DROPIN, checkPort, portStage, sshdPort, sshdPortParams } from '../../../main/services/hardening/controls/sshd-port';
import { sshdAuth } from '../../../main/services/hardening/controls/sshd-auth';
import { parseSshdT, parseUfwTuples } from '../../../main/services/hardening/facts';
import { planHost } from '../../../main/services/hardening/host-plan';
import { debianFacts } from './facts-fixture';

const login = { user: 'admin', port: 22, method: 'publickey' as const, pinnedKeyTypes: ['ssh-ed25519'] };
const p = (port?: number) => sshdPortParams.parse(port === undefined ? {} : { port });
const ufwOn = (rules: string) => ({ installed: true, active: true, defaults: { incoming: 'DROP', outgoing: 'ACCEPT', routed: 'DROP' }, rules: parseUfwTuples(rules) });
const SSH22 = '### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in\n';
const JAIL = '[sshd]\nenabled = true\nport = 22\nfilter = sshd\n';

describe('sshd-port control', () => {
  it('validates the port and is not applicable without one', () => {
    expect(sshdPortParams.safeParse({ port: 0 }).success).toBe(false);
    expect(sshdPortParams.safeParse({ port: 65536 }).success).toBe(false);
    expect(sshdPortParams.safeParse({ port: '2222' }).success).toBe(false);
    expect(checkPort({ facts: debianFacts(), login }, p()).status).toBe('not-applicable');
  });

  it('opens the new port beside the old one (sshd, UFW copied from the old rule, jail), then closes the old one', () => {
    const facts = debianFacts({ ufw: ufwOn(SSH22), fail2ban: { installed: true, version: '1.0.2', state: 'active', enabled: 'enabled', jailFiles: [{ path: JAIL_FILE, content: JAIL }] } });
    const ctx = { facts, login };
    expect(checkPort(ctx, p(2222)).status).toBe('drift');
    const open = portStage(ctx, p(2222), 'open', [22]);
    expect(open.refused).toBeUndefined();
    const dropin = open.files.find((f) => f.path === '/etc/ssh/sshd_config.d/00-bulwark.conf')!.after!;
    expect(dropin).toMatch(/^Port 22\nPort 2222\n$/m);
    expect(open.files.find((f) => f.path === JAIL_FILE)?.after).toMatch(/^port = 22,2222$/m);
    expect(open.commands[0]).toBe("ufw allow proto tcp from 'any' to any port 2222 comment 'bulwark: ssh'");
    expect(open.commands).toContain('systemctl reload ssh');
    expect(open.commands.some((c) => c.includes("sport = :2222"))).toBe(true);
    expect(open.apply?.deadmanSeconds).toBe(90);
    expect(open.apply?.touch).toContain('/etc/ufw/user.rules');
    expect(open.apply?.validate).toEqual(['sshd -t', 'fail2ban-client -t']);

    const opened = debianFacts({
      sshd: { ...facts.sshd, effective: parseSshdT('port 22\nport 2222'), dropins: [{ path: '/etc/ssh/sshd_config.d/00-bulwark.conf', content: dropin }] },
      ufw: ufwOn(`${SSH22}### tuple ### allow tcp 2222 0.0.0.0/0 any 0.0.0.0/0 in\n`),
      fail2ban: { ...facts.fail2ban, jailFiles: [{ path: JAIL_FILE, content: JAIL.replace('port = 22', 'port = 22,2222') }] },
    });
    const close = portStage({ facts: opened, login }, p(2222), 'close', [22]);
    expect(close.commands[0]).toBe("ufw delete allow proto tcp from 'any' to any port 22");
    expect(close.files.find((f) => f.path.endsWith('00-bulwark.conf'))?.after).not.toMatch(/^Port 22$/m);
    expect(close.files.find((f) => f.path === JAIL_FILE)?.after).toMatch(/^port = 2222$/m);
  });

  it('refuses when UFW would not let Bulwark reach the new port (a deny rule before it)', () => {
    const facts = debianFacts({ ufw: ufwOn(`### tuple ### deny tcp 2222 0.0.0.0/0 any 0.0.0.0/0 in\n${SSH22}`) });
    const plan = planHost({ facts, login }, [{ control: sshdPort, params: p(2222) }]);
    expect(plan.controls[0]!.refused?.reason).toMatch(/Bulwark's address 10\.0\.0\.1 reach SSH on the new port 2222.*deny/);
  });

  it('refuses when ListenAddress carries the port', () => {
    const facts = debianFacts({ sshd: { ...debianFacts().sshd, dropins: [{ path: '/etc/ssh/sshd_config.d/10-listen.conf', content: 'ListenAddress 0.0.0.0:22' }] } });
    expect(portStage({ facts, login }, p(2222), 'open', [22]).refused?.reason).toMatch(/10-listen\.conf:1: ListenAddress 0\.0\.0\.0:22/);
  });

  it('comments out Port lines elsewhere; with ssh.socket it writes the socket drop-in and restarts the socket', () => {
    const main = `Port 22\n${debianFacts().sshd.mainConfig}`;
    const facts = debianFacts({ sshSocketActive: true, sshd: { ...debianFacts().sshd, mainConfig: main } });
    const open = portStage({ facts, login }, p(2222), 'open', [22]);
    expect(open.files.find((f) => f.path === '/etc/ssh/sshd_config')?.after).toMatch(/^# Port 22 {2}# disabled by Bulwark/m);
    expect(open.files.find((f) => f.path === SOCKET_DROPIN)?.after).toBe('# Managed by Bulwark: the ports sshd listens on.\n[Socket]\nListenStream=\nListenStream=22\nListenStream=2222\n');
    expect(open.commands).toEqual(expect.arrayContaining(['systemctl daemon-reload', 'systemctl restart ssh.socket']));
    expect(open.apply?.onRestore).toEqual(expect.arrayContaining(['systemctl daemon-reload', 'systemctl restart ssh.socket']));
  });

  it('shows both stages in the plan; once moved, keeps Port in the drop-in when another control re-renders it', () => {
    const staged = planWithStages({ facts: debianFacts(), login }, [{ control: sshdPort, params: p(2222) }]);
    expect(staged.apply).toBeNull();
    expect(staged.stages?.map((s) => s.name)).toEqual(['open port 2222 beside 22', 'close 22']);

    const moved = debianFacts({ sshd: { ...debianFacts().sshd, effective: parseSshdT('port 2222\npasswordauthentication yes'), dropins: [{ path: '/etc/ssh/sshd_config.d/00-bulwark.conf', content: 'Port 2222\n' }] } });
    const withPort = planHost({ facts: moved, login: { ...login, port: 2222 } }, [{ control: sshdAuth, params: { permitRootLogin: 'no' } }, { control: sshdPort, params: p(2222) }]);
    expect(withPort.files.find((f) => f.path.endsWith('00-bulwark.conf'))?.after).toMatch(/^Port 2222$/m);
    // a profile without the port control keeps the port too
    const without = planHost({ facts: moved, login: { ...login, port: 2222 } }, [{ control: sshdAuth, params: { permitRootLogin: 'no' } }]);
    expect(without.files.find((f) => f.path.endsWith('00-bulwark.conf'))?.after).toMatch(/^Port 2222$/m);
  });
});
