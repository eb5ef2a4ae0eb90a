/**
 * A profile as an Ansible playbook that leaves a host as Bulwark's apply would, so a Bulwark
 * audit afterwards says compliant. File contents come from the controls' own renderers (the
 * sshd drop-in, the fail2ban jail, 20auto-upgrades); what they depend on per host (the sshd
 * ports, the auth log, the controller's address from $SSH_CONNECTION, a port Bulwark moved sshd
 * to) is read by the playbook at run time and filled in with Jinja.
 *
 * Not everything Bulwark does has a playbook equivalent, and the header says so: check-only
 * controls (nothing to change), lines of sshd_config that override the drop-in (Bulwark comments
 * them out), and the staged sshd port change, which is refused: a one-pass port move drops the
 * session it runs over before anything proved the new port reachable, which is the lockout
 * Bulwark's two stages with a fresh connection in between exist to prevent.
 */
import type { TextFile } from '../../../shared/domain/hardening';
import { BulwarkError } from '../../../shared/errors';
import { yamlString } from '../inventory/yaml-text';
import type { ControlContext } from './control';
import { type Fail2banParams, JAIL_FILE, renderJail } from './controls/fail2ban';
import { type SshdAuthParams, sshdAuthSettings } from './controls/sshd-auth';
import { SSHD_PORT_ID, type SshdPortParams } from './controls/sshd-port';
import { MODULI_FILTER, type SshdStrictParams, sshdStrictSettings } from './controls/sshd-strict';
import type { UfwParams } from './controls/ufw';
import { AUTO_UPGRADES, AUTO_UPGRADES_LINES } from './controls/unattended-upgrades';
import { type HostFacts, parseFacts } from './facts';
import type { ControlSelection } from './host-plan';
import { type Profile, selectionsOf } from './profiles';
import { BULWARK_DROPIN, DEBIAN_INCLUDE, DROPIN_DIR, renderDropin } from './sshd-config';

export function ansibleFileName(id: string): string {
  return `${id}.ansible.yml`;
}

/** Registered at run time; the Jinja below reads them. */
const V = {
  connection: 'bulwark_ssh_connection',
  controller: "bulwark_ssh_connection.stdout.split()[0]",
  sshdT: 'bulwark_sshd_t',
  ports: 'bulwark_ssh_ports',
  keptPorts: 'bulwark_kept_ports',
  socket: 'bulwark_ssh_socket',
  authLog: 'bulwark_auth_log',
  secureLog: 'bulwark_secure_log',
  reach: 'bulwark_ssh_reachable',
} as const;

