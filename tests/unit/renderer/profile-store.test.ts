/** The profiles store: list order, and that locking the vault forgets custom profiles. */
import { describe, expect, it } from 'vitest';
import { profileView } from '../../../main/services/access/run-access';
import { BUILT_IN_PROFILES } from '../../../main/services/hardening/profiles';
import { clearSensitive } from '../../../renderer/src/stores/sensitive';
import { sortProfiles, useProfilesStore } from '../../../renderer/src/stores/profiles';

const builtIns = BUILT_IN_PROFILES.map(profileView);
const custom = (id: string, name: string) => ({ ...builtIns[0]!, id, name, builtIn: false });

describe('profiles store', () => {
  it('lists built-in profiles first, in the order main gives them, then custom ones by name', () => {
    const sorted = sortProfiles([custom('zeta', 'Zeta'), builtIns[0]!, custom('alpha', 'alpha lab'), builtIns[1]!, custom('mid', 'Mid'), builtIns[2]!]);
    expect(sorted.map((p) => p.id)).toEqual(['guide-baseline', 'strict-ssh', 'proxmox-node', 'alpha', 'mid', 'zeta']);
    expect(sortProfiles([builtIns[2]!, builtIns[0]!]).map((p) => p.id)).toEqual(['proxmox-node', 'guide-baseline']);
  });

  it('forgets profiles and catalogue when the vault locks', () => {
    useProfilesStore.setState({ profiles: [...builtIns, custom('lab', 'Lab')], loadState: 'ready' });
    clearSensitive();
    expect(useProfilesStore.getState()).toMatchObject({ profiles: [], catalog: [], loadState: 'idle', loadError: null });
  });
});
