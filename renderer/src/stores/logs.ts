/**
 * The Logs view's state: the followed hosts and their stream status, the last 100,000 events
 * (oldest first), the filter, pause, and the ban actions.
 *
 * logs:events arrive in batches from main, up to thousands a second across a fleet: they are
 * queued outside React and applied once per animation frame (lib/frame-batch), so the list
 * re-renders at most 60 times a second whatever the rate. While paused they are held and only
 * counted, and shown on resume.
 */
import { create } from 'zustand';
import type { LogStreamStatus, StoredLogEvent } from '../../../shared/domain/logs';
import { BulwarkError } from '../../../shared/errors';
import { call, onEvent } from '../bridge';
import { appendCapped, emptyFilter, MAX_EVENTS, mergeHistory, QUICK_VIEWS, type LogFilter, type QuickView } from '../features/logs/log-derive';
import { frameBatch } from '../lib/frame-batch';
import { createHostPickerStore } from './host-picker';
import { registerSensitive } from './sensitive';
import { useUiStore } from './ui';

/** newest: newest row on top, the view stays put; follow: oldest on top, scrolled to the newest. */
export type LogOrder = 'newest' | 'follow';

/** How much history the view loads on opening. */
export const HISTORY_LIMIT = 5_000;

export interface BanActionInput {
  hostId: string;
  action: 'ban' | 'unban';
  jail: string;
  ip: string;
}

export type BanActionOutcome = { hostId: string; ok: true; output: string; applied: boolean } | { hostId: string; ok: false; error: BulwarkError };

interface LogsState {
  events: StoredLogEvent[];
  /** Host name -> its stream's latest status. */
  statuses: Record<string, LogStreamStatus>;
  /** Inventory ids of the hosts this view asked to follow. */
  followed: ReadonlySet<string>;
  historyState: 'idle' | 'loading' | 'ready' | 'error';
  historyError: BulwarkError | null;
  filter: LogFilter;
  order: LogOrder;
  paused: boolean;
  /** Events received while paused, shown on resume. */
  held: StoredLogEvent[];
  heldCount: number;

  /** Subscribes to logs:* events (once) and loads history and statuses. */
  open(): Promise<void>;
  loadHistory(): Promise<void>;
  follow(hostIds: readonly string[]): Promise<void>;
  unfollow(hostIds: readonly string[]): Promise<void>;
  setFilter(patch: Partial<LogFilter>): void;
  /** Toggles a quick view: its kinds, or every kind again when it was already on. */
  toggleQuickView(view: QuickView): void;
  clearFilter(): void;
  setOrder(order: LogOrder): void;
  pause(): void;
  resume(): void;
  /** Applies one batch as main sends it; exposed for the frame batcher and tests. */
  receive(events: readonly StoredLogEvent[]): void;
  banAction(input: BanActionInput): Promise<BanActionOutcome>;
  reset(): void;
}

const asError = (e: unknown) => (e instanceof BulwarkError ? e : new BulwarkError('INTERNAL', String(e)));

/** Bumped on lock: a reply that started before it must not bring log data back behind the unlock screen. */
let generation = 0;
/** The logs:* subscriptions, dropped on lock and made again when the view opens after unlock. */
let unsubscribes: (() => void)[] | null = null;

const initial = () => ({
  events: [] as StoredLogEvent[],
  statuses: {} as Record<string, LogStreamStatus>,
  followed: new Set<string>() as ReadonlySet<string>,
  historyState: 'idle' as LogsState['historyState'],
  historyError: null,
  filter: emptyFilter(),
  order: 'newest' as LogOrder,
  paused: false,
  held: [] as StoredLogEvent[],
  heldCount: 0,
});

const byHost = (list: readonly LogStreamStatus[]) => Object.fromEntries(list.map((s) => [s.host, s]));

