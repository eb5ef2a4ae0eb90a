/**
 * The end state every contender must reach, read on one host after its first push (untimed):
 * what sshd actually uses, ufw active with SSH allowed, fail2ban's sshd jail answering, and the
 * two files with the same contents Bulwark writes.
 */
import type { Fleet, FleetHost } from '../../tests/fleet/fleet';
import { DROPIN, DROPIN_PATH, JAIL_PATH, jailHead, jailTail } from './baseline';
import { controllerAddress } from './contender';

function asRoot(fleet: Fleet, h: FleetHost, command: string) {
  return fleet.ssh(h, `sudo -S -p '' sh -c '${command.replace(/'/g, "'\\''")}'`, { user: 'admin', input: `${h.adminPassword}\n` });
}

/** Problems found on `h`; empty when it is in the baseline's end state. */
export async function endStateProblems(fleet: Fleet, h: FleetHost): Promise<string[]> {
  const problems: string[] = [];
  const t = (await asRoot(fleet, h, 'sshd -T')).stdout;
  for (const want of ['passwordauthentication no', 'permitrootlogin no', 'kbdinteractiveauthentication no']) {
    if (!t.split('\n').includes(want)) problems.push(`sshd -T lacks "${want}"`);
  }
  const ufw = (await asRoot(fleet, h, 'ufw status')).stdout;
  if (!/^Status: active$/m.test(ufw)) problems.push('ufw is not active');
  if (!/^22\/tcp\s+ALLOW\s+Anywhere/m.test(ufw)) problems.push('ufw does not allow 22/tcp');
  const verbose = (await asRoot(fleet, h, 'ufw status verbose')).stdout;
  if (!/Default: deny \(incoming\), allow \(outgoing\)/.test(verbose)) problems.push('ufw defaults are not deny in / allow out');
  // fail2ban may still be starting after a restart that nothing waited for
  let jail = '';
  for (let i = 0; i < 40 && !/Status for the jail: sshd/.test(jail); i++) {
    jail = (await asRoot(fleet, h, 'fail2ban-client status sshd 2>&1')).stdout;
    if (!/Status for the jail: sshd/.test(jail)) await new Promise((r) => setTimeout(r, 250));
  }
  if (!/Status for the jail: sshd/.test(jail)) problems.push(`fail2ban-client status sshd: ${jail.trim()}`);
  const dropin = (await asRoot(fleet, h, `cat ${DROPIN_PATH}`)).stdout;
  if (dropin !== DROPIN) problems.push(`${DROPIN_PATH} differs from Bulwark's: ${JSON.stringify(dropin)}`);
  const authLog = (await asRoot(fleet, h, 'test -e /var/log/auth.log && echo yes || echo no')).stdout.trim() === 'yes';
  const source = authLog ? ['backend = auto', 'logpath = /var/log/auth.log'] : ['backend = systemd'];
  const wantJail = [...jailHead(), ...source, ...jailTail(controllerAddress(fleet)), ''].join('\n');
  const gotJail = (await asRoot(fleet, h, `cat ${JAIL_PATH}`)).stdout;
  if (gotJail !== wantJail) problems.push(`${JAIL_PATH} differs from Bulwark's: ${JSON.stringify(gotJail)}`);
  return problems;
}
