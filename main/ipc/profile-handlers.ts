/**
 * hardening:profiles|controls and profiles:* channels: the built-in and custom profiles, the
 * control catalogue for the editor, and custom profiles saved, deleted, imported from and
 * exported to YAML, and exported as an Ansible playbook.
 */
import type { AppServices } from '../services/app';
import { profileView, profileViews } from '../services/access';
import { profileToAnsible } from '../services/hardening/ansible-export';
import { controlCatalog } from '../services/hardening/control-catalog';
import { findProfile } from '../services/hardening/profiles';
import { profileFromYaml, profileToYaml } from '../services/hardening/profile-yaml';
import type { Handlers } from './router';

type ProfileChannels = Pick<
  Handlers,
  'hardening:profiles' | 'hardening:controls' | 'profiles:save' | 'profiles:delete' | 'profiles:import' | 'profiles:export' | 'profiles:exportAnsible'
>;

export function createProfileHandlers(s: AppServices): ProfileChannels {
  const find = (id: string) => findProfile(id, s.profiles.list());
  return {
    'hardening:profiles': () => profileViews(s.profiles),
    'hardening:controls': () => controlCatalog(),
    'profiles:save': ({ profile, replace }) => profileView(s.profiles.save(profile, { replace })),
    'profiles:delete': ({ id }) => ({ deleted: s.profiles.delete(id) }),
    'profiles:import': ({ text, replace }) => profileView(s.profiles.save(profileFromYaml(text), { replace })),
    'profiles:export': ({ id }) => profileToYaml(find(id)),
    'profiles:exportAnsible': ({ id }) => profileToAnsible(find(id)),
  };
}
