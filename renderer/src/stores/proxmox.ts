/**
 * The Proxmox view's state: the endpoints with what their last sync found, the syncs in flight
 * (with their pve:syncProgress), the last sync error per endpoint, and the auto-refresh switch.
 *
 * One sync per endpoint at a time: a click or the 60 s timer while one runs is ignored, because a
 * second read of the same cluster would only race the first one's write into the vault.
 * The secret (token secret or password) passes through create() to main and is never kept here.
 */
import { create } from 'zustand';
import type { ProxmoxNodeInput } from '../../../shared/domain/proxmox';
import { BulwarkError } from '../../../shared/errors';
import { call, onEvent } from '../bridge';
import type { AcceptResult, AddedEndpoint, EndpointState, PinKind, PresentedCertificate, SyncProgress, TrustResult } from '../features/proxmox/pve-derive';
import { useHostsStore } from './hosts';
import { registerSensitive } from './sensitive';
import { toastSuccess } from './ui';

/** How often the open view re-reads each endpoint ("live status"). */
export const AUTO_REFRESH_MS = 60_000;

interface ProxmoxState {
  endpoints: EndpointState[];
  loadState: 'idle' | 'loading' | 'ready' | 'error';
  loadError: BulwarkError | null;
  /** Endpoint id -> progress of its sync in flight (null until the first progress event). */
  syncing: Record<string, SyncProgress | null>;
  /** Endpoint id -> why its last sync failed; cleared when one succeeds. */
  syncErrors: Record<string, BulwarkError>;
  autoRefresh: boolean;

  /** Subscribes to pve:syncProgress (once) and loads the state. */
  open(): Promise<void>;
  load(): Promise<void>;
  /** quiet: the auto-refresh's syncs, which do not toast on success. */
  sync(id: string, options?: { quiet?: boolean }): Promise<void>;
  /** Accepts the guests' changes; user set: new guests become inventory hosts logged into as that user. */
  accept(guestIds: readonly string[], addHost?: { user?: string }): Promise<AcceptResult[]>;
  remove(id: string): Promise<void>;
  certificate(target: { name: string; address: string; port?: number }): Promise<PresentedCertificate>;
  create(node: ProxmoxNodeInput): Promise<AddedEndpoint>;
  /**
   * Pins the certificate the endpoint presents now (fingerprint: the one the user compared) in
   * place of the pin that no longer matches; its pin-mismatch sync error goes with it.
   */
  trust(id: string, fingerprint: string, pin: PinKind): Promise<TrustResult>;
  setAutoRefresh(on: boolean): void;
  /** Applies one progress event; exposed for the event subscription and tests. */
  progress(event: { endpointId: string; done: number; total: number }): void;
  reset(): void;
}

const asError = (e: unknown) => (e instanceof BulwarkError ? e : new BulwarkError('INTERNAL', String(e)));

/** Bumped on lock: a reply that started before it must not bring endpoint data back. */
let generation = 0;
let unsubscribe: (() => void) | null = null;

const initial = () => ({
  endpoints: [] as EndpointState[],
  loadState: 'idle' as ProxmoxState['loadState'],
  loadError: null,
  syncing: {} as Record<string, SyncProgress | null>,
  syncErrors: {} as Record<string, BulwarkError>,
  autoRefresh: true,
});

const without = <T>(record: Record<string, T>, key: string): Record<string, T> => {
  const { [key]: _dropped, ...rest } = record;
  return rest;
};

export const useProxmoxStore = create<ProxmoxState>()((set, get) => ({
  ...initial(),

  async open() {
    unsubscribe ??= onEvent('pve:syncProgress', (event) => get().progress(event));
    await get().load();
  },

  async load() {
    const gen = generation;
    set((s) => ({ loadState: s.loadState === 'ready' ? 'ready' : 'loading', loadError: null }));
    try {
      const endpoints = await call('pve:state', {});
      if (gen === generation) set({ endpoints, loadState: 'ready' });
    } catch (e) {
      if (gen === generation) set({ loadState: 'error', loadError: asError(e) });
    }
  },

  async sync(id, options = {}) {
    if (id in get().syncing) return;
    const gen = generation;
    set((s) => ({ syncing: { ...s.syncing, [id]: null } }));
    try {
      const result = await call('pve:sync', { id });
      if (gen !== generation) return;
      set((s) => ({ syncErrors: without(s.syncErrors, id) }));
      if (!options.quiet) {
        const name = get().endpoints.find((e) => e.id === id)?.name ?? 'Proxmox';
        const review = result.changes.length > 0 ? `, ${result.changes.length} change${result.changes.length === 1 ? '' : 's'} to review` : '';
        toastSuccess(`${name} synced`, `${result.nodes.length} node${result.nodes.length === 1 ? '' : 's'}, ${result.guests.length} guest${result.guests.length === 1 ? '' : 's'}${review}`);
      }
    } catch (e) {
      if (gen === generation) set((s) => ({ syncErrors: { ...s.syncErrors, [id]: asError(e) } }));
    } finally {
      if (gen === generation) set((s) => ({ syncing: without(s.syncing, id) }));
    }
    if (gen === generation) await get().load();
  },

  async accept(guestIds, addHost) {
    const results = await call('pve:accept', addHost ? { guestIds: [...guestIds], addHost } : { guestIds: [...guestIds] });
    await get().load();
    // hosts were created, renamed or unlinked: the inventory (and the linked-host names here) follow
    if (results.some((r) => r.host)) await useHostsStore.getState().load();
    return results;
  },

  async remove(id) {
    await call('pve:delete', { id });
    set((s) => ({ syncErrors: without(s.syncErrors, id) }));
    await get().load();
  },

  certificate(target) {
    return call('pve:certificate', target);
  },

  async create(node) {
    const added = await call('pve:create', { node });
    await get().load();
    return added;
  },

  async trust(id, fingerprint, pin) {
    const gen = generation;
    const result = await call('pve:trust', { id, fingerprint, pin });
    if (gen === generation) set((s) => ({ syncErrors: without(s.syncErrors, id) }));
    await get().load();
    return result;
  },

  setAutoRefresh(on) {
    set({ autoRefresh: on });
  },

  progress({ endpointId, done, total }) {
    // a late event after the reply must not bring a finished sync back
    if (!(endpointId in get().syncing)) return;
    set((s) => ({ syncing: { ...s.syncing, [endpointId]: { done, total } } }));
  },

  reset() {
    generation++;
    unsubscribe?.();
    unsubscribe = null;
    set(initial());
  },
}));

registerSensitive(() => useProxmoxStore.getState().reset());
