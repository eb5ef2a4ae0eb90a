// GET /nodes/{node}/network (Sys.Audit on /nodes/{node}): the interfaces of
// /etc/network/interfaces as PVE::API2::Network lists them. The serving node's bridge carries
// its IP with the prefix of the simulated local network, so pve-firewall's local_network (the
// route holding the node's IP) is `state.localNetwork` whenever the node's IP lies in it.
import { reachableNode } from '../nodes';
import { requirePrivilege } from '../privileges';
import type { Route, RouteContext } from '../router';

function network({ state, caller, path }: RouteContext): unknown[] {
  requirePrivilege(caller.privileges, `/nodes/${path.node}`, 'Sys.Audit');
  const node = reachableNode(state, path.node ?? '');
  const prefix = state.localNetwork.split('/')[1] ?? '24';
  return [
    { iface: 'lo', type: 'loopback', method: 'loopback', families: ['inet'], autostart: 1, active: 1, priority: 1 },
    { iface: 'eno1', type: 'eth', method: 'manual', families: ['inet'], exists: 1, active: 1, priority: 2 },
    { iface: 'vmbr0', type: 'bridge', method: 'static', families: ['inet'], autostart: 1, active: 1, priority: 3,
      bridge_ports: 'eno1', bridge_stp: 'off', bridge_fd: '0',
      address: node.ip, netmask: prefix, cidr: `${node.ip}/${prefix}` },
  ];
}

export const networkRoutes: Route[] = [{ method: 'GET', path: '/nodes/{node}/network', handler: network }];