/** Text from profile parameters goes into Jinja-templated strings: it must stay literal. */
function literal(text: string, what: string): string {
  if (/\{\{|\{%|\{#/.test(text)) throw new BulwarkError('VALIDATION', `${what} contains Jinja delimiters ({{, {% or {#), which Ansible would evaluate`);
  return text;
}

/** A comment line from free text (profile names and descriptions are user input). */
function comment(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ').trim();
}

/** A YAML literal block at `indent` spaces; the text ends with one newline. */
function block(text: string, indent: number): string[] {
  const pad = ' '.repeat(indent);
  return text.replace(/\n$/, '').split('\n').map((l) => (l === '' ? '' : pad + l));
}

/** An empty fact set with what the jail renderer reads replaced by Jinja that the host fills in. */
function jailContext(authLog: HostFacts['authLog']): ControlContext {
  const base = parseFacts('', 'x', '');
  const facts: HostFacts = {
    ...base,
    sshd: { ...base.sshd, effective: new Map([['port', [`{{ ${V.ports} | join(',') }}`]]]) },
    authLog,
    connection: { clientAddress: `{{ ${V.controller} }}`, clientPort: 0, serverAddress: '', serverPort: 0 },
  };
  return { facts, login: { user: 'ansible', port: 22, method: 'publickey', pinnedKeyTypes: [] } };
}

interface Parts {
  tasks: string[][];
  handlers: Map<string, string[]>;
  needs: Set<'connection' | 'ports' | 'socket'>;
}

const RELOAD_SSHD = 'Reload sshd';
const RESTART_FAIL2BAN = 'Restart fail2ban';

function sshdTasks(sel: readonly ControlSelection[], parts: Parts): void {
  // the drop-in says everything every sshd control of the profile asks, as Bulwark's plan merges it
  const settings = new Map<string, string>();
  for (const { control, params } of sel) {
    const s = control.id === 'sshd-auth' ? sshdAuthSettings(params as SshdAuthParams) : control.id === 'sshd-strict' ? sshdStrictSettings(params as SshdStrictParams) : null;
    if (!s) continue;
    for (const [k, v] of s) {
      const prior = settings.get(k);
      if (prior !== undefined && prior !== v) throw new BulwarkError('VALIDATION', `Two controls set ${k} differently (${prior} and ${v})`);
      settings.set(k, v);
    }
  }
  if (settings.size === 0) return;
  parts.needs.add('socket');
  const dropin = literal(renderDropin(settings), 'The sshd settings');
  parts.tasks.push(
    [
      `- name: Ports Bulwark moved sshd to (its drop-in keeps them)`,
      `  ansible.builtin.command:`,
      `    argv: [awk, 'tolower($1) == "port" && $2 ~ /^[0-9]+$/ && NF == 2 { print $2 }', ${BULWARK_DROPIN}]`,
      `  register: ${V.keptPorts}`,
      `  changed_when: false`,
      `  failed_when: false`,
    ],
    [`- name: sshd drop-in directory`, `  ansible.builtin.file:`, `    path: ${DROPIN_DIR}`, `    state: directory`, `    owner: root`, `    group: root`, `    mode: "0755"`],
    [
      `- name: sshd drop-in (${[...settings.keys()].length} settings)`,
      `  ansible.builtin.copy:`,
      `    dest: ${BULWARK_DROPIN}`,
      `    owner: root`,
      `    group: root`,
      `    mode: "0644"`,
      `    validate: /usr/sbin/sshd -t -f %s`,
      `    content: |`,
      ...block(dropin, 6),
      `      {% for port in ${V.keptPorts}.stdout_lines %}`,
      `      Port {{ port }}`,
      `      {% endfor %}`,
      `  notify: ${RELOAD_SSHD}`,
    ],
    [
      // without the Include the drop-in is never read (Debian ships it as the first line)
      `- name: sshd_config reads the drop-in directory`,
      `  ansible.builtin.lineinfile:`,
      `    path: /etc/ssh/sshd_config`,
      `    regexp: ${yamlString(`^\\s*Include\\s+${DROPIN_DIR.replace(/\./g, '\\.')}/\\*\\.conf\\s*$`)}`,
      `    line: ${yamlString(DEBIAN_INCLUDE)}`,
      `    insertbefore: BOF`,
      `    firstmatch: true`,
      `    validate: /usr/sbin/sshd -t -f %s`,
      `  notify: ${RELOAD_SSHD}`,
    ],
  );
  const strict = sel.find((s) => s.control.id === 'sshd-strict');
  if (strict && (strict.params as SshdStrictParams).removeSmallModuli) {
    // as Bulwark: only when groups under 3072 bits exist AND some are left (an empty file disables group exchange)
    const has = (cond: string) => `awk '!/^#/ && NF >= 7 && ${cond} { found = 1 } END { exit !found }' /etc/ssh/moduli`;
    parts.tasks.push([
      `- name: Diffie-Hellman groups under 3072 bits removed from /etc/ssh/moduli`,
      `  ansible.builtin.shell: ${yamlString(`if [ -f /etc/ssh/moduli ] && ${has('$5 < 3071')} && ${has('$5 >= 3071')}; then ${MODULI_FILTER} && echo filtered; fi`)}`,
      `  register: bulwark_moduli`,
      `  changed_when: "'filtered' in bulwark_moduli.stdout"`,
      `  notify: ${RELOAD_SSHD}`,
    ]);
  }
  parts.handlers.set(RELOAD_SSHD, [
    `- name: ${RELOAD_SSHD}`,
    `  ansible.builtin.service:`,
    `    name: ssh`,
    `    state: reloaded`,
    // a socket-activated sshd reads its configuration per connection: nothing to reload
    `  when: ${V.socket}.stdout != 'active'`,
  ]);
}

function ufwTasks(p: UfwParams, parts: Parts): void {
  parts.needs.add('ports');
  const sshFrom = p.sshFrom === 'anywhere' ? null : literal(p.sshFrom, 'sshFrom');
  const lan = p.lanCidr === null ? null : literal(p.lanCidr, 'lanCidr');
  parts.tasks.push([`- name: UFW installed`, `  ansible.builtin.apt:`, `    name: ufw`, `    state: present`]);
  if (sshFrom) {
    // Bulwark refuses to enable a firewall that would cut its own session; so does this playbook
    parts.needs.add('connection');
    const check = 'import ipaddress, sys; a = ipaddress.ip_address(sys.argv[1]); sys.exit(0 if any(a in ipaddress.ip_network(n, strict=False) for n in sys.argv[2:]) else 1)';
    parts.tasks.push(
      [
        `- name: Is the controller's address in the ranges allowed to reach SSH`,
        `  ansible.builtin.command:`,
        `    argv: [python3, -c, ${yamlString(check)}, "{{ ${V.controller} }}", ${[sshFrom, ...(lan ? [lan] : [])].map(yamlString).join(', ')}]`,
        `  register: ${V.reach}`,
        `  changed_when: false`,
        `  failed_when: false`,
      ],
      [
        `- name: The firewall must not cut this session`,
        `  ansible.builtin.assert:`,
        `    that: ${V.reach}.rc == 0`,
        `    fail_msg: ${yamlString(`{{ ${V.controller} }} is outside ${sshFrom}${lan ? ` and ${lan}` : ''}: enabling UFW would cut this session. Allow SSH from a range that includes it.`)}`,
        `    quiet: true`,
      ],
    );
  }
  parts.tasks.push([
    `- name: UFW allows SSH${sshFrom ? ` from ${sshFrom}` : ''}`,
    `  community.general.ufw:`,
    `    rule: allow`,
    `    proto: tcp`,
    ...(sshFrom ? [`    from_ip: ${yamlString(sshFrom)}`] : []),
    `    to_port: "{{ item }}"`,
    `    comment: "bulwark: ssh"`,
    `  loop: "{{ ${V.ports} }}"`,
  ]);
  if (lan) parts.tasks.push([`- name: UFW allows everything from ${lan}`, `  community.general.ufw:`, `    rule: allow`, `    from_ip: ${yamlString(lan)}`, `    comment: "bulwark: lan"`]);
  parts.tasks.push(
    [`- name: UFW denies incoming`, `  community.general.ufw:`, `    default: deny`, `    direction: incoming`],
    [`- name: UFW allows outgoing`, `  community.general.ufw:`, `    default: allow`, `    direction: outgoing`],
    [`- name: UFW on`, `  community.general.ufw:`, `    state: enabled`],
  );
}

function fail2banTasks(p: Fail2banParams, parts: Parts): void {
  parts.needs.add('ports');
  parts.needs.add('connection');
  const variants: Array<[string, HostFacts['authLog']]> = [
    [`${V.authLog}.stat.exists`, '/var/log/auth.log'],
    [`${V.secureLog}.stat.exists`, '/var/log/secure'],
  ];
  const content: string[] = [];
  variants.forEach(([cond, log], i) => {
    content.push(`${i === 0 ? '{% if' : '{% elif'} ${cond} %}`, ...renderJail(jailContext(log), p).replace(/\n$/, '').split('\n'));
  });
  // journald only (Debian 12's default): the jail reads the journal
  content.push('{% else %}', ...renderJail(jailContext(null), p).replace(/\n$/, '').split('\n'), '{% endif %}');
  parts.tasks.push(
    [`- name: Is there an auth.log`, `  ansible.builtin.stat:`, `    path: /var/log/auth.log`, `    get_checksum: false`, `  register: ${V.authLog}`],
    [`- name: Is there a /var/log/secure`, `  ansible.builtin.stat:`, `    path: /var/log/secure`, `    get_checksum: false`, `  register: ${V.secureLog}`],
    // the jail before the package: the stock sshd jail cannot start on a journald-only host, ours can
    [`- name: fail2ban jail directory`, `  ansible.builtin.file:`, `    path: /etc/fail2ban/jail.d`, `    state: directory`, `    owner: root`, `    group: root`, `    mode: "0755"`],
    [
      `- name: fail2ban sshd jail (maxretry ${p.maxretry}, findtime ${p.findtime}, bantime ${p.bantime})`,
      `  ansible.builtin.copy:`,
      `    dest: ${JAIL_FILE}`,
      `    owner: root`,
      `    group: root`,
      `    mode: "0644"`,
      `    content: |`,
      ...block(content.join('\n'), 6),
      `  notify: ${RESTART_FAIL2BAN}`,
    ],
    [`- name: fail2ban installed`, `  ansible.builtin.apt:`, `    name: fail2ban`, `    state: present`],
    [`- name: fail2ban enabled and running`, `  ansible.builtin.service:`, `    name: fail2ban`, `    enabled: true`, `    state: started`],
  );
  parts.handlers.set(RESTART_FAIL2BAN, [`- name: ${RESTART_FAIL2BAN}`, `  ansible.builtin.service:`, `    name: fail2ban`, `    state: restarted`]);
}

function unattendedTasks(parts: Parts): void {
  parts.tasks.push(
    // as Bulwark: refresh the lists first (not more than hourly, so a second run changes nothing)
    [`- name: unattended-upgrades installed`, `  ansible.builtin.apt:`, `    name: unattended-upgrades`, `    state: present`, `    update_cache: true`, `    cache_valid_time: 3600`],
    [
      // after the install: the package's postinst may write its own version
      `- name: Daily list refresh and unattended upgrade on`,
      `  ansible.builtin.copy:`,
      `    dest: ${AUTO_UPGRADES}`,
      `    owner: root`,
      `    group: root`,
      `    mode: "0644"`,
      `    content: |`,
      ...block(`${AUTO_UPGRADES_LINES.join('\n')}\n`, 6),
    ],
    [`- name: apt's daily timers enabled`, `  ansible.builtin.systemd:`, `    name: "{{ item }}"`, `    enabled: true`, `  loop: [apt-daily.timer, apt-daily-upgrade.timer]`],
  );
}

function factTasks(needs: Parts['needs']): string[][] {
  const out: string[][] = [];
  if (needs.has('connection')) {
    out.push([
      // outside sudo, which resets the environment: the address this host sees the controller at
      `- name: The controller's address as this host sees it ($SSH_CONNECTION)`,
      `  ansible.builtin.command: printenv SSH_CONNECTION`,
      `  become: false`,
      `  register: ${V.connection}`,
      `  changed_when: false`,
    ]);
  }
  if (needs.has('ports')) {
    out.push(
      [`- name: sshd's effective settings (sshd -T)`, `  ansible.builtin.command: /usr/sbin/sshd -T`, `  register: ${V.sshdT}`, `  changed_when: false`],
      [`- name: The ports sshd listens on`, `  ansible.builtin.set_fact:`, `    ${V.ports}: "{{ ${V.sshdT}.stdout_lines | select('match', '^port ') | map('regex_replace', '^port ', '') | list }}"`],
    );
  }
  if (needs.has('socket')) {
    out.push([`- name: Is sshd socket-activated`, `  ansible.builtin.command: systemctl is-active ssh.socket`, `  register: ${V.socket}`, `  changed_when: false`, `  failed_when: false`]);
  }
  return out;
}

/** The playbook; VALIDATION when the profile asks for a port change (see the file comment). */
export function profileToAnsible(profile: Profile): TextFile {
  const sel = selectionsOf(profile);
  const port = sel.find((s) => s.control.id === SSHD_PORT_ID);
  if (port && (port.params as SshdPortParams).port !== undefined) {
    throw new BulwarkError(
      'VALIDATION',
      `Profile "${profile.id}" moves sshd to port ${(port.params as SshdPortParams).port}, which is not exported to Ansible: a one-pass port change drops the connection it runs over before anything proves the new port is reachable, and can lock you out. Bulwark moves the port in two stages with a fresh connection in between; apply the port change with Bulwark, or export a copy of the profile without sshd-port.`,
      { 'sshd-port.port': 'is not exported to Ansible' },
    );
  }
  const parts: Parts = { tasks: [], handlers: new Map(), needs: new Set() };
  sshdTasks(sel, parts);
  for (const { control, params } of sel) {
    if (control.id === 'ufw') ufwTasks(params as UfwParams, parts);
    else if (control.id === 'fail2ban') fail2banTasks(params as Fail2banParams, parts);
    else if (control.id === 'unattended-upgrades') unattendedTasks(parts);
  }
  const exported = new Set(['sshd-auth', 'sshd-strict', 'ufw', 'fail2ban', 'unattended-upgrades']);
  const unknownChange = sel.find((s) => s.control.kind === 'change' && !exported.has(s.control.id) && s.control.id !== SSHD_PORT_ID);
  if (unknownChange) throw new BulwarkError('INTERNAL', `The Ansible export does not know the change control ${unknownChange.control.id}`);
  const checks = sel.filter((s) => s.control.kind === 'check');
  const changes = sel.filter((s) => s.control.kind === 'change' && exported.has(s.control.id));

  const header = [
    `# Bulwark hardening profile "${comment(profile.name)}" (${profile.id}) as an Ansible playbook.`,
    ...(profile.description ? [`# ${comment(profile.description)}`] : []),
    '#',
    `# It makes the changes Bulwark's apply makes (${changes.map((s) => s.control.id).join(', ') || 'none'}), with the same`,
    '# file contents, so "bulwark audit" afterwards reports those controls compliant. For Debian and',
    '# Ubuntu hosts (apt, the ssh service); needs python3 on the hosts, become (sudo) and the',
    '# community.general collection (ufw). A second run changes nothing.',
    '#   ansible-playbook -i INVENTORY --ask-become-pass ' + ansibleFileName(profile.id),
    '#',
    '# What Bulwark does and this playbook does not:',
    '# - Bulwark verifies each change from a fresh SSH connection and rolls a host back when it',
    '#   cannot get in again; run this playbook on one host first and keep a session open.',
    '# - Lines of /etc/ssh/sshd_config above its Include that set the same keywords win over the',
    '#   drop-in; Bulwark comments them out, this playbook does not (Debian puts the Include first).',
    ...(port ? ['# - sshd-port chooses no port in this profile: nothing to export.'] : []),
    ...(checks.length
      ? ['# Check-only controls, not in the playbook (they change nothing; "bulwark audit" reports them):', ...checks.map((s) => `# - ${s.control.id}: ${comment(s.control.title)}`)]
      : []),
  ];
  const tasks = [...factTasks(parts.needs), ...parts.tasks];
  const lines = [
    ...header,
    `- name: ${yamlString(`Bulwark profile ${profile.id}`)}`,
    '  hosts: all',
    '  gather_facts: false',
    '  become: true',
    ...(tasks.length ? ['  tasks:', ...tasks.flatMap((t, i) => [...(i ? [''] : []), ...t.map((l) => (l ? `    ${l}` : l))])] : ['  tasks: []']),
    ...(parts.handlers.size ? ['', '  handlers:', ...[...parts.handlers.values()].flatMap((h, i) => [...(i ? [''] : []), ...h.map((l) => `    ${l}`)])] : []),
    '',
  ];
  return { text: lines.join('\n'), fileName: ansibleFileName(profile.id) };
}
