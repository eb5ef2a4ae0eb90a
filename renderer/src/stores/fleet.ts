/**
 * What the Keys view's fleet panel is set to: the hosts picked (its own host-picker state) and
 * the operation being prepared. Kept in a store so switching tabs, or "Deploy…" on a key row,
 * does not lose the choice.
 */
import { create } from 'zustand';
import { emptyPick, hostPickerSlice, type HostPickerState } from './host-picker';
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

interface FleetState extends HostPickerState {
  form: FleetForm;
  setForm(patch: Partial<FleetForm>): void;
}

const emptyForm: FleetForm = { op: 'deploy', keyId: '', oldKeyId: '', account: '', scope: 'all-login-shells' };

export const useFleetStore = create<FleetState>()((set, get) => ({
  ...hostPickerSlice(set, get),
  form: emptyForm,
  setForm(patch) {
    set((s) => ({ form: { ...s.form, ...patch } }));
  },
  reset() {
    set({ ...emptyPick(), form: emptyForm });
  },
}));

registerSensitive(() => useFleetStore.getState().reset());
