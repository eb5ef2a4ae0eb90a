import { useEffect } from 'react';
import { useHostsStore } from '../../stores/hosts';
import { useUiStore, type Section } from '../../stores/ui';
import { InventoryView } from '../inventory/InventoryView';
import { KeysView } from '../keys/KeysView';
import { LogsView } from '../logs/LogsView';
import { ProfilesView } from '../profiles/ProfilesView';
import { ProxmoxView } from '../proxmox/ProxmoxView';
import { RunsView } from '../runs/RunsView';
import { SettingsView } from '../settings/SettingsView';
import { Header } from './Header';
import { Nav } from './Nav';
import { useGlobalShortcuts } from './useGlobalShortcuts';

const VIEWS: Record<Section, () => React.JSX.Element> = {
  inventory: InventoryView,
  keys: KeysView,
  profiles: ProfilesView,
  runs: RunsView,
  logs: LogsView,
  proxmox: ProxmoxView,
  settings: SettingsView,
};

/** The unlocked app: navigation, header, and the current section. Mounted only while unlocked. */
export function Shell() {
  const section = useUiStore((s) => s.section);
  useGlobalShortcuts();
  // The shell mounts on every unlock; the host list is loaded once per unlock.
  useEffect(() => {
    if (useHostsStore.getState().loadState === 'idle') void useHostsStore.getState().load();
  }, []);
  const View = VIEWS[section];
  return (
    <div className="app-shell">
      <Nav />
      <div className="app-main">
        <Header />
        <main className="app-content" id="content" data-testid={`section-${section}`}>
          <View />
        </main>
      </div>
    </div>
  );
}
