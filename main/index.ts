/**
 * Composition root of the desktop app. Wiring only: the logic lives in services/, the
 * Electron-specific pieces in windows/, ipc/ and platform/.
 */
import { app, type BrowserWindow } from 'electron';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createAppServices } from './services/app';
import { defaultVaultPath } from './services/paths';
import { createHandlers } from './ipc/handlers';
import { createRouter } from './ipc/router';
import { bindRouter, eventSender } from './ipc/electron-ipc';
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './windows/app-protocol';
import { createMainWindow, lockDownSession } from './windows/main-window';
import { safeStorageKeychain } from './platform/keychain';
import { electronDialogs } from './platform/dialogs';
import { notify } from './platform/notifications';

app.enableSandbox();
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let window: BrowserWindow | null = null;
  const getWindow = () => window;

  app.on('second-instance', () => {
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });

  void app.whenReady().then(() => {
    lockDownSession();
    serveRenderer(join(__dirname, '../renderer'));

    const services = createAppServices({
      vaultPath: defaultVaultPath(),
      keychain: safeStorageKeychain(),
      dialogs: electronDialogs(getWindow),
      sshConfigPath: join(homedir(), '.ssh', 'config'),
      agentSocket: process.env.SSH_AUTH_SOCK,
      notify,
    });
    const send = eventSender(getWindow);
    services.events.subscribe((event, payload) => send(event, payload));
    services.vault.onStateChange((_state, reason) => {
      if (reason === 'idle') notify('Bulwark locked', 'The vault locked itself after being idle.');
    });
    bindRouter(
      createRouter({
        handlers: createHandlers(services),
        allowedOrigins: [APP_ORIGIN],
        onActivity: () => services.autoLock.touch(),
        onInternalError: (channel, error) => console.error(`[ipc] ${channel} failed:`, error),
      }),
    );

    window = createMainWindow(join(__dirname, '../preload'));
    window.on('closed', () => (window = null));

    app.on('window-all-closed', () => app.quit());
    // closing SSH connections is asynchronous: hold the quit until they are closed
    let disposed = false;
    app.on('will-quit', (event) => {
      if (disposed) return;
      event.preventDefault();
      void services.dispose().finally(() => {
        disposed = true;
        app.quit();
      });
    });
  });
}
