import type { IconName } from '../../components/Icon';
import type { Section } from '../../stores/ui';

export interface SectionInfo {
  id: Section;
  label: string;
  icon: IconName;
  /** Not built yet: the nav marks it so nobody expects data there. */
  planned?: boolean;
}

export const SECTIONS: readonly SectionInfo[] = [
  { id: 'inventory', label: 'Inventory', icon: 'server' },
  { id: 'keys', label: 'Keys', icon: 'key' },
  { id: 'profiles', label: 'Profiles', icon: 'list' },
  { id: 'runs', label: 'Runs', icon: 'play' },
  { id: 'logs', label: 'Live logs', icon: 'activity' },
  { id: 'proxmox', label: 'Proxmox', icon: 'cube' },
  { id: 'settings', label: 'Settings', icon: 'gear' },
];
