/**
 * The Ansible export against Bulwark's own plan: the drop-in and the jail the playbook writes
 * are, once the host's values are filled in, the very files Bulwark's plan writes on a stock
 * Debian host. The playbook is valid YAML (as PyYAML reads it), states what it leaves out,
 * refuses a port change, and keeps user text out of what Ansible templates. Running it on real
 * hosts: tests/integration/hardening/ansible-export.test.ts.
 */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { profileToAnsible } from '../../../main/services/hardening/ansible-export';
import { planHost } from '../../../main/services/hardening/host-plan';
import { type Profile, findProfile, selectionsOf } from '../../../main/services/hardening/profiles';
import { expectCode } from '../../helpers/expect-error';
import { debianFacts } from './facts-fixture';

interface Task { name: string; [module: string]: unknown }
interface Play { name: string; hosts: string; become: boolean; tasks: Task[]; handlers?: Task[] }

const login = { user: 'admin', port: 22, method: 'publickey' as const, pinnedKeyTypes: ['ssh-ed25519'] };

function playOf(p: Profile): Play {
  const plays = parse(profileToAnsible(p).text, { version: '1.1' }) as Play[];
  expect(plays).toHaveLength(1);
  return plays[0]!;
}

function copyContent(play: Play, dest: string): string {
  const t = play.tasks.find((x) => (x['ansible.builtin.copy'] as { dest?: string } | undefined)?.dest === dest);
  expect(t, dest).toBeDefined();
  return (t!['ansible.builtin.copy'] as { content: string }).content;
}

