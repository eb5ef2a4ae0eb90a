import { useDeferredValue, useMemo } from 'react';
import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { Host, HostInput, ImportReport } from '../../../shared/domain/host';
import { BulwarkError } from '../../../shared/errors';
import { call } from '../bridge';
import { countTags, filterHosts, sortHosts, warmSearchIndex, type SortColumn, type SortOrder } from './hosts-derive';
import { registerSensitive } from './sensitive';

export type { SortColumn, SortOrder } from './hosts-derive';

interface HostsState {
  hosts: Host[];
  loadState: 'idle' | 'loading' | 'ready' | 'error';
  loadError: BulwarkError | null;
  query: string;
  sort: SortOrder;
  /** Hosts must carry every one of these tags. */
  tagFilter: readonly string[];
  selection: ReadonlySet<string>;
  /** Last row clicked without Shift: where a Shift-click range starts. */
  anchorId: string | null;

  load(): Promise<void>;
  setQuery(query: string): void;
  toggleSort(column: SortColumn): void;
  toggleTag(tag: string): void;
  clearFilters(): void;
  toggleSelected(id: string): void;
  /** Selects every id between the anchor and `id` in the order shown. */
  selectRange(id: string, orderedIds: readonly string[]): void;
  setSelected(ids: readonly string[], selected: boolean): void;
  clearSelection(): void;

  create(input: HostInput): Promise<Host>;
  update(id: string, input: HostInput): Promise<Host>;
  remove(ids: readonly string[]): Promise<number>;
  importSshConfig(text?: string): Promise<ImportReport>;
  importAnsible(text: string, fileName?: string): Promise<ImportReport>;
  exportAnsible(): Promise<string>;
  reset(): void;
}

const initialData = {
  hosts: [] as Host[],
  loadState: 'idle' as const,
  loadError: null,
  selection: new Set<string>() as ReadonlySet<string>,
  anchorId: null,
};

/**
 * Bumped on every reset (vault lock). A reply that started before the lock carries an older
 * generation and is dropped, so hosts never reappear behind the unlock screen.
 */
let generation = 0;

export const useHostsStore = create<HostsState>()((set, get) => {
  async function guarded<T>(work: () => Promise<T>, onResult: (value: T) => void): Promise<T> {
    const gen = generation;
    const value = await work();
    if (gen === generation) onResult(value);
    return value;
  }

  return {
    ...initialData,
    query: '',
    sort: { column: 'name', direction: 'asc' },
    tagFilter: [],

    async load() {
      set({ loadState: 'loading', loadError: null });
      try {
        await guarded(
          () => call('hosts:list', {}),
          (hosts) => {
            set({ hosts, loadState: 'ready' });
            warmSearchIndex(hosts);
          },
        );
      } catch (e) {
        set({ loadState: 'error', loadError: e instanceof BulwarkError ? e : new BulwarkError('INTERNAL', String(e)) });
      }
    },
    setQuery(query) {
      set({ query });
    },
    toggleSort(column) {
      const { sort } = get();
      set({
        sort:
          sort.column === column
            ? { column, direction: sort.direction === 'asc' ? 'desc' : 'asc' }
            : // newest first is what people want when they sort by date
              { column, direction: column === 'updated' ? 'desc' : 'asc' },
      });
    },
    toggleTag(tag) {
      const { tagFilter } = get();
      set({ tagFilter: tagFilter.includes(tag) ? tagFilter.filter((t) => t !== tag) : [...tagFilter, tag] });
    },
    clearFilters() {
      set({ query: '', tagFilter: [] });
    },
    toggleSelected(id) {
      const selection = new Set(get().selection);
      if (!selection.delete(id)) selection.add(id);
      set({ selection, anchorId: id });
    },
    selectRange(id, orderedIds) {
      const { anchorId } = get();
      const from = anchorId === null ? -1 : orderedIds.indexOf(anchorId);
      const to = orderedIds.indexOf(id);
      if (from === -1 || to === -1) return get().toggleSelected(id);
      const selection = new Set(get().selection);
      for (let i = Math.min(from, to); i <= Math.max(from, to); i++) selection.add(orderedIds[i]!);
      set({ selection });
    },
    setSelected(ids, selected) {
      const selection = new Set(get().selection);
      for (const id of ids) {
        if (selected) selection.add(id);
        else selection.delete(id);
      }
      set({ selection });
    },
    clearSelection() {
      set({ selection: new Set(), anchorId: null });
    },

    create(input) {
      return guarded(
        () => call('hosts:create', { host: input }),
        (host) => set((s) => ({ hosts: [...s.hosts, host] })),
      );
    },
    update(id, input) {
      return guarded(
        () => call('hosts:update', { id, host: input }),
        (host) => set((s) => ({ hosts: s.hosts.map((h) => (h.id === id ? host : h)) })),
      );
    },
    async remove(ids) {
      const { deleted } = await guarded(
        () => call('hosts:delete', { ids: [...ids] }),
        () => {
          const gone = new Set(ids);
          const selection = new Set([...get().selection].filter((id) => !gone.has(id)));
          set((s) => ({ hosts: s.hosts.filter((h) => !gone.has(h.id)), selection }));
        },
      );
      return deleted;
    },
    // Imports report names, not hosts, so the list is reloaded afterwards.
    async importSshConfig(text) {
      const report = await call('hosts:importSshConfig', text === undefined ? {} : { text });
      await get().load();
      return report;
    },
    async importAnsible(text, fileName) {
      const report = await call('hosts:importAnsible', fileName ? { text, fileName } : { text });
      await get().load();
      return report;
    },
    async exportAnsible() {
      return (await call('hosts:exportAnsible', {})).text;
    },
    reset() {
      generation++;
      // Query and tag filter can echo host data (a typed name, a tag): cleared too.
      set({ ...initialData, selection: new Set(), query: '', tagFilter: [] });
    },
  };
});

registerSensitive(() => useHostsStore.getState().reset());

/**
 * The rows to show. The search query is deferred so a keystroke first repaints the input and
 * React filters in an interruptible background render; sorting is memoized separately.
 */
export function useVisibleHosts(): { all: readonly Host[]; visible: readonly Host[]; pending: boolean } {
  const { hosts, query, sort, tagFilter } = useHostsStore(
    useShallow((s) => ({ hosts: s.hosts, query: s.query, sort: s.sort, tagFilter: s.tagFilter })),
  );
  const deferredQuery = useDeferredValue(query);
  const sorted = useMemo(() => sortHosts(hosts, sort), [hosts, sort]);
  const visible = useMemo(() => filterHosts(sorted, deferredQuery, tagFilter), [sorted, deferredQuery, tagFilter]);
  return { all: hosts, visible, pending: query !== deferredQuery };
}

export function useTagCounts() {
  const hosts = useHostsStore((s) => s.hosts);
  return useMemo(() => countTags(hosts), [hosts]);
}
