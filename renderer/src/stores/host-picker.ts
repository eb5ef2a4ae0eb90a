/**
 * The hosts picked for the next fleet job, by search and tags (independent of the inventory's
 * own filter). The Keys view (inside its fleet store) and the Runs view each hold one, so the two
 * views keep their own choice; HostPicker reads and sets either.
 */
import { create } from 'zustand';
import { registerSensitive } from './sensitive';

export interface HostPickerState {
  query: string;
  tags: readonly string[];
  selected: ReadonlySet<string>;
  setQuery(query: string): void;
  toggleTag(tag: string): void;
  toggleHost(id: string): void;
  setHosts(ids: readonly string[], selected: boolean): void;
  clearHosts(): void;
  reset(): void;
}

type PickerFields = Pick<HostPickerState, 'query' | 'tags' | 'selected'>;

/** Nothing picked. The query and tags can echo host data, so every reset goes back here. */
export function emptyPick(): PickerFields {
  return { query: '', tags: [], selected: new Set() };
}

/** The picker's state and actions, for a zustand store that may hold more (see useFleetStore). */
export function hostPickerSlice(set: (partial: Partial<PickerFields>) => void, get: () => PickerFields): HostPickerState {
  return {
    ...emptyPick(),
    setQuery(query) {
      set({ query });
    },
    toggleTag(tag) {
      const { tags } = get();
      set({ tags: tags.includes(tag) ? tags.filter((t) => t !== tag) : [...tags, tag] });
    },
    toggleHost(id) {
      const selected = new Set(get().selected);
      if (!selected.delete(id)) selected.add(id);
      set({ selected });
    },
    setHosts(ids, on) {
      const selected = new Set(get().selected);
      for (const id of ids) {
        if (on) selected.add(id);
        else selected.delete(id);
      }
      set({ selected });
    },
    clearHosts() {
      set({ selected: new Set() });
    },
    reset() {
      set(emptyPick());
    },
  };
}

/** A store holding just a picker, forgotten when the vault locks. */
export function createHostPickerStore() {
  const useStore = create<HostPickerState>()(hostPickerSlice);
  registerSensitive(() => useStore.getState().reset());
  return useStore;
}
