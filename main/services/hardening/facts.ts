/**
 * Host facts: what the controls read, parsed from the facts script's sections (facts-script.ts)
 * plus $SSH_CONNECTION (read outside sudo, which resets the environment). Parsing is total:
 * odd or missing output gives empty/null facts, and the controls report "unknown" for those.
 */
import { type RawSection, splitSections } from './facts-script';

export interface OsFacts {
  id: string;
  versionId: string;
  prettyName: string;
  idLike: string[];
}

export interface SshdFacts {
  /** `sshd -T`: lowercased keyword -> values in order (port, listenaddress, hostkey repeat). */
  effective: Map<string, string[]>;
  /** Why `sshd -T` failed (it prints the offending line), or null. */
  testError: string | null;
  mainConfig: string;
  /** Files in /etc/ssh/sshd_config.d, in the order sshd reads them. */
  dropins: Array<{ path: string; content: string }>;
}

export interface UfwRule {
  action: 'allow' | 'deny' | 'reject' | 'limit';
  proto: string;
  /** Destination port(s) as written ("22", "80,443", "6000:6007") or "any". */
  port: string;
  /** Source CIDR or address ("0.0.0.0/0" for anywhere). */
  from: string;
  direction: 'in' | 'out';
  /** The whole tuple, for evidence. */
  tuple: string;
}

export interface UfwFacts {
  installed: boolean;
  /** ENABLED=yes in /etc/ufw/ufw.conf and its chains loaded. */
  active: boolean;
  /** Policies from /etc/default/ufw (DROP, ACCEPT, REJECT), null when unreadable. */
  defaults: { incoming: string; outgoing: string; routed: string } | null;
  rules: UfwRule[];
}

export interface Fail2banFacts {
  installed: boolean;
  version: string | null;
  /** systemctl is-active fail2ban ('active', 'failed', 'inactive', ...). */
  state: string;
  /** systemctl is-enabled fail2ban. */
  enabled: string;
  /** jail.local and jail.d/* in the order fail2ban reads them (*.conf before *.local). */
  jailFiles: Array<{ path: string; content: string }>;
}

export interface ListeningSocket {
  proto: 'tcp' | 'udp';
  address: string;
  port: number;
  process: string | null;
}

export interface HostFacts {
  os: OsFacts;
  /** "9.2p1" from "OpenSSH_9.2p1 Debian-2+deb12u3, OpenSSL ..."; null when unknown. */
  opensshVersion: string | null;
  sshd: SshdFacts;
  /** ssh.socket active: sshd is socket-activated (Ubuntu 22.10+), ports live in the socket unit. */
  sshSocketActive: boolean;
  /** ssh.socket's Listen= addresses ("[::]:22") and Bulwark's port drop-in for it (null: none). */
  sshSocket: { listen: string[]; bulwarkDropin: string | null };
  /** The service unit that runs sshd: 'ssh' (Debian) or 'sshd' (RHEL), null when neither is known. */
  sshService: 'ssh' | 'sshd' | null;
  ufw: UfwFacts;
  fail2ban: Fail2banFacts;
  /** Where sshd's auth messages land as a file, or null (journald only, Debian 12's default). */
  authLog: '/var/log/auth.log' | '/var/log/secure' | null;
  packageManager: string | null;
  listening: ListeningSocket[];
  /** `docker inspect` of the running containers and `docker network inspect` of every network, as JSON. */
  docker: { present: boolean; containers: unknown[]; networks: unknown[] };
  /**
   * The package, 20auto-upgrades turning it on, and apt's timers (apt-daily runs the periodic
   * jobs; with the timers off APT::Periodic does nothing).
   */
  unattendedUpgrades: { installed: boolean; enabled: boolean; timers: boolean };
  /** /etc/ssh/moduli: DH groups under 3072 bits and the rest; null when unreadable. */
  moduli: { small: number; large: number } | null;
  /** Bulwark as the host sees it, from $SSH_CONNECTION. */
  connection: { clientAddress: string; clientPort: number; serverAddress: string; serverPort: number } | null;
}

function section(sections: RawSection[], name: string): RawSection | undefined {
  return sections.find((s) => s.name === name);
}

function parseOsRelease(text: string): OsFacts {
  const v: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let val = m[2]!;
    if (/^".*"$|^'.*'$/.test(val)) val = val.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
    v[m[1]!] = val;
  }
  return { id: v.ID ?? '', versionId: v.VERSION_ID ?? '', prettyName: v.PRETTY_NAME ?? '', idLike: (v.ID_LIKE ?? '').split(/\s+/).filter(Boolean) };
}

