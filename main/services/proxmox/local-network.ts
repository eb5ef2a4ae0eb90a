/**
 * The node's local network as pve-firewall counts it: the management IPSet implicitly holds
 * the network of the route that contains the node's own cluster address (PVE::Firewall::
 * local_network), so clients on that subnet keep 8006 and SSH with the firewall on.
 *
 * Through the API that is the interface whose address/prefix contains the node's IP from
 * /cluster/status. Anything unclear (no privilege, no such interface, several candidates)
 * gives null, which only makes the lockout guard stricter: it never counts a network Proxmox
 * might not.
 */
import { cidrContains } from '../../../shared/domain/validators';
import { isBulwarkError } from '../../../shared/errors';
import { type PveClient, pvePath } from './client';
import { clusterStatusSchema, nodeNetworkSchema } from './schemas';

export async function readLocalNetwork(client: PveClient): Promise<string | null> {
  try {
    const status = await client.get('/cluster/status', clusterStatusSchema);
    const self = status.find((s) => s.type === 'node' && s.local);
    if (!self?.ip) return null;
    const interfaces = await client.get(pvePath('nodes', self.name, 'network'), nodeNetworkSchema);
    const holding = interfaces.map((i) => i.cidr).filter((c): c is string => !!c && cidrContains(c, self.ip!));
    return holding.length === 1 ? networkOf(holding[0]!) : null;
  } catch (e) {
    if (isBulwarkError(e)) return null;
    throw e;
  }
}

/** "192.168.1.10/24" -> "192.168.1.0/24"; IPv6 interface CIDRs are returned as they are. */
export function networkOf(cidr: string): string {
  const [address, bits] = cidr.split('/');
  const octets = address!.split('.').map(Number);
  if (octets.length !== 4 || bits === undefined) return cidr;
  const value = octets.reduce((n, o) => n * 256 + o, 0);
  const size = 2 ** (32 - Number(bits));
  const base = Math.floor(value / size) * size;
  return `${[24, 16, 8, 0].map((s) => Math.floor(base / 2 ** s) % 256).join('.')}/${bits}`;
}
