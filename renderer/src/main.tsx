import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { hasBridge } from './bridge';
import { startThemeSync } from './stores/ui';
import { startActivityPings, startVaultEvents, useVaultStore } from './stores/vault';
import './styles/base.css';
import './styles/components.css';
import './styles/vault.css';
import './styles/shell.css';
import './styles/inventory.css';
import './styles/keys.css';
import './styles/profiles.css';
import './styles/runs.css';

// Theme before the first paint, so a light-theme user never sees a dark flash.
startThemeSync();

// Store wiring lives outside React: events keep arriving whichever screen is mounted.
if (hasBridge()) {
  startVaultEvents();
  startActivityPings();
  void useVaultStore.getState().refresh();
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
