/**
 * pve:* channels. The secret (token secret or password) crosses IPC once, inward, in
 * pve:create; nothing sends it back (endpoints travel as views). Network calls go through ProxmoxService, which pins the
 * endpoint's certificate before any request.
 */
import type { AppServices } from '../services/app';
import type { Handlers } from './router';

type PveChannels = Pick<Handlers, 'pve:list' | 'pve:certificate' | 'pve:create' | 'pve:trust' | 'pve:delete' | 'pve:state' | 'pve:sync' | 'pve:accept' | 'pve:firewallPlan' | 'pve:firewallApply'>;

export function createPveHandlers(s: AppServices): PveChannels {
  return {
    'pve:list': () => s.proxmoxNodes.list(),
    'pve:certificate': ({ name, address, port }) => s.proxmox.certificate(name, address, port),
    'pve:create': ({ node }) => s.proxmox.add(node),
    'pve:trust': ({ id, fingerprint, pin }) => s.proxmox.trust(id, fingerprint, pin),
    'pve:delete': ({ id }) => ({ deleted: s.proxmoxNodes.delete(id) }),
    'pve:state': () => s.proxmox.state(),
    'pve:sync': ({ id }) => s.proxmox.syncEndpoint(id, (done, total) => s.events.emit('pve:syncProgress', { endpointId: id, done, total })),
    'pve:firewallPlan': ({ id, params, self }) => s.proxmox.firewallPlan(id, params, { self }),
    'pve:firewallApply': ({ id, params, self, sshHostId, digests }) => s.proxmox.firewallApply(id, params, { self, sshHostId, digests, onStep: (step) => s.events.emit('pve:firewallStep', { endpointId: id, step }) }),
    'pve:accept': ({ guestIds, addHost }) => s.proxmox.accept(guestIds, addHost ? { addHost: addHost.user !== undefined ? { user: addHost.user } : {} } : {}),
  };
}
