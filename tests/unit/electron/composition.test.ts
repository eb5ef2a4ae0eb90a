/**
 * The composition root, main/index.ts, loaded against a mocked 'electron'. Every Electron call
 * it makes is recorded in one ordered log, so the test can say not only what was called but in
 * what order: the sandbox is switched on before anything else, the scheme is registered before
 * 'ready', and the session is locked down and IPC bound before the one window exists.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;

const h = vi.hoisted(() => {
  const log: string[] = [];
  const appListeners = new Map<string, Listener[]>();
  const ipcHandlers = new Map<string, Listener>();
  const windows: FakeBrowserWindow[] = [];
  const ready: { resolve: () => void } = { resolve: () => {} };

  class FakeBrowserWindow {
    readonly listeners = new Map<string, Listener[]>();
    readonly webContents = {
      on: vi.fn(() => this.webContents),
      setWindowOpenHandler: vi.fn(),
      send: vi.fn(),
    };
    readonly loadURL = vi.fn(async (url: string) => {
      log.push(`loadURL ${url}`);
    });
    readonly isDestroyed = vi.fn(() => false);
    readonly isMinimized = vi.fn(() => false);
    readonly restore = vi.fn();
    readonly focus = vi.fn();
    readonly show = vi.fn();
    constructor(readonly options: { webPreferences?: Record<string, unknown> }) {
      log.push('new BrowserWindow');
      windows.push(this);
    }
    on(name: string, fn: Listener) {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), fn]);
      return this;
    }
    once(name: string, fn: Listener) {
      return this.on(name, fn);
    }
    emit(name: string, ...args: unknown[]) {
      for (const fn of this.listeners.get(name) ?? []) fn(...args);
    }
  }

  const app = {
    enableSandbox: vi.fn(() => void log.push('app.enableSandbox')),
    requestSingleInstanceLock: vi.fn(() => {
      log.push('app.requestSingleInstanceLock');
      return true;
    }),
    quit: vi.fn(() => void log.push('app.quit')),
    whenReady: vi.fn(() => {
      log.push('app.whenReady');
      return new Promise<void>((resolve) => {
        ready.resolve = () => {
          log.push('ready');
          resolve();
        };
      });
    }),
    on: vi.fn((name: string, fn: Listener) => {
      appListeners.set(name, [...(appListeners.get(name) ?? []), fn]);
      return app;
    }),
    getPath: vi.fn(() => tmpdir()),
  };
  const protocol = {
    registerSchemesAsPrivileged: vi.fn(() => void log.push('protocol.registerSchemesAsPrivileged')),
    handle: vi.fn((scheme: string) => void log.push(`protocol.handle ${scheme}`)),
  };
  const defaultSession = {
    setPermissionRequestHandler: vi.fn(() => void log.push('session.setPermissionRequestHandler')),
    setPermissionCheckHandler: vi.fn(() => void log.push('session.setPermissionCheckHandler')),
    on: vi.fn((name: string) => void log.push(`session.on ${name}`)),
  };
  const ipcMain = {
    handle: vi.fn((channel: string, fn: Listener) => {
      log.push(`ipcMain.handle ${channel}`);
      ipcHandlers.set(channel, fn);
    }),
    on: vi.fn(),
  };
  const safeStorage = {
    isEncryptionAvailable: vi.fn(() => true),
    getSelectedStorageBackend: vi.fn(() => 'basic_text'),
    encryptString: vi.fn(),
    decryptString: vi.fn(),
  };
  const Notification = Object.assign(vi.fn(), { isSupported: vi.fn(() => false) });
  const dialog = { showSaveDialog: vi.fn(), showOpenDialog: vi.fn() };
  const shell = { openExternal: vi.fn() };

  function reset() {
    log.length = 0;
    windows.length = 0;
    appListeners.clear();
    ipcHandlers.clear();
  }
  return { log, app, appListeners, ipcHandlers, windows, ready, FakeBrowserWindow, protocol, defaultSession, ipcMain, safeStorage, Notification, dialog, shell, reset };
});

vi.mock('electron', () => ({
  app: h.app,
  BrowserWindow: h.FakeBrowserWindow,
  protocol: h.protocol,
  session: { defaultSession: h.defaultSession },
  ipcMain: h.ipcMain,
  safeStorage: h.safeStorage,
  Notification: h.Notification,
  dialog: h.dialog,
  shell: h.shell,
}));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bulwark-composition-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(() => {
  h.reset();
  vi.clearAllMocks();
  vi.resetModules(); // main/index.ts runs its wiring at import time: import it afresh each test
  vi.stubEnv('BULWARK_VAULT', join(dir, 'vault.db'));
  return async () => {
    // let 'will-quit' close the vault the test opened (it holds the quit until SSH connections
    // are closed, then quits again), then drop the env stub
    const listeners = h.appListeners.get('will-quit') ?? [];
    const event = { preventDefault: vi.fn() };
    for (const fn of listeners) fn(event);
    if (listeners.length) {
      expect(event.preventDefault).toHaveBeenCalled();
      await vi.waitFor(() => expect(h.app.quit).toHaveBeenCalled());
    }
    vi.unstubAllEnvs();
  };
});

async function startApp() {
  await import('../../../main/index');
  expect(h.windows, 'no window before app ready').toHaveLength(0);
  h.ready.resolve();
  await vi.waitFor(() => expect(h.windows).toHaveLength(1));
}

const at = (entry: string) => {
  const i = h.log.indexOf(entry);
  expect(i, `${entry} in ${JSON.stringify(h.log)}`).toBeGreaterThanOrEqual(0);
  return i;
};

describe('main/index.ts composition', () => {
  it('enables the sandbox first, registers the scheme before ready, and only then builds things', async () => {
    await startApp();
    expect(h.app.enableSandbox).toHaveBeenCalledTimes(1);
    expect(h.log[0]).toBe('app.enableSandbox');
    expect(at('protocol.registerSchemesAsPrivileged')).toBeLessThan(at('ready'));
    expect(h.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) })]);
    expect(at('app.enableSandbox')).toBeLessThan(at('new BrowserWindow'));
  });

  it('locks the session, serves app:// and binds IPC before creating the window', async () => {
    await startApp();
    const win = at('new BrowserWindow');
    for (const entry of [
      'session.setPermissionRequestHandler',
      'session.setPermissionCheckHandler',
      'session.on will-download',
      'protocol.handle app',
      'ipcMain.handle bulwark:invoke',
    ]) {
      expect(at(entry), entry).toBeGreaterThan(at('ready'));
      expect(at(entry), entry).toBeLessThan(win);
    }
    expect(h.ipcMain.handle).toHaveBeenCalledTimes(1);
    expect(h.ipcMain.on).not.toHaveBeenCalled();
    expect(at('loadURL app://bulwark/index.html')).toBeGreaterThan(win);
  });

  it('creates exactly one sandboxed window whose preload is preload/index.cjs', async () => {
    await startApp();
    expect(h.windows).toHaveLength(1);
    const prefs = h.windows[0]!.options.webPreferences!;
    expect(prefs.preload).toEqual(expect.stringMatching(/[\\/]preload[\\/]index\.cjs$/));
    expect(String(prefs.preload).endsWith(`${sep}preload${sep}index.cjs`)).toBe(true);
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
  });

  it('routes IPC from our main frame to the services (vault at $BULWARK_VAULT) and refuses a sub-frame', async () => {
    await startApp();
    const invoke = h.ipcHandlers.get('bulwark:invoke')!;
    const mainFrame = { url: 'app://bulwark/index.html' };
    const status = await invoke({ senderFrame: mainFrame, sender: { mainFrame } }, 'vault:status', {});
    expect(status).toMatchObject({
      ok: true,
      value: {
        state: 'absent',
        path: join(dir, 'vault.db'),
        // the Linux keychain adapter is wired in: the mocked basic_text backend is refused
        keychain: process.platform === 'linux' ? { available: false, reason: expect.stringContaining('basic_text') } : { available: true },
      },
    });
    const iframe = { url: 'app://bulwark/index.html' };
    expect(await invoke({ senderFrame: iframe, sender: { mainFrame } }, 'vault:status', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });

  it('quits when all windows close, and focuses the existing window on a second instance', async () => {
    await startApp();
    const win = h.windows[0]!;
    win.isMinimized.mockReturnValue(true);
    for (const fn of h.appListeners.get('second-instance') ?? []) fn();
    expect(win.restore).toHaveBeenCalledTimes(1);
    expect(win.focus).toHaveBeenCalledTimes(1);
    expect(h.windows).toHaveLength(1); // no second window

    win.emit('closed');
    for (const fn of h.appListeners.get('second-instance') ?? []) fn(); // no window: nothing to focus, no throw
    expect(win.focus).toHaveBeenCalledTimes(1);
    for (const fn of h.appListeners.get('window-all-closed') ?? []) fn();
    expect(h.app.quit).toHaveBeenCalledTimes(1);
  });

  it('without the single-instance lock: quits and creates nothing', async () => {
    h.app.requestSingleInstanceLock.mockReturnValueOnce(false);
    await import('../../../main/index');
    await new Promise((r) => setTimeout(r, 20));
    expect(h.app.enableSandbox).toHaveBeenCalledTimes(1);
    expect(h.app.quit).toHaveBeenCalledTimes(1);
    expect(h.app.whenReady).not.toHaveBeenCalled();
    expect(h.windows).toHaveLength(0);
    expect(h.ipcMain.handle).not.toHaveBeenCalled();
  });
});
