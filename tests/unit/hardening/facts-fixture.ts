/** HostFacts as a stock Debian 12 fleet host reports them, for pure control/plan tests. */
import type { HostFacts } from '../../../main/services/hardening/facts';
import { parseSshdT } from '../../../main/services/hardening/facts';

export const DEBIAN_MAIN_CONFIG = `Include /etc/ssh/sshd_config.d/*.conf

KbdInteractiveAuthentication no
UsePAM yes
X11Forwarding yes
PrintMotd no
AcceptEnv LANG LC_*
Subsystem sftp /usr/lib/openssh/sftp-server
PermitRootLogin yes
PasswordAuthentication yes
PubkeyAuthentication yes`;

const SSHD_T = `port 22
permitrootlogin yes
passwordauthentication yes
kbdinteractiveauthentication no
pubkeyauthentication yes
permitemptypasswords no
x11forwarding yes`;

export function debianFacts(over: Partial<HostFacts> = {}, sshdT = SSHD_T): HostFacts {
  return {
    os: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)', idLike: [] },
    opensshVersion: '9.2p1',
    sshd: { effective: parseSshdT(sshdT), testError: null, mainConfig: DEBIAN_MAIN_CONFIG, dropins: [] },
    sshSocketActive: false,
    sshSocket: { listen: [], bulwarkDropin: null },
    sshService: 'ssh',
    ufw: { installed: true, active: false, defaults: { incoming: 'DROP', outgoing: 'ACCEPT', routed: 'DROP' }, rules: [] },
    fail2ban: { installed: true, version: '1.0.2', state: 'active', enabled: 'enabled', jailFiles: [] },
    authLog: '/var/log/auth.log',
    packageManager: 'apt-get',
    listening: [{ proto: 'tcp', address: '0.0.0.0', port: 22, process: 'sshd' }],
    docker: { present: false, containers: [], networks: [] },
    unattendedUpgrades: { installed: false, enabled: false, timers: true },
    moduli: { small: 120, large: 180 },
    connection: { clientAddress: '10.0.0.1', clientPort: 50000, serverAddress: '10.0.0.11', serverPort: 22 },
    ...over,
  };
}

export const compliantSshdT = SSHD_T.replace('permitrootlogin yes', 'permitrootlogin no').replace('passwordauthentication yes', 'passwordauthentication no');