export function parseSshdT(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^([a-z0-9]+) (.*)$/.exec(line);
    if (!m) continue;
    const list = out.get(m[1]!) ?? [];
    list.push(m[2]!);
    out.set(m[1]!, list);
  }
  return out;
}

/** `### tuple ### allow tcp 22 0.0.0.0/0 any 192.168.1.0/24 in` lines of /etc/ufw/user.rules. */
export function parseUfwTuples(text: string): UfwRule[] {
  const rules: UfwRule[] = [];
  for (const line of text.split('\n')) {
    const m = /^### tuple ### (allow|deny|reject|limit)(?:_log(?:-all)?)? (\S+) (\S+) (\S+) (\S+) (\S+) (in|out)\b/.exec(line.trim());
    if (!m) continue;
    rules.push({ action: m[1] as UfwRule['action'], proto: m[2]!, port: m[3]!, from: m[6]!, direction: m[7] as 'in' | 'out', tuple: line.trim().slice(14) });
  }
  return rules;
}

function keyed(body: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of body.split('\n')) {
    const sp = line.indexOf(' ');
    // values as shell assignments write them: ENABLED=yes, DEFAULT_INPUT_POLICY="DROP"
    if (sp > 0) m.set(line.slice(0, sp), line.slice(sp + 1).trim().replace(/^(["'])(.*)\1$/, '$2'));
  }
  return m;
}

function parseUfw(status: RawSection | undefined, userRules: RawSection | undefined): UfwFacts {
  if (!status || !/^installed$/m.test(status.body)) return { installed: false, active: false, defaults: null, rules: [] };
  const v = keyed(status.body);
  const input = v.get('INPUT');
  const output = v.get('OUTPUT');
  const forward = v.get('FORWARD');
  return {
    installed: true,
    active: v.get('ENABLED') === 'yes' && v.get('loaded') === 'yes',
    defaults: input && output && forward ? { incoming: input, outgoing: output, routed: forward } : null,
    rules: parseUfwTuples(userRules?.body ?? ''),
  };
}

/** fail2ban reads jail.d/*.conf, then jail.local, then jail.d/*.local (each group sorted). */
function jailFileOrder(path: string): [number, string] {
  if (path === '/etc/fail2ban/jail.local') return [1, path];
  return [path.endsWith('.local') ? 2 : 0, path];
}

interface UnitState {
  active: string;
  fileState: string;
  /** Sockets only: `Listen=[::]:22 (Stream)` values, one per address. */
  listen: string[];
}

/** `systemctl show` blocks (Id=, ActiveState=, UnitFileState=) by unit id. */
export function parseUnits(text: string): Map<string, UnitState> {
  const out = new Map<string, UnitState>();
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split('\n');
    const v = new Map(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const));
    const id = v.get('Id');
    const listen = lines.flatMap((l) => /^Listen=(\S+) \(Stream\)$/.exec(l)?.[1] ?? []);
    if (id) out.set(id, { active: v.get('ActiveState') ?? '', fileState: v.get('UnitFileState') ?? '', listen });
  }
  return out;
}

function parseFail2ban(sections: RawSection[], units: Map<string, UnitState>): Fail2banFacts {
  const s = section(sections, 'fail2ban');
  if (!s || !/^installed$/m.test(s.body)) return { installed: false, version: null, state: 'absent', enabled: 'absent', jailFiles: [] };
  const v = keyed(s.body);
  const jailFiles = sections
    .filter((x) => x.name === 'fail2ban-jail-file' && (x.arg.endsWith('.conf') || x.arg.endsWith('.local')))
    .map((x) => ({ path: x.arg, content: x.body }))
    .sort((a, b) => {
      const [ga, pa] = jailFileOrder(a.path);
      const [gb, pb] = jailFileOrder(b.path);
      return ga - gb || (pa < pb ? -1 : pa > pb ? 1 : 0);
    });
  const unit = units.get('fail2ban.service');
  return { installed: true, version: v.get('version') ?? null, state: unit?.active ?? '', enabled: unit?.fileState ?? '', jailFiles };
}

/** `ss -H -tulnp` lines: `tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=1,fd=3))`. */
export function parseListening(text: string): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5 || (f[0] !== 'tcp' && f[0] !== 'udp')) continue;
    const local = f[4]!;
    const i = local.lastIndexOf(':');
    if (i < 0) continue;
    let address = local.slice(0, i);
    if (address.startsWith('[') && address.endsWith(']')) address = address.slice(1, -1);
    address = address.replace(/%.*$/, '');
    const port = Number(local.slice(i + 1));
    if (!Number.isInteger(port)) continue;
    const proc = /users:\(\("([^"]*)"/.exec(line);
    out.push({ proto: f[0], address, port, process: proc ? proc[1]! : null });
  }
  return out;
}