export const useLogsStore = create<LogsState>()((set, get) => {
  const incoming = frameBatch<readonly StoredLogEvent[]>((batches) => get().receive(batches.flat()));

  const listen = () => {
    if (unsubscribes) return;
    unsubscribes = [
      onEvent('logs:events', ({ events }) => incoming.push(events)),
      onEvent('logs:status', (status) => set((s) => ({ statuses: { ...s.statuses, [status.host]: status } }))),
      onEvent('logs:alert', (alert) => {
        const where = alert.host ? `${alert.host}: ` : '';
        useUiStore.getState().pushToast({ kind: 'info', title: alert.title, detail: `${where}${alert.body}` });
      }),
    ];
  };

  return {
    ...initial(),

    async open() {
      listen();
      const gen = generation;
      const statuses = call('logs:status', {}).then(
        (list) => {
          if (gen === generation) set({ statuses: byHost(list) });
        },
        () => undefined,
      );
      if (get().historyState === 'idle') await get().loadHistory();
      await statuses;
    },

    async loadHistory() {
      const gen = generation;
      set({ historyState: 'loading', historyError: null });
      try {
        const history = await call('logs:query', { limit: HISTORY_LIMIT });
        if (gen !== generation) return;
        set((s) => ({ events: mergeHistory(history, s.events), historyState: 'ready' }));
      } catch (e) {
        if (gen === generation) set({ historyState: 'error', historyError: asError(e) });
      }
    },

    async follow(hostIds) {
      listen();
      const gen = generation;
      const list = await call('logs:follow', { hostIds: [...hostIds] });
      if (gen !== generation) return;
      set((s) => ({ statuses: { ...s.statuses, ...byHost(list) }, followed: new Set([...s.followed, ...hostIds]) }));
    },

    async unfollow(hostIds) {
      const gen = generation;
      const list = await call('logs:unfollow', { hostIds: [...hostIds] });
      if (gen !== generation) return;
      const followed = new Set(get().followed);
      for (const id of hostIds) followed.delete(id);
      // the reply lists the hosts still followed; stopped ones keep their last status as 'stopped'
      set((s) => {
        const statuses: Record<string, LogStreamStatus> = {};
        for (const [host, status] of Object.entries(s.statuses)) statuses[host] = { ...status, state: { state: 'stopped' } };
        return { followed, statuses: { ...statuses, ...byHost(list) } };
      });
    },

    setFilter(patch) {
      set((s) => ({ filter: { ...s.filter, ...patch } }));
    },

    toggleQuickView(view) {
      const kinds = QUICK_VIEWS[view].kinds;
      const current = get().filter.kinds;
      const on = current.length === kinds.length && kinds.every((k) => current.includes(k));
      get().setFilter({ kinds: on ? [] : [...kinds] });
    },

    clearFilter() {
      set({ filter: emptyFilter() });
    },

    setOrder(order) {
      set({ order });
    },

    pause() {
      set({ paused: true });
    },

    resume() {
      const { held, events } = get();
      set({ paused: false, held: [], heldCount: 0, events: held.length > 0 ? appendCapped(events, held) : events });
    },

    receive(added) {
      if (added.length === 0) return;
      if (get().paused) {
        set((s) => ({ held: appendCapped(s.held, added), heldCount: s.heldCount + added.length }));
        return;
      }
      set((s) => ({ events: appendCapped(s.events, added, MAX_EVENTS) }));
    },

    async banAction(input) {
      try {
        const r = await call('logs:banAction', input);
        return { hostId: input.hostId, ok: true, output: r.output, applied: r.ok };
      } catch (e) {
        return { hostId: input.hostId, ok: false, error: asError(e) };
      }
    },

    reset() {
      generation++;
      incoming.clear();
      unsubscribes?.forEach((unsubscribe) => unsubscribe());
      unsubscribes = null;
      set(initial());
    },
  };
});

/** The hosts picked to follow, by search and tags, like the Runs view's. */
export const useLogsPickerStore = createHostPickerStore();

registerSensitive(() => useLogsStore.getState().reset());
