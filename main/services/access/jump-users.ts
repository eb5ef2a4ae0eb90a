/**
 * Which inventory hosts reach SSH through a given host (ProxyJump, also through an inventory
 * name or a chain of several). Hardening must know: turning TCP forwarding off on a bastion
 * would cut every host behind it, and verifying the bastion itself would not notice.
 */
import type { Host } from '../../../shared/domain/host';
import { resolveChain, targetFromHost } from '../ssh';

type Ref = Pick<Host, 'name' | 'address' | 'port' | 'user' | 'jumpHost'>;

/** Names of the hosts in `inventory` whose jump chain passes through `host` (same address and port). */
export function jumpUsersOf(host: Pick<Host, 'address' | 'port'>, inventory: readonly Ref[]): string[] {
  const byName = new Map(inventory.map((h) => [h.name.toLowerCase(), h]));
  const me = resolveChain(targetFromHost({ ...host, name: '', user: 'x', jumpHost: '' })).at(-1)!;
  return inventory
    .filter((h) => h.jumpHost !== '')
    .filter((h) => {
      try {
        return resolveChain(targetFromHost(h), (n) => byName.get(n.toLowerCase())).some((hop) => hop.role === 'jump' && hop.host === me.host && hop.port === me.port);
      } catch {
        return false; // a broken chain reaches nothing through this host
      }
    })
    .map((h) => h.name);
}