function jsonArray(text: string): unknown[] {
  const json = text.trim();
  if (!json.startsWith('[')) return [];
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

function parseDocker(s: RawSection | undefined, networks: RawSection | undefined): HostFacts['docker'] {
  if (!s || !/^present$/m.test(s.body)) return { present: false, containers: [], networks: [] };
  return { present: true, containers: jsonArray(s.body.slice(s.body.indexOf('\n') + 1)), networks: jsonArray(networks?.body ?? '') };
}

function parseModuli(text: string): HostFacts['moduli'] {
  const m = /^(\d+) (\d+)$/.exec(text.trim());
  return m ? { small: Number(m[1]), large: Number(m[2]) } : null;
}

function parseConnection(value: string): HostFacts['connection'] {
  const f = value.trim().split(/\s+/);
  if (f.length !== 4) return null;
  const cp = Number(f[1]);
  const sp = Number(f[3]);
  if (!Number.isInteger(cp) || !Number.isInteger(sp)) return null;
  return { clientAddress: f[0]!, clientPort: cp, serverAddress: f[2]!, serverPort: sp };
}

export function parseFacts(stdout: string, marker: string, sshConnection: string): HostFacts {
  const sections = splitSections(stdout, marker);
  const sshdT = section(sections, 'sshd-t');
  const ok = sshdT?.exit === 0;
  const units = parseUnits(section(sections, 'units')?.body ?? '');
  const known = (id: string) => {
    const u = units.get(id);
    return !!u && (u.active === 'active' || ['enabled', 'static', 'alias', 'indirect'].includes(u.fileState));
  };
  const authLog = section(sections, 'auth-log')?.body ?? '';
  const uu = section(sections, 'unattended-upgrades')?.body ?? '';
  return {
    os: parseOsRelease(section(sections, 'os-release')?.body ?? ''),
    opensshVersion: /OpenSSH_([0-9][0-9a-z.]*)/.exec(section(sections, 'openssh')?.body ?? '')?.[1] ?? null,
    sshd: {
      effective: ok ? parseSshdT(sshdT.body) : new Map(),
      testError: ok ? null : (sshdT?.body.trim().split('\n').slice(-3).join(' | ') || 'sshd -T did not run'),
      mainConfig: section(sections, 'sshd-config')?.body ?? '',
      dropins: sections.filter((s) => s.name === 'sshd-dropin').map((s) => ({ path: s.arg, content: s.body })),
    },
    sshSocketActive: units.get('ssh.socket')?.active === 'active',
    sshSocket: {
      listen: units.get('ssh.socket')?.listen ?? [],
      bulwarkDropin: section(sections, 'ssh-socket-dropin')?.body || null,
    },
    // Debian's sshd.service is an alias of ssh.service: `show` reports Id=ssh.service for both
    sshService: known('ssh.service') ? 'ssh' : known('sshd.service') ? 'sshd' : null,
    ufw: parseUfw(section(sections, 'ufw'), section(sections, 'ufw-user-rules')),
    fail2ban: parseFail2ban(sections, units),
    authLog: /^auth\.log$/m.test(authLog) ? '/var/log/auth.log' : /^secure$/m.test(authLog) ? '/var/log/secure' : null,
    packageManager: section(sections, 'package-manager')?.body.trim().split('\n')[0] || null,
    listening: parseListening(section(sections, 'listening')?.body ?? ''),
    docker: parseDocker(section(sections, 'docker'), section(sections, 'docker-networks')),
    unattendedUpgrades: {
      installed: /install ok installed/.test(uu),
      enabled: /APT::Periodic::Unattended-Upgrade\s+"1"/.test(uu) && /APT::Periodic::Update-Package-Lists\s+"1"/.test(uu),
      timers: ['apt-daily.timer', 'apt-daily-upgrade.timer'].every((t) => ['enabled', 'static', 'alias', 'indirect'].includes(units.get(t)?.fileState ?? '')),
    },
    moduli: parseModuli(section(sections, 'moduli')?.body ?? ''),
    connection: parseConnection(sshConnection),
  };
}
