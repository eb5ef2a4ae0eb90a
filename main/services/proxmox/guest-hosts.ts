/**
 * Guests and the inventory hosts linked to them (host.guest = {nodeId: endpoint id, vmid}).
 * Accepting a guest's change is where the inventory follows Proxmox, and only as far as the
 * host still mirrors the guest: a host is created only when asked, renamed only if it still
 * carries the guest's old name, re-addressed only if its address was one the guest had; a gone
 * guest's host is unlinked, never deleted.
 */
import type { Host } from '../../../shared/domain/host';
import type { PveGuest } from '../../../shared/domain/proxmox';
import { hostNameProblem, tagProblem } from '../../../shared/domain/validators';
import { BulwarkError } from '../../../shared/errors';
import type { HostStore } from '../inventory';
import type { RecordStore } from '../inventory/types';
import { PVE_GUEST_KIND, type PveSync } from './sync';

export interface AcceptOptions {
  /** Create an inventory host for a guest that has none (login user, default root). */
  addHost?: { user?: string } | undefined;
}

export interface AcceptResult {
  guestId: string;
  guest: string;
  /** What happened to the linked host, if anything. */
  host: { name: string; action: 'created' | 'renamed' | 'readdressed' | 'renamed and readdressed' | 'unlinked' } | null;
}

/** The address to SSH to: IPv4 first (what homelab DNS-less setups use), then global IPv6. */
export function preferredAddress(g: Pick<PveGuest, 'addresses'>): string | null {
  return g.addresses.find((a) => a.family === 4)?.address ?? g.addresses.find((a) => a.family === 6)?.address ?? null;
}

export function linkedHost(hosts: readonly Host[], g: Pick<PveGuest, 'endpointId' | 'vmid'>): Host | undefined {
  return hosts.find((h) => h.guest?.nodeId === g.endpointId && h.guest.vmid === g.vmid);
}

export class GuestHosts {
  constructor(
    private readonly vault: RecordStore,
    private readonly hosts: HostStore,
    private readonly sync: PveSync,
  ) {}

  accept(guestId: string, o: AcceptOptions = {}): AcceptResult {
    const g = this.vault.get<PveGuest>(PVE_GUEST_KIND, guestId);
    if (!g) throw new BulwarkError('NOT_FOUND', `No synced guest ${guestId}`);
    return this.vault.transaction(() => {
      const linked = linkedHost(this.hosts.list(), g);
      let host: AcceptResult['host'] = null;
      if (g.goneSince !== null) {
        if (linked) {
          this.hosts.update(linked.id, { ...linked, guest: null });
          host = { name: linked.name, action: 'unlinked' };
        }
      } else if (linked) {
        host = this.follow(linked, g);
      } else if (o.addHost) {
        host = { name: this.create(g, o.addHost.user ?? 'root').name, action: 'created' };
      }
      this.sync.accept(guestId);
      return { guestId, guest: g.name, host };
    });
  }

  private follow(h: Host, g: PveGuest): AcceptResult['host'] {
    const was = g.accepted;
    const rename = !!was && was.name !== g.name && h.name === was.name && !hostNameProblem(g.name) && !this.hosts.findByName(g.name);
    const now = preferredAddress(g);
    const readdress = !!was && !!now && now !== h.address && was.addresses.includes(h.address);
    if (!rename && !readdress) return null;
    this.hosts.update(h.id, { ...h, ...(rename ? { name: g.name } : {}), ...(readdress ? { address: now } : {}) });
    return { name: rename ? g.name : h.name, action: rename && readdress ? 'renamed and readdressed' : rename ? 'renamed' : 'readdressed' };
  }

  private create(g: PveGuest, user: string): Host {
    const address = preferredAddress(g);
    if (!address) throw new BulwarkError('VALIDATION', `${g.name} (${g.vmid}) has no known address to add as a host: ${g.addressNote ?? 'none reported'}`);
    const nameProblem = hostNameProblem(g.name);
    if (nameProblem) throw new BulwarkError('VALIDATION', `"${g.name}" cannot be a host name: ${nameProblem}`);
    // Proxmox tags allow what Bulwark tags do not (upper case): lower-cased, the rest dropped
    const tags = g.tags.map((t) => t.toLowerCase()).filter((t) => !tagProblem(t));
    return this.hosts.create({ name: g.name, address, user, tags, guest: { nodeId: g.endpointId, vmid: g.vmid } });
  }
}
