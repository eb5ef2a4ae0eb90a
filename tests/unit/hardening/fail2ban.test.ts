import { describe, expect, it } from 'vitest';
import { JAIL_FILE, fail2ban, fail2banParams, renderJail } from '../../../main/services/hardening/controls/fail2ban';
import { planHost } from '../../../main/services/hardening/host-plan';
import { debianFacts } from './facts-fixture';

const login = { user: 'admin', port: 22, method: 'publickey' as const, pinnedKeyTypes: ['ssh-ed25519'] };
const params = fail2banParams.parse({});

describe('fail2ban control', () => {
  it('reads the journal where there is no auth.log (Debian 12), the file where there is', () => {
    const journald = renderJail({ facts: debianFacts({ authLog: null }), login }, params);
    expect(journald).toMatch(/^backend = systemd$/m);
    expect(journald).not.toMatch(/logpath/);
    const file = renderJail({ facts: debianFacts(), login }, params);
    expect(file).toMatch(/^logpath = \/var\/log\/auth\.log$/m);
    expect(file).toMatch(/^maxretry = 3$\nfindtime = 600\nbantime = 3600$/m);
    expect(file).toMatch(/^ignoreip = 127\.0\.0\.1\/8 ::1 10\.0\.0\.1$/m);
    expect(file).toMatch(/^port = 22$/m);
  });

  it('plans the jail file, a config test, a restart and a wait for the jail; compliant afterwards', () => {
    const ctx = { facts: debianFacts(), login };
    const p = planHost(ctx, [{ control: fail2ban, params }]);
    expect(p.files.map((f) => f.path)).toEqual([JAIL_FILE]);
    expect(p.apply).toMatchObject({ validate: ['fail2ban-client -t'], deadmanSeconds: 0, onRestore: ['systemctl restart fail2ban'] });
    expect(p.apply?.commands.at(-1)).toMatch(/fail2ban-client status sshd$/);

    const done = debianFacts({ fail2ban: { ...ctx.facts.fail2ban, jailFiles: [{ path: JAIL_FILE, content: renderJail(ctx, params).trimEnd() }] } });
    expect(planHost({ facts: done, login }, [{ control: fail2ban, params }]).apply).toBeNull();
  });

  it('drifts when a later jail file changes [sshd], and when the service is not running', () => {
    const ctx = { facts: debianFacts(), login };
    const ours = { path: JAIL_FILE, content: renderJail(ctx, params).trimEnd() };
    const later = debianFacts({ fail2ban: { ...ctx.facts.fail2ban, jailFiles: [ours, { path: '/etc/fail2ban/jail.d/zzz.local', content: '[sshd]\nmaxretry = 10' }] } });
    const c = fail2ban.check({ facts: later, login }, params);
    expect(c.status).toBe('drift');
    expect(c.evidence).toContain("/etc/fail2ban/jail.d/zzz.local is read after Bulwark's jail and changes [sshd]");
    const failed = debianFacts({ fail2ban: { ...ctx.facts.fail2ban, state: 'failed', jailFiles: [ours] } });
    expect(fail2ban.check({ facts: failed, login }, params).status).toBe('drift');
  });

  it('rejects out-of-range numbers', () => {
    expect(() => fail2banParams.parse({ maxretry: 0 })).toThrow();
    expect(() => fail2banParams.parse({ bantime: 10 })).toThrow();
    expect(() => fail2banParams.parse({ maxretry: '3; reboot' })).toThrow();
  });
});
