/**
 * The one window. The security options are written literally in the constructor call so
 * static checkers (electronegativity) can see them.
 */
import { BrowserWindow, session, shell } from 'electron';
import { join } from 'node:path';
import { originOf } from '../ipc/router';
import { APP_ORIGIN } from './app-protocol';

export function createMainWindow(preloadDir: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    backgroundColor: '#0d1117',
    title: 'Bulwark',
    webPreferences: {
      preload: join(preloadDir, 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });

  // Nothing but our own pages, ever: no navigation, no new windows, no permissions.
  win.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  win.webContents.on('will-redirect', (event) => event.preventDefault());
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

/**
 * Denies every permission request (camera, notifications from the page, geolocation...) except
 * writing plain text to the clipboard from our own page (Copy buttons). Downloads are allowed
 * only for blobs our page made (the Ansible export); Electron then asks where to save.
 */
export function lockDownSession(): void {
  const ses = session.defaultSession;
  const ours = (origin: string | undefined) => origin === APP_ORIGIN || origin === `${APP_ORIGIN}/`;
  ses.setPermissionRequestHandler((wc, permission, callback, details) =>
    callback(permission === 'clipboard-sanitized-write' && ours(originOf(details.requestingUrl || wc.getURL()) ?? undefined)),
  );
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) => permission === 'clipboard-sanitized-write' && ours(requestingOrigin));
  ses.on('will-download', (event, item) => {
    if (!item.getURL().startsWith(`blob:${APP_ORIGIN}/`)) event.preventDefault();
  });
}

/** shell.openExternal is allowed only for the project's documentation. */
const EXTERNAL_ALLOW_LIST = ['https://github.com/'];
export function openExternalSafely(url: string): void {
  if (EXTERNAL_ALLOW_LIST.some((prefix) => url.startsWith(prefix))) void shell.openExternal(url);
}
