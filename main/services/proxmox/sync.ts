/**
 * Inventory sync from Proxmox endpoints into the vault: nodes with their status, guests with
 * status, resources, tags and addresses (kind 'pve-guest'), and per endpoint when it was last
 * read (kind 'pve-sync'). Drift is kept, not applied: see guest-drift.ts.
 */
import type { GuestChange, PveGuest, PveNodeStatus } from '../../../shared/domain/proxmox';
import type { RecordStore } from '../inventory/types';
import type { PveClient } from './client';
import { acceptCurrent, changesOf, mergeRead } from './guest-drift';
import { readCluster } from './read-cluster';

export const PVE_GUEST_KIND = 'pve-guest';
export const PVE_SYNC_KIND = 'pve-sync';

export interface EndpointSync {
  endpointId: string;
  clusterName: string | null;
  nodes: PveNodeStatus[];
  unreachableNodes: string[];
  syncedAt: number;
}

export interface SyncResult extends EndpointSync {
  guests: PveGuest[];
  changes: GuestChange[];
}

export class PveSync {
  private readonly now: () => number;

  constructor(
    private readonly vault: RecordStore,
    o: { now?: () => number } = {},
  ) {
    this.now = o.now ?? Date.now;
  }

  /** Reads the endpoint through `client` and stores what it found; nothing the user accepted changes. */
  async sync(endpointId: string, client: PveClient, onProgress?: (done: number, total: number) => void): Promise<SyncResult> {
    const read = await readCluster(client, onProgress);
    const now = this.now();
    const guests = mergeRead(endpointId, this.guests(endpointId), read, now);
    const state: EndpointSync = { endpointId, clusterName: read.clusterName, nodes: read.nodes, unreachableNodes: read.unreachableNodes, syncedAt: now };
    this.vault.transaction(() => {
      this.vault.putMany(
        PVE_GUEST_KIND,
        guests.map((g) => ({ id: g.id, value: g })),
      );
      this.vault.put(PVE_SYNC_KIND, endpointId, state);
    });
    return { ...state, guests, changes: changesOf(guests) };
  }

  guests(endpointId?: string): PveGuest[] {
    return this.vault
      .list<PveGuest>(PVE_GUEST_KIND)
      .filter((g) => endpointId === undefined || g.endpointId === endpointId)
      .sort((a, b) => a.endpointId.localeCompare(b.endpointId) || a.vmid - b.vmid);
  }

  lastSync(endpointId: string): EndpointSync | undefined {
    return this.vault.get<EndpointSync>(PVE_SYNC_KIND, endpointId);
  }

  changes(endpointId?: string): GuestChange[] {
    return changesOf(this.guests(endpointId));
  }

  /** The user accepts a guest as it is now (its name and addresses; a gone guest is removed). */
  accept(guestId: string): void {
    const g = this.vault.get<PveGuest>(PVE_GUEST_KIND, guestId);
    if (!g) return;
    if (g.goneSince !== null) this.vault.delete(PVE_GUEST_KIND, [guestId]);
    else this.vault.put(PVE_GUEST_KIND, guestId, acceptCurrent(g));
  }
}
