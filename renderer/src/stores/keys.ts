/**
 * The vault's SSH keys (public halves and metadata only: private keys never leave main except
 * through keys:exportPrivate, which writes them to a file main chooses with the user).
 */
import { create } from 'zustand';
import type { Response } from '../../../shared/contract';
import type { GenerateKeyInput, ImportKeyInput, SshKeyViewData } from '../../../shared/domain/keys';
import { BulwarkError } from '../../../shared/errors';
import { call } from '../bridge';
import { registerSensitive } from './sensitive';

export type SshKey = SshKeyViewData;

interface KeysState {
  keys: SshKey[];
  loadState: 'idle' | 'loading' | 'ready' | 'error';
  loadError: BulwarkError | null;
  /** Reads the list; a list already shown stays on screen while it refreshes. */
  load(): Promise<void>;
  /**
   * Views call this on mount. Keys also arrive from elsewhere (an ssh_config import brings its
   * IdentityFiles), so the list is read again each time rather than once per unlock.
   */
  ensureLoaded(): void;
  generate(input: GenerateKeyInput): Promise<SshKey>;
  importKey(input: Omit<ImportKeyInput, 'source'>): Promise<Response<'keys:import'>>;
  rename(id: string, name: string): Promise<SshKey>;
  remove(id: string): Promise<void>;
  /** The saved path, or null when the user cancelled the save dialog. */
  exportPrivate(id: string, passphrase?: string): Promise<string | null>;
  reset(): void;
}

// Newest first: the key just generated or imported is the one the user looks for.
const byNewest = (a: SshKey, b: SshKey) => b.createdAt - a.createdAt || a.name.localeCompare(b.name);

/** Bumped on lock: a reply that started before it must not put keys back behind the unlock screen. */
let generation = 0;

export const useKeysStore = create<KeysState>()((set, get) => {
  async function guarded<T>(work: () => Promise<T>, onResult: (value: T) => void): Promise<T> {
    const gen = generation;
    const value = await work();
    if (gen === generation) onResult(value);
    return value;
  }
  const upsert = (key: SshKey) =>
    set((s) => ({ keys: [...s.keys.filter((k) => k.id !== key.id), key].sort(byNewest) }));

  return {
    keys: [],
    loadState: 'idle',
    loadError: null,

    async load() {
      if (get().loadState !== 'ready') set({ loadState: 'loading', loadError: null });
      try {
        await guarded(
          () => call('keys:list', {}),
          (keys) => set({ keys: [...keys].sort(byNewest), loadState: 'ready' }),
        );
      } catch (e) {
        set({ loadState: 'error', loadError: e instanceof BulwarkError ? e : new BulwarkError('INTERNAL', String(e)) });
      }
    },
    ensureLoaded() {
      if (get().loadState !== 'loading') void get().load();
    },
    generate(input) {
      return guarded(() => call('keys:generate', { key: input }), upsert);
    },
    importKey(input) {
      return guarded(
        () => call('keys:import', { key: input }),
        (r) => upsert(r.key),
      );
    },
    rename(id, name) {
      return guarded(() => call('keys:rename', { id, name }), upsert);
    },
    async remove(id) {
      await guarded(
        () => call('keys:delete', { id }),
        () => set((s) => ({ keys: s.keys.filter((k) => k.id !== id) })),
      );
    },
    async exportPrivate(id, passphrase) {
      const { path } = await call('keys:exportPrivate', { id, options: passphrase ? { passphrase } : {} });
      return path;
    },
    reset() {
      generation++;
      set({ keys: [], loadState: 'idle', loadError: null });
    },
  };
});

registerSensitive(() => useKeysStore.getState().reset());

/** "ED25519", "RSA 4096", "ECDSA 384": how people name key kinds. */
export function keyKindLabel(key: Pick<SshKey, 'type' | 'bits'>): string {
  return key.type === 'ed25519' ? 'ED25519' : `${key.type.toUpperCase()} ${key.bits}`;
}

export const KEY_SOURCE_LABELS: Record<SshKey['source'], string> = {
  generated: 'Generated here',
  imported: 'Imported',
  'ssh-config': 'From ssh_config',
};
