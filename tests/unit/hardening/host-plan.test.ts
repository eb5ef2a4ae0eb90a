import { describe, expect, it } from 'vitest';
import { emptyPlan, type Control } from '../../../main/services/hardening/control';
import { sshKeyAccess } from '../../../main/services/hardening/controls/ssh-key-access';
import { sshdAuth } from '../../../main/services/hardening/controls/sshd-auth';
import { planHost } from '../../../main/services/hardening/host-plan';
import { expectCode } from '../../helpers/expect-error';
import { DEBIAN_MAIN_CONFIG, compliantSshdT, debianFacts } from './facts-fixture';

const admin = { user: 'admin', port: 22, method: 'publickey' as const, pinnedKeyTypes: ['ssh-ed25519'] };
const sel = (permitRootLogin = 'no') => [
  { control: sshKeyAccess, params: {} },
  { control: sshdAuth, params: { permitRootLogin } },
];

describe('planHost with the sshd authentication control', () => {
  it('plans one new drop-in, sshd -t, a reload and the switch on a stock Debian host', () => {
    const p = planHost({ facts: debianFacts(), login: admin }, sel());
    expect(p.controls.map((c) => [c.id, c.check.status])).toEqual([
      ['ssh-key-access', 'compliant'],
      ['sshd-auth', 'drift'],
    ]);
    expect(p.files.map((f) => f.path)).toEqual(['/etc/ssh/sshd_config.d/00-bulwark.conf']);
    expect(p.files[0]!.diff).toContain('--- /dev/null\n+++ b/etc/ssh/sshd_config.d/00-bulwark.conf');
    expect(p.files[0]!.diff).toMatch(/^\+PermitRootLogin no$/m);
    expect(p.apply).toMatchObject({ validate: ['sshd -t'], commands: ['systemctl reload ssh'], onRestore: ['systemctl reload ssh'], deadmanSeconds: 90 });
    expect(p.cutsAccess).toBe(true);
  });

  it('plans nothing on a compliant host (idempotence)', () => {
    const p = planHost({ facts: debianFacts({}, compliantSshdT), login: admin }, sel());
    expect(p.controls[1]!.check.status).toBe('compliant');
    expect(p.apply).toBeNull();
    expect(p.files).toEqual([]);
  });

  it('keeps the existing drop-in when it already says exactly this', () => {
    const first = planHost({ facts: debianFacts(), login: admin }, sel());
    const dropin = { path: '/etc/ssh/sshd_config.d/00-bulwark.conf', content: first.files[0]!.after!.trimEnd() };
    // sshd -T still drifting (e.g. not reloaded): only the reload remains to do, and the file stays
    const p = planHost({ facts: debianFacts({ sshd: { ...debianFacts().sshd, dropins: [dropin] } }), login: admin }, sel());
    expect(p.files).toEqual([]);
  });

  it('adds the Include to a main file without one, and comments out main-file lines above it', () => {
    const main = `PasswordAuthentication yes\n${DEBIAN_MAIN_CONFIG}`;
    const p = planHost({ facts: debianFacts({ sshd: { ...debianFacts().sshd, mainConfig: main } }), login: admin }, sel());
    const mf = p.files.find((f) => f.path === '/etc/ssh/sshd_config')!;
    expect(mf.diff).toMatch(/^-PasswordAuthentication yes$/m);
    expect(mf.diff).toMatch(/^\+# PasswordAuthentication yes {2}# disabled by Bulwark/m);

    const noInclude = DEBIAN_MAIN_CONFIG.replace(/^Include .*\n/, '');
    const q = planHost({ facts: debianFacts({ sshd: { ...debianFacts().sshd, mainConfig: noInclude } }), login: admin }, sel());
    const mq = q.files.find((f) => f.path === '/etc/ssh/sshd_config')!;
    expect(mq.after!.split('\n')[0]).toBe('Include /etc/ssh/sshd_config.d/*.conf');
  });

  it('does not reload a socket-activated sshd (it reads the config per connection)', () => {
    const p = planHost({ facts: debianFacts({ sshSocketActive: true }), login: admin }, sel());
    expect(p.apply?.commands).toEqual([]);
    expect(p.apply?.validate).toEqual(['sshd -t']);
  });

  it('refuses password-off while Bulwark logs in by password, and root-off while it logs in as root', () => {
    const byPw = planHost({ facts: debianFacts(), login: { ...admin, method: 'password' } }, sel());
    expect(byPw.controls[0]!.check.status).toBe('drift');
    expect(byPw.controls[1]!.refused?.fix).toMatch(/Deploy a key first/);
    expect(byPw.apply).toBeNull();

    const asRoot = planHost({ facts: debianFacts(), login: { ...admin, user: 'root' } }, sel());
    expect(asRoot.controls[1]!.refused?.reason).toMatch(/as root, and PermitRootLogin no would lock it out/);
    expect(planHost({ facts: debianFacts(), login: { ...admin, user: 'root' } }, sel('prohibit-password')).apply).not.toBeNull();
  });

  it('says unknown, and changes nothing, when sshd -T did not run', () => {
    const facts = debianFacts({ sshd: { ...debianFacts().sshd, effective: new Map(), testError: 'line 3: Bad configuration option' } });
    const p = planHost({ facts, login: admin }, sel());
    expect(p.controls[1]!.check).toEqual({ status: 'unknown', evidence: ['sshd -T failed: line 3: Bad configuration option'] });
    expect(p.apply).toBeNull();
  });

  it('refuses two controls that want different values for one keyword', () => {
    const other: Control = {
      id: 'x',
      title: 'x',
      reason: '',
      kind: 'change',
      params: sshKeyAccess.params,
      check: () => ({ status: 'drift', evidence: [] }),
      plan: () => ({ ...emptyPlan(), sshd: new Map([['PermitRootLogin', 'yes']]) }),
    };
    expectCode(() => planHost({ facts: debianFacts(), login: admin }, [...sel(), { control: other, params: {} }]), 'VALIDATION', /PermitRootLogin differently/);
  });
});
