/**
 * Hardening profiles (built-in and the vault's custom ones) and the control catalogue the editor
 * builds its forms from. Custom profiles are vault data: they are forgotten when the vault locks.
 */
import { create } from 'zustand';
import type { ControlCatalogEntry, ProfileInput, ProfileView, TextFile } from '../../../shared/domain/hardening';
import { BulwarkError } from '../../../shared/errors';
import { call } from '../bridge';
import { registerSensitive } from './sensitive';

interface ProfilesState {
  profiles: ProfileView[];
  catalog: ControlCatalogEntry[];
  loadState: 'idle' | 'loading' | 'ready' | 'error';
  loadError: BulwarkError | null;
  /** Reads profiles and catalogue together; a list already shown stays while it refreshes. */
  load(): Promise<void>;
  ensureLoaded(): void;
  /** replace: overwrite the custom profile with that id (editing); otherwise CONFLICT if it exists. */
  save(profile: ProfileInput, replace: boolean): Promise<ProfileView>;
  remove(id: string): Promise<boolean>;
  importYaml(text: string, replace: boolean): Promise<ProfileView>;
  exportYaml(id: string): Promise<TextFile>;
  exportAnsible(id: string): Promise<TextFile>;
  reset(): void;
}

/** Built-in profiles first, in the order main lists them (the guide's), then custom ones by name. */
export function sortProfiles(list: readonly ProfileView[]): ProfileView[] {
  const builtIn = list.filter((p) => p.builtIn);
  const custom = list.filter((p) => !p.builtIn).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return [...builtIn, ...custom];
}

/** Bumped on lock: a reply that started before it must not put profiles back behind the unlock screen. */
let generation = 0;

export const useProfilesStore = create<ProfilesState>()((set, get) => {
  async function guarded<T>(work: () => Promise<T>, onResult: (value: T) => void): Promise<T> {
    const gen = generation;
    const value = await work();
    if (gen === generation) onResult(value);
    return value;
  }
  const upsert = (p: ProfileView) => set((s) => ({ profiles: sortProfiles([...s.profiles.filter((x) => x.id !== p.id), p]) }));

  return {
    profiles: [],
    catalog: [],
    loadState: 'idle',
    loadError: null,

    async load() {
      if (get().loadState !== 'ready') set({ loadState: 'loading', loadError: null });
      try {
        await guarded(
          () => Promise.all([call('hardening:profiles', {}), call('hardening:controls', {})]),
          ([profiles, catalog]) => set({ profiles: sortProfiles(profiles), catalog, loadState: 'ready', loadError: null }),
        );
      } catch (e) {
        set({ loadState: 'error', loadError: e instanceof BulwarkError ? e : new BulwarkError('INTERNAL', String(e)) });
      }
    },
    ensureLoaded() {
      if (get().loadState !== 'loading') void get().load();
    },
    save(profile, replace) {
      return guarded(() => call('profiles:save', replace ? { profile, replace: true } : { profile }), upsert);
    },
    async remove(id) {
      const { deleted } = await guarded(
        () => call('profiles:delete', { id }),
        () => set((s) => ({ profiles: s.profiles.filter((p) => p.id !== id) })),
      );
      return deleted;
    },
    importYaml(text, replace) {
      return guarded(() => call('profiles:import', replace ? { text, replace: true } : { text }), upsert);
    },
    exportYaml(id) {
      return call('profiles:export', { id });
    },
    exportAnsible(id) {
      return call('profiles:exportAnsible', { id });
    },
    reset() {
      generation++;
      set({ profiles: [], catalog: [], loadState: 'idle', loadError: null });
    },
  };
});

registerSensitive(() => useProfilesStore.getState().reset());
