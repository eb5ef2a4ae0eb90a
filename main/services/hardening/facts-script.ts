/**
 * The facts script: ONE round trip per host gathers everything the controls read. It runs as
 * root (sshd -T, ufw and fail2ban-client need it) and prints sections, each introduced by a
 * marker line carrying a random nonce, so nothing a file on the host contains can pose as a
 * section. Every probe tolerates a missing tool: absence is a fact, not an error.
 */
import { randomBytes } from 'node:crypto';

export const FACT_SECTIONS = [
  'os-release',
  'openssh',
  'sshd-t',
  'sshd-config',
  'sshd-dropin',
  'units',
  'ufw',
  'ufw-user-rules',
  'fail2ban',
  'fail2ban-jail-file',
  'auth-log',
  'package-manager',
  'listening',
  'docker',
  'docker-networks',
  'moduli',
  'unattended-upgrades',
  'ssh-socket-dropin',
] as const;
export type FactSection = (typeof FACT_SECTIONS)[number];

export function factsScript(): { script: string; marker: string } {
  const marker = `@@bulwark-facts-${randomBytes(8).toString('hex')}`;
  const script = `set -u
LC_ALL=C
export LC_ALL
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
m='${marker}'
sec() { printf '\\n%s %s' "$m" "$1"; [ $# -gt 1 ] && printf ' %s' "$2"; printf '\\n'; }
has() { command -v "$1" >/dev/null 2>&1; }

sec os-release
cat /etc/os-release 2>/dev/null

sec openssh
ssh -V 2>&1 || sshd -V 2>&1 || :

sec sshd-t
# sshd -T refuses to run without its privilege separation directory
[ -d /run/sshd ] || mkdir -p /run/sshd 2>/dev/null
if has sshd; then sshd -T 2>&1; printf '%s exit %s\\n' "$m" "$?"; else printf '%s exit 127\\n' "$m"; fi

sec sshd-config /etc/ssh/sshd_config
cat /etc/ssh/sshd_config 2>/dev/null

for f in /etc/ssh/sshd_config.d/*; do
  [ -f "$f" ] || continue
  sec sshd-dropin "$f"
  head -c 262144 -- "$f"
done

sec units
# one systemctl call for every unit (each call costs ~20-60 ms); Listen= only ssh.socket has
systemctl show -p Id,ActiveState,UnitFileState,Listen ssh.socket ssh.service sshd.service fail2ban.service apt-daily.timer apt-daily-upgrade.timer 2>/dev/null

sec ufw
# files and one iptables probe instead of the ufw CLI (a Python start, ~150 ms)
if has ufw; then
  printf 'installed\n'
  sed -n 's/^ENABLED=/ENABLED /p' /etc/ufw/ufw.conf 2>/dev/null
  sed -n -e 's/^DEFAULT_INPUT_POLICY=/INPUT /p' -e 's/^DEFAULT_OUTPUT_POLICY=/OUTPUT /p' -e 's/^DEFAULT_FORWARD_POLICY=/FORWARD /p' /etc/default/ufw 2>/dev/null
  if iptables -n -L ufw-user-input >/dev/null 2>&1; then printf 'loaded yes\n'; else printf 'loaded no\n'; fi
else
  printf 'absent\n'
fi

sec ufw-user-rules
cat /etc/ufw/user.rules 2>/dev/null

sec fail2ban
# the version from the installed module and the jail files as text: fail2ban-client is a
# Python start per call (300-500 ms each); the unit's state is in the units section
if has fail2ban-client; then
  printf 'installed\n'
  sed -n 's/^version = /version /p' /usr/lib/python3/dist-packages/fail2ban/version.py 2>/dev/null
else
  printf 'absent\n'
fi
for f in /etc/fail2ban/jail.local /etc/fail2ban/jail.d/*; do
  [ -f "$f" ] || continue
  sec fail2ban-jail-file "$f"
  head -c 262144 -- "$f"
done

sec auth-log
[ -f /var/log/auth.log ] && printf 'auth.log\\n'
[ -f /var/log/secure ] && printf 'secure\\n'
:

sec package-manager
for p in apt-get dnf yum zypper apk pacman; do has "$p" && { printf '%s\\n' "$p"; break; }; done
:

sec listening
if has ss; then ss -H -t -u -l -n -p 2>/dev/null; fi

sec docker
if has docker; then
  printf 'present\\n'
  ids=$(docker ps -q 2>/dev/null | head -n 200)
  [ -n "$ids" ] && docker inspect $ids 2>/dev/null
  # whether each network is internal (docker inspect of a container does not say)
  sec docker-networks
  nets=$(docker network ls -q 2>/dev/null | head -n 200)
  [ -n "$nets" ] && docker network inspect $nets 2>/dev/null
else
  printf 'absent\\n'
fi

sec moduli
# Diffie-Hellman groups by size (field 5 is bits - 1): how many are under 3072 bits
awk '!/^#/ && NF >= 7 { if ($5 < 3071) small++; else big++ } END { printf "%d %d\\n", small + 0, big + 0 }' /etc/ssh/moduli 2>/dev/null

sec unattended-upgrades
dpkg-query -W -f='\${Status}\\n' unattended-upgrades 2>/dev/null || :
cat /etc/apt/apt.conf.d/20auto-upgrades 2>/dev/null || :

sec ssh-socket-dropin
cat /etc/systemd/system/ssh.socket.d/zz-bulwark-port.conf 2>/dev/null || :
`;
  return { script, marker };
}

export interface RawSection {
  name: string;
  /** The argument after the section name (e.g. the drop-in's path). */
  arg: string;
  body: string;
  /** `<marker> exit N` inside the section. */
  exit: number | null;
}

/** Splits the script's output into its sections, in order. */
export function splitSections(stdout: string, marker: string): RawSection[] {
  const out: RawSection[] = [];
  let cur: RawSection | undefined;
  const lines: string[] = [];
  const flush = () => {
    if (cur) {
      // the leading newline of the marker line ends the previous body
      while (lines.length && lines[lines.length - 1] === '') lines.pop();
      cur.body = lines.join('\n');
      out.push(cur);
    }
    lines.length = 0;
  };
  for (const line of stdout.split('\n')) {
    if (line.startsWith(`${marker} exit `) && cur) {
      const n = Number(line.slice(marker.length + 6));
      cur.exit = Number.isInteger(n) ? n : null;
    } else if (line.startsWith(`${marker} `)) {
      flush();
      const rest = line.slice(marker.length + 1);
      const sp = rest.indexOf(' ');
      cur = { name: sp < 0 ? rest : rest.slice(0, sp), arg: sp < 0 ? '' : rest.slice(sp + 1), body: '', exit: null };
    } else if (cur) {
      lines.push(line);
    }
  }
  flush();
  return out;
}
