// A small homelab for tests: two nodes (pve2 offline), guests of both kinds, and
// credentials with different privileges. Pass it to startPveSim and override as needed.
import type { PveSimOptions, SimGuest, SimToken, SimUser } from './types';

export const ADMIN_TOKEN: SimToken = { id: 'root@pam!bulwark', secret: '5f3c1a6e-0d7b-4c1e-9a55-1b2c3d4e5f60', privileges: { '/': ['Sys.Audit', 'Sys.Modify', 'VM.Audit', 'VM.Monitor', 'VM.GuestAgent.Audit'] } };
/** Sees only /vms/100 (and nodes): for permission-filtering tests. */
export const LIMITED_TOKEN: SimToken = { id: 'ops@pve!ro', secret: 'limited-secret', privileges: { '/nodes': ['Sys.Audit'], '/vms/100': ['VM.Audit'] } };
export const ROOT_USER: SimUser = { userid: 'root@pam', password: 'hunter22', privileges: ADMIN_TOKEN.privileges };

export const tokenHeader = (t: SimToken): string => `${t.id}=${t.secret}`;

export const SAMPLE_GUESTS: SimGuest[] = [
  { vmid: 100, node: 'pve1', type: 'qemu', name: 'web', status: 'running', tags: ['prod', 'web'], agent: 'running',
    interfaces: [{ name: 'ens18', mac: 'BC:24:11:00:00:01', ipv4: ['192.168.1.50/24'], ipv6: ['fe80::be24:11ff:fe00:1/64'] }] },
  { vmid: 101, node: 'pve1', type: 'qemu', name: 'db', status: 'running', agent: 'not-running' },
  { vmid: 102, node: 'pve1', type: 'qemu', name: 'legacy', status: 'running', agent: 'disabled' },
  { vmid: 200, node: 'pve1', type: 'lxc', name: 'dns', status: 'running', tags: ['infra'],
    interfaces: [{ name: 'eth0', mac: 'BC:24:11:00:00:02', ipv4: ['192.168.1.53/24'], ipv6: ['fd00::53/64'] }] },
  { vmid: 300, node: 'pve2', type: 'qemu', name: 'backup', status: 'running' },
];

export function sampleFleet(overrides: PveSimOptions = {}): PveSimOptions {
  return {
    clusterName: 'homelab',
    nodes: [{ name: 'pve1', ip: '192.168.1.10' }, { name: 'pve2', ip: '192.168.1.11', online: false }],
    guests: SAMPLE_GUESTS.map((g) => ({ ...g })),
    tokens: [ADMIN_TOKEN, LIMITED_TOKEN],
    users: [ROOT_USER],
    authFailDelayMs: 50,
    ...overrides,
  };
}