/** The Jinja as Ansible (trim_blocks) renders it for one host; only the constructs the export uses. */
function render(template: string, host: { ports: string[]; controller: string; authLog: boolean; kept: string[] }): string {
  let t = template.replace(/^\{% for port in bulwark_kept_ports\.stdout_lines %\}\n([\s\S]*?)\{% endfor %\}\n/m, (_m, body: string) => host.kept.map((p) => body.replace('{{ port }}', p)).join(''));
  t = t.replace(/^\{% if bulwark_auth_log\.stat\.exists %\}\n([\s\S]*?)\{% elif [^\n]*\n[\s\S]*?\{% else %\}\n([\s\S]*?)\{% endif %\}\n/m, (_m, a: string, none: string) => (host.authLog ? a : none));
  return t.replaceAll("{{ bulwark_ssh_ports | join(',') }}", host.ports.join(',')).replaceAll('{{ bulwark_ssh_connection.stdout.split()[0] }}', host.controller);
}

describe('Ansible export', () => {
  it('writes the drop-in and the jail Bulwark plans on a stock Debian host, for every built-in profile', () => {
    for (const id of ['guide-baseline', 'strict-ssh', 'proxmox-node']) {
      const profile = findProfile(id);
      const play = playOf(profile);
      for (const authLog of [true, false]) {
        const facts = debianFacts({ authLog: authLog ? '/var/log/auth.log' : null });
        const plan = planHost({ facts, login }, selectionsOf(profile));
        const host = { ports: ['22'], controller: facts.connection!.clientAddress, authLog, kept: [] };
        const after = (path: string) => plan.files.find((f) => f.path === path)!.after;
        expect(render(copyContent(play, '/etc/ssh/sshd_config.d/00-bulwark.conf'), host), id).toBe(after('/etc/ssh/sshd_config.d/00-bulwark.conf'));
        expect(render(copyContent(play, '/etc/fail2ban/jail.d/zz-bulwark-sshd.local'), host), id).toBe(after('/etc/fail2ban/jail.d/zz-bulwark-sshd.local'));
      }
    }
  });

  it('keeps a port Bulwark moved sshd to, as its plan does', () => {
    const profile = findProfile('guide-baseline');
    const facts = debianFacts({
      sshd: { ...debianFacts().sshd, dropins: [{ path: '/etc/ssh/sshd_config.d/00-bulwark.conf', content: 'PasswordAuthentication yes\nPort 2222\n' }] },
    });
    const plan = planHost({ facts, login }, selectionsOf(profile));
    const dropin = copyContent(playOf(profile), '/etc/ssh/sshd_config.d/00-bulwark.conf');
    expect(render(dropin, { ports: ['2222'], controller: '10.0.0.1', authLog: true, kept: ['2222'] })).toBe(plan.files.find((f) => f.path.endsWith('00-bulwark.conf'))!.after);
  });

  it('guide-baseline: the tasks, the handlers, and the check-only controls named in the header', () => {
    const { text } = profileToAnsible(findProfile('guide-baseline'));
    expect(text).toMatch(/^# Check-only controls, not in the playbook[^\n]*\n# - ssh-key-access: [^\n]+\n# - containers: /m);
    const play = playOf(findProfile('guide-baseline'));
    expect(play).toMatchObject({ hosts: 'all', become: true, gather_facts: false });
    const modules = play.tasks.map((t) => Object.keys(t).find((k) => k.includes('.'))!);
    expect(modules).toContain('community.general.ufw');
    expect(modules).not.toContain('ansible.builtin.systemd'); // no unattended-upgrades in the baseline
    expect(play.tasks.find((t) => t.name.includes('SSH_CONNECTION'))).toMatchObject({ become: false, changed_when: false });
    expect(play.handlers!.map((h) => h.name)).toEqual(['Reload sshd', 'Restart fail2ban']);
    // every task reading the host changes nothing, so a second run reports changed=0
    for (const t of play.tasks) if (t['ansible.builtin.command'] || t['ansible.builtin.shell']) expect(t.changed_when, t.name).toBeDefined();
  });

  it('strict-ssh adds automatic updates; a profile without sshd or firewall controls has neither', () => {
    const strict = playOf(findProfile('strict-ssh'));
    expect(copyContent(strict, '/etc/apt/apt.conf.d/20auto-upgrades')).toBe('APT::Periodic::Update-Package-Lists "1";\nAPT::Periodic::Unattended-Upgrade "1";\n');
    expect(strict.tasks.some((t) => t.name.includes('moduli'))).toBe(true);
    const onlyF2b = playOf({ id: 'jail-only', name: 'Jail', description: '', controls: [{ id: 'fail2ban' }, { id: 'exposure' }] });
    expect(onlyF2b.tasks.some((t) => JSON.stringify(t).includes('sshd_config'))).toBe(false);
    expect(onlyF2b.tasks.some((t) => JSON.stringify(t).includes('community.general.ufw'))).toBe(false);
    expect(onlyF2b.handlers!.map((h) => h.name)).toEqual(['Restart fail2ban']);
  });

  it('a restricted SSH source: rules from that range, and an assertion before the firewall goes on', () => {
    const play = playOf({ id: 'lan', name: 'LAN', description: '', controls: [{ id: 'ufw', params: { sshFrom: '192.168.0.0/16', lanCidr: '10.1.0.0/16' } }] });
    const names = play.tasks.map((t) => t.name);
    const assertAt = names.indexOf('The firewall must not cut this session');
    expect(assertAt).toBeGreaterThan(-1);
    expect(assertAt).toBeLessThan(names.indexOf('UFW on'));
    const check = play.tasks.find((t) => t.name.startsWith("Is the controller's address"))!['ansible.builtin.command'] as { argv: string[] };
    expect(check.argv.slice(-2)).toEqual(['192.168.0.0/16', '10.1.0.0/16']);
    expect(play.tasks.find((t) => t.name.startsWith('UFW allows SSH'))!['community.general.ufw']).toMatchObject({ from_ip: '192.168.0.0/16', proto: 'tcp', comment: 'bulwark: ssh' });
    expect(play.tasks.find((t) => t.name.startsWith('UFW allows everything'))!['community.general.ufw']).toMatchObject({ from_ip: '10.1.0.0/16', comment: 'bulwark: lan' });
  });

  it('refuses a port change and says why; sshd-port without a port is only noted', () => {
    expectCode(() => profileToAnsible({ id: 'moved', name: 'Moved', description: '', controls: [{ id: 'sshd-port', params: { port: 2222 } }] }), 'VALIDATION', /moves sshd to port 2222, which is not exported to Ansible: .*lock you out/);
    const { text } = profileToAnsible({ id: 'unmoved', name: 'Unmoved', description: '', controls: [{ id: 'sshd-port' }, { id: 'sshd-auth' }] });
    expect(text).toContain('# - sshd-port chooses no port in this profile: nothing to export.');
  });

  it('keeps user text out of what Ansible templates, and out of YAML structure', () => {
    const hostile: Profile = { id: 'evil', name: "{{ lookup('pipe', 'id') }}\n- hosts: all", description: "{% raw %}\n  tasks: [{ shell: 'rm -rf /' }]", controls: [{ id: 'sshd-auth' }] };
    const { text } = profileToAnsible(hostile);
    const plays = parse(text, { version: '1.1' }) as Play[];
    expect(plays).toHaveLength(1);
    expect(plays[0]!.name).toBe('Bulwark profile evil');
    // the user's text appears only inside comments
    for (const line of text.split('\n').filter((l) => l.includes('lookup') || l.includes('rm -rf'))) expect(line.startsWith('#'), line).toBe(true);
  });
});
