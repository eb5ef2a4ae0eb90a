/**
 * Which hosts have a sudo password stored. Only that fact crosses IPC: the passwords stay in
 * main, and the renderer sends a new one once and never reads it back.
 */
import { create } from 'zustand';
import { call } from '../bridge';
import { registerSensitive } from './sensitive';

interface HostSecretsState {
  sudoPassword: ReadonlySet<string>;
  loaded: boolean;
  load(): Promise<void>;
  setSudoPassword(id: string, password: string): Promise<void>;
  clearSudoPassword(id: string): Promise<void>;
  reset(): void;
}

let generation = 0;

export const useHostSecretsStore = create<HostSecretsState>()((set) => ({
  sudoPassword: new Set(),
  loaded: false,
  async load() {
    const gen = generation;
    const { sudoPassword } = await call('hosts:secretStatus', {});
    if (gen === generation) set({ sudoPassword: new Set(sudoPassword), loaded: true });
  },
  async setSudoPassword(id, password) {
    const gen = generation;
    await call('hosts:setSudoPassword', { id, password });
    if (gen === generation) set((s) => ({ sudoPassword: new Set([...s.sudoPassword, id]) }));
  },
  async clearSudoPassword(id) {
    const gen = generation;
    await call('hosts:clearSudoPassword', { id });
    if (gen === generation) set((s) => ({ sudoPassword: new Set([...s.sudoPassword].filter((x) => x !== id)) }));
  },
  reset() {
    generation++;
    set({ sudoPassword: new Set(), loaded: false });
  },
}));

registerSensitive(() => useHostSecretsStore.getState().reset());
