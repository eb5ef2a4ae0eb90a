/**
 * What the Keys view's fleet panel is set to: the hosts picked (by search and tags, independent
 * of the inventory's own filter) and the operation being prepared. Kept in a store so switching
 * tabs, or "Deploy…" on a key row, does not lose the choice.
 */
import { create } from 'zustand';
import type { FleetOp } from './jobs';
import { registerSensitive } from './sensitive';

export type AuditScope = 'all-login-shells' | 'login';

export const FLEET_OP_NAMES: readonly FleetOp[] = ['deploy', 'audit', 'rotate', 'revoke'];

export interface FleetForm {
  op: FleetOp;
  /** deploy, revoke: the key; rotate: the new key. */
  keyId: string;
  /** rotate: the key being replaced. */
  oldKeyId: string;
  /** '' = each host's login user. */
  account: string;
  scope: AuditScope;
}

interface FleetState {
  query: string;
  tags: readonly string[];
  selected: ReadonlySet<string>;
  form: FleetForm;
  setQuery(query: string): void;
  toggleTag(tag: string): void;
  toggleHost(id: string): void;
  setHosts(ids: readonly string[], selected: boolean): void;
  clearHosts(): void;
  setForm(patch: Partial<FleetForm>): void;
  reset(): void;
}

const emptyForm: FleetForm = { op: 'deploy', keyId: '', oldKeyId: '', account: '', scope: 'all-login-shells' };

export const useFleetStore = create<FleetState>()((set, get) => ({
  query: '',
  tags: [],
  selected: new Set(),
  form: emptyForm,
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
  setForm(patch) {
    set((s) => ({ form: { ...s.form, ...patch } }));
  },
  reset() {
    // the query and tags can echo host data
    set({ query: '', tags: [], selected: new Set(), form: emptyForm });
  },
}));

registerSensitive(() => useFleetStore.getState().reset());
