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

  it('a running fail2ban: the jail file, a reload (which checks the configuration first) and the jail status; compliant afterwards', () => {
    const ctx = { facts: debianFacts(), login };
    const p = planHost(ctx, [{ control: fail2ban, params }]);
    expect(p.files.map((f) => f.path)).toEqual([JAIL_FILE]);
    expect(p.apply).toMatchObject({ validate: [], deadmanSeconds: 0 });
    expect(p.apply?.onRestore).toEqual(['fail2ban-client reload >/dev/null 2>&1 || fail2ban-client status sshd >/dev/null 2>&1 || systemctl restart fail2ban']);
    expect(p.apply?.commands).toEqual(['fail2ban-client reload', 'fail2ban-client status sshd']);

    const done = debianFacts({ fail2ban: { ...ctx.facts.fail2ban, jailFiles: [{ path: JAIL_FILE, content: renderJail(ctx, params).trimEnd() }] } });
    expect(planHost({ facts: done, login }, [{ control: fail2ban, params }]).apply).toBeNull();
  });

  it('a stopped or failed fail2ban (the stock jail on Debian 12 without auth.log): enable, restart, wait for the jail; stop again on restore', () => {
    const base = debianFacts();
    const failed = debianFacts({ authLog: null, fail2ban: { ...base.fail2ban, state: 'failed', enabled: 'disabled' } });
    const p = planHost({ facts: failed, login }, [{ control: fail2ban, params }]);
    expect(p.apply?.commands.slice(0, 2)).toEqual(['systemctl enable --quiet fail2ban', 'systemctl restart fail2ban']);
    // the socket first (a shell test), then the jail with backing-off asks, the config test only on failure
    expect(p.apply?.commands[2]).toMatch(/^i=0; until \[ -S \/run\/fail2ban\/fail2ban\.sock \].*for d in [0-9. ]+; do fail2ban-client status sshd .*\[ -n "\$up" \] \|\| \{ fail2ban-client status sshd; fail2ban-client -t/);
    expect(p.apply?.onRestore).toEqual(['systemctl stop fail2ban']);
    const missing = debianFacts({ fail2ban: { installed: false, version: null, state: '', enabled: '', jailFiles: [] } });
    expect(planHost({ facts: missing, login }, [{ control: fail2ban, params }]).apply?.commands.slice(0, 3)).toEqual([
      'DEBIAN_FRONTEND=noninteractive apt-get install -y -q fail2ban',
      'systemctl enable --quiet fail2ban',
      'systemctl restart fail2ban',
    ]);
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
