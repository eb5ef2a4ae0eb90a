/**
 * Guests across syncs. A sync updates what Proxmox says (status, resources, addresses) but
 * never what the user accepted: a new guest, a rename, an address change and a guest that
 * disappeared stay visible as changes until the user accepts them. Nothing is deleted here.
 */
import type { GuestChange, GuestSnapshot, PveGuest } from '../../../shared/domain/proxmox';
import type { ClusterRead } from './read-cluster';

export const guestId = (endpointId: string, vmid: number) => `${endpointId}:${vmid}`;

const addressList = (g: Pick<GuestSnapshot, 'addresses'>) => [...new Set(g.addresses.map((a) => a.address))].sort();

/** The stored guests of one endpoint after a read; other endpoints' guests are not passed in. */
export function mergeRead(endpointId: string, stored: readonly PveGuest[], read: ClusterRead, now: number): PveGuest[] {
  const fresh = new Map(read.guests.map((g) => [g.vmid, g]));
  const offline = new Set(read.unreachableNodes);
  const out: PveGuest[] = [];
  const seen = new Set<number>();
  for (const old of stored) {
    const g = fresh.get(old.vmid);
    seen.add(old.vmid);
    if (!g) {
      // on an unreachable node a guest is not gone, only unseen
      out.push(offline.has(old.node) ? { ...old, status: 'unknown' } : { ...old, goneSince: old.goneSince ?? now });
      continue;
    }
    // addresses that could not be read (agent down, node offline) keep the last known ones;
    // addresses once seen in the running guest beat the configured ones
    const keepOld = g.addressNote !== null && old.addresses.length > 0 && (g.addresses.length === 0 || old.addressSource !== 'config');
    const addresses = keepOld ? { addresses: old.addresses, addressSource: old.addressSource ?? 'guest' } : { addresses: g.addresses, addressSource: g.addressSource };
    const name = g.status === 'unknown' && /^(VM|CT) \d+$/.test(g.name) ? old.name : g.name;
    out.push({ ...old, ...g, name, ...addresses, lastSeenAt: now, goneSince: null });
  }
  for (const g of read.guests) {
    if (seen.has(g.vmid)) continue;
    out.push({ ...g, id: guestId(endpointId, g.vmid), endpointId, accepted: null, firstSeenAt: now, lastSeenAt: now, goneSince: null });
  }
  return out.sort((a, b) => a.vmid - b.vmid);
}

/** What the user has not accepted yet, per guest. */
export function changesOf(guests: readonly PveGuest[]): GuestChange[] {
  const changes: GuestChange[] = [];
  for (const g of guests) {
    if (g.goneSince !== null) {
      changes.push({ kind: 'gone', guestId: g.id, name: g.accepted?.name ?? g.name, since: g.goneSince });
      continue;
    }
    if (g.template) continue;
    const now = addressList(g);
    if (!g.accepted) {
      if (now.length) changes.push({ kind: 'new', guestId: g.id, name: g.name, addresses: now });
      continue;
    }
    if (g.accepted.name !== g.name) changes.push({ kind: 'renamed', guestId: g.id, from: g.accepted.name, to: g.name });
    // unknown addresses are no news; only a different known set is
    if (now.length && now.join(' ') !== [...g.accepted.addresses].sort().join(' ')) {
      changes.push({ kind: 'address', guestId: g.id, name: g.name, from: [...g.accepted.addresses].sort(), to: now });
    }
  }
  return changes;
}

/** The guest as the user has now seen and accepted it. */
export function acceptCurrent(g: PveGuest): PveGuest {
  return { ...g, accepted: { name: g.name, addresses: addressList(g) } };
}
