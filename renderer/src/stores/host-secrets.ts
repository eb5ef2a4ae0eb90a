/**
 * Which hosts have a sudo password or a login password stored. Only that fact crosses IPC: the
 * passwords stay in main, and the renderer sends a new one once and never reads it back.
 */
import { create } from 'zustand';
import { call } from '../bridge';
import { registerSensitive } from './sensitive';

export type HostSecretName = 'sudoPassword' | 'loginPassword';

const CHANNELS = {
  sudoPassword: { set: 'hosts:setSudoPassword', clear: 'hosts:clearSudoPassword' },
  loginPassword: { set: 'hosts:setLoginPassword', clear: 'hosts:clearLoginPassword' },
} as const;

interface HostSecretsState {
  sudoPassword: ReadonlySet<string>;
  loginPassword: ReadonlySet<string>;
  loaded: boolean;
  load(): Promise<void>;
  setSecret(name: HostSecretName, id: string, password: string): Promise<void>;
  clearSecret(name: HostSecretName, id: string): Promise<void>;
  reset(): void;
}

let generation = 0;

export const useHostSecretsStore = create<HostSecretsState>()((set) => ({
  sudoPassword: new Set(),
  loginPassword: new Set(),
  loaded: false,
  async load() {
    const gen = generation;
    const { sudoPassword, loginPassword } = await call('hosts:secretStatus', {});
    if (gen === generation) set({ sudoPassword: new Set(sudoPassword), loginPassword: new Set(loginPassword), loaded: true });
  },
  async setSecret(name, id, password) {
    const gen = generation;
    await call(CHANNELS[name].set, { id, password });
    if (gen === generation) set((s) => ({ [name]: new Set([...s[name], id]) }));
  },
  async clearSecret(name, id) {
    const gen = generation;
    await call(CHANNELS[name].clear, { id });
    if (gen === generation) set((s) => ({ [name]: new Set([...s[name]].filter((x) => x !== id)) }));
  },
  reset() {
    generation++;
    set({ sudoPassword: new Set(), loginPassword: new Set(), loaded: false });
  },
}));

registerSensitive(() => useHostSecretsStore.getState().reset());
