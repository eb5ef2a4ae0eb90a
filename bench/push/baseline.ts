/**
 * The guide baseline as the two comparison contenders write it: the same sshd drop-in and the
 * same fail2ban jail text that Bulwark's plan produces on a fleet host (checked by the bench on
 * every run: the end state must match), so all three do the same work on the host.
 */

export const DROPIN_PATH = '/etc/ssh/sshd_config.d/00-bulwark.conf';
export const JAIL_PATH = '/etc/fail2ban/jail.d/zz-bulwark-sshd.local';

/** Bulwark's renderDropin() output for the guide baseline's sshd-auth settings. */
export const DROPIN = [
  '# Managed by Bulwark: changes here are replaced on the next apply.',
  '# sshd uses the first value it reads; this file sorts first in sshd_config.d.',
  'PasswordAuthentication no',
  'KbdInteractiveAuthentication no',
  'PubkeyAuthentication yes',
  'PermitRootLogin no',
  'PermitEmptyPasswords no',
  '',
].join('\n');

/** Bulwark's renderJail() for maxretry 3, bantime 3600, port 22; the log source decided on the host. */
export function jailHead(): string[] {
  return ['# Managed by Bulwark: changes here are replaced on the next apply.', '[sshd]', 'enabled = true', 'port = 22', 'filter = sshd'];
}
export function jailTail(controller: string): string[] {
  return ['maxretry = 3', 'findtime = 600', 'bantime = 3600', `ignoreip = 127.0.0.1/8 ::1 ${controller}`];
}

const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;

/**
 * The raw floor: one root script, no checks, no backups, no verification. It rewrites both
 * files and re-runs every command each time (a re-run costs what the first run costs), which is
 * what a hand-written push script does.
 */
export function rawScript(controller: string): string {
  if (!IPV4.test(controller)) throw new Error(`controller address must be IPv4: ${controller}`);
  const head = jailHead().join('\n');
  const tail = jailTail(controller).join('\n');
  return [
    'set -eu',
    'mkdir -p /etc/ssh/sshd_config.d',
    `cat > ${DROPIN_PATH} <<'EOF'`,
    DROPIN.trimEnd(),
    'EOF',
    'systemctl reload ssh',
    'ufw default deny incoming >/dev/null',
    'ufw default allow outgoing >/dev/null',
    "ufw allow proto tcp from any to any port 22 comment 'bulwark: ssh' >/dev/null",
    'ufw --force enable >/dev/null',
    // Debian 12 without rsyslog has no auth.log: fail2ban must read the journal there
    'if [ -e /var/log/auth.log ]; then src="backend = auto',
    'logpath = /var/log/auth.log"; else src="backend = systemd"; fi',
    `{ printf '%s\\n' '${head}'; printf '%s\\n' "$src"; printf '%s\\n' '${tail}'; } > ${JAIL_PATH}`,
    'systemctl enable --quiet fail2ban',
    'systemctl restart fail2ban',
    'echo raw-applied',
    '',
  ].join('\n');
}
