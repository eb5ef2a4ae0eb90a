/**
 * The BrowserWindow factory and the session lock-down, with 'electron' replaced by recording
 * fakes: what matters is which options reach the constructor and what the registered handlers
 * decide when Electron calls them.
 */
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;
type PermissionRequestHandler = (
  wc: { getURL(): string },
  permission: string,
  callback: (granted: boolean) => void,
  details: { requestingUrl?: string },
) => void;
type PermissionCheckHandler = (wc: { getURL(): string } | null, permission: string, requestingOrigin: string, details: object) => boolean;

const h = vi.hoisted(() => {
  class Emitter {
    readonly listeners = new Map<string, Listener[]>();
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
    count(name: string) {
      return this.listeners.get(name)?.length ?? 0;
    }
  }
  class FakeWebContents extends Emitter {
    windowOpenHandler: ((details: { url: string }) => unknown) | null = null;
    setWindowOpenHandler = vi.fn((fn: (details: { url: string }) => unknown) => {
      this.windowOpenHandler = fn;
    });
  }
  const windows: FakeBrowserWindow[] = [];
  class FakeBrowserWindow extends Emitter {
    readonly webContents = new FakeWebContents();
    readonly loadURL = vi.fn(async (_url: string) => undefined);
    readonly show = vi.fn();
    constructor(readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
    }
  }
  const defaultSession = new (class extends Emitter {
    requestHandler: PermissionRequestHandler | null = null;
    checkHandler: PermissionCheckHandler | null = null;
    setPermissionRequestHandler = vi.fn((fn: PermissionRequestHandler) => {
      this.requestHandler = fn;
    });
    setPermissionCheckHandler = vi.fn((fn: PermissionCheckHandler) => {
      this.checkHandler = fn;
    });
  })();
  const shell = { openExternal: vi.fn(async (_url: string) => undefined) };
  return { windows, FakeBrowserWindow, defaultSession, shell };
});

vi.mock('electron', () => ({
  BrowserWindow: h.FakeBrowserWindow,
  session: { defaultSession: h.defaultSession },
  shell: h.shell,
  protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
}));

import { createMainWindow, lockDownSession, openExternalSafely } from '../../../main/windows/main-window';

const PRELOAD_DIR = '/opt/bulwark/out/preload';

function newWindow() {
  createMainWindow(PRELOAD_DIR);
  const win = h.windows.at(-1);
  if (!win) throw new Error('createMainWindow did not construct a BrowserWindow');
  return win;
}

/** Emits a webContents event with a fresh event object and reports whether it was prevented. */
function prevented(win: InstanceType<typeof h.FakeBrowserWindow>, name: string, ...args: unknown[]): boolean {
  const event = { preventDefault: vi.fn() };
  win.webContents.emit(name, event, ...args);
  return event.preventDefault.mock.calls.length > 0;
}

beforeEach(() => {
  h.windows.length = 0;
  vi.clearAllMocks();
});

describe('createMainWindow', () => {
  it('constructs exactly one window with the hardened webPreferences and nothing else', () => {
    const win = newWindow();
    expect(h.windows).toHaveLength(1);
    // strict equality on the whole object: a new preference (or a flipped one) must be a
    // deliberate change to this test, not something that slips in
    expect(win.options.webPreferences).toStrictEqual({
      preload: join(PRELOAD_DIR, 'index.cjs'),
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
    });
  });

  it('names each security-critical preference explicitly (defaults are not trusted)', () => {
    const prefs = newWindow().options.webPreferences as Record<string, unknown>;
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('additionalArguments');
  });

  it('loads only app://bulwark/index.html and shows the window when it is ready', () => {
    const win = newWindow();
    expect(win.loadURL).toHaveBeenCalledTimes(1);
    expect(win.loadURL).toHaveBeenCalledWith('app://bulwark/index.html');
    expect(win.options.show).toBe(false);
    expect(win.show).not.toHaveBeenCalled();
    win.emit('ready-to-show');
    expect(win.show).toHaveBeenCalledTimes(1);
  });

  it('prevents navigation away from the app origin', () => {
    const win = newWindow();
    expect(win.webContents.count('will-navigate')).toBeGreaterThan(0);
    for (const url of [
      'https://evil.example/',
      'http://127.0.0.1:5123/index.html',
      'file:///etc/passwd',
      'app://bulwark.evil.example/index.html',
      'app://bulwark@evil.example/index.html',
      'app://evil/index.html',
      'app://bulwark', // no path: never a page Electron would hand us, and not our prefix
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'about:blank',
    ]) {
      expect(prevented(win, 'will-navigate', url), url).toBe(true);
    }
  });

  it('allows navigation within app://bulwark/', () => {
    const win = newWindow();
    for (const url of ['app://bulwark/index.html', 'app://bulwark/index.html#/keys', 'app://bulwark/']) {
      expect(prevented(win, 'will-navigate', url), url).toBe(false);
    }
  });

  it('prevents every redirect and every <webview> attach', () => {
    const win = newWindow();
    expect(win.webContents.count('will-redirect')).toBeGreaterThan(0);
    expect(prevented(win, 'will-redirect', 'https://evil.example/')).toBe(true);
    expect(prevented(win, 'will-redirect', 'app://bulwark/index.html')).toBe(true);
    expect(win.webContents.count('will-attach-webview')).toBeGreaterThan(0);
    expect(prevented(win, 'will-attach-webview', {}, {})).toBe(true);
  });

  it('denies every new window, ours or not', () => {
    const win = newWindow();
    expect(win.webContents.setWindowOpenHandler).toHaveBeenCalledTimes(1);
    const handler = win.webContents.windowOpenHandler;
    expect(handler).toBeTypeOf('function');
    for (const url of ['https://evil.example/', 'app://bulwark/index.html', 'about:blank']) {
      expect(handler!({ url })).toEqual({ action: 'deny' });
    }
  });
});

describe('lockDownSession', () => {
  const OURS = 'app://bulwark/index.html';
  const ourContents = { getURL: () => OURS };
  const foreignContents = { getURL: () => 'https://evil.example/' };

  beforeEach(() => {
    h.defaultSession.listeners.clear();
    h.defaultSession.requestHandler = null;
    h.defaultSession.checkHandler = null;
  });

  function requestHandler(): PermissionRequestHandler {
    lockDownSession();
    expect(h.defaultSession.setPermissionRequestHandler).toHaveBeenCalledTimes(1);
    return h.defaultSession.requestHandler!;
  }
  function checkHandler(): PermissionCheckHandler {
    lockDownSession();
    expect(h.defaultSession.setPermissionCheckHandler).toHaveBeenCalledTimes(1);
    return h.defaultSession.checkHandler!;
  }
  /** Runs the request handler and insists the callback is answered exactly once. */
  function decide(handler: PermissionRequestHandler, wc: { getURL(): string }, permission: string, requestingUrl?: string): boolean {
    const callback = vi.fn();
    handler(wc, permission, callback, requestingUrl === undefined ? {} : { requestingUrl });
    expect(callback, `${permission} from ${requestingUrl ?? wc.getURL()}`).toHaveBeenCalledTimes(1);
    return callback.mock.calls[0]![0] as boolean;
  }

  it('denies camera, microphone, geolocation, notifications and the rest, even from our own page', () => {
    const handler = requestHandler();
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'midi',
      'midiSysex',
      'pointerLock',
      'fullscreen',
      'openExternal',
      'clipboard-read',
      'display-capture',
      'mediaKeySystem',
      'idle-detection',
      'window-management',
      'storage-access',
      'unknown',
    ]) {
      expect(decide(handler, ourContents, permission, OURS), permission).toBe(false);
    }
  });

  it('allows clipboard-sanitized-write only from app://bulwark', () => {
    const handler = requestHandler();
    expect(decide(handler, ourContents, 'clipboard-sanitized-write', OURS)).toBe(true);
    // no requestingUrl: falls back to the page's own URL
    expect(decide(handler, ourContents, 'clipboard-sanitized-write')).toBe(true);
    expect(decide(handler, ourContents, 'clipboard-sanitized-write', '')).toBe(true);
    expect(decide(handler, foreignContents, 'clipboard-sanitized-write')).toBe(false);
    // a foreign frame inside our page is judged by its own URL, not the page's
    expect(decide(handler, ourContents, 'clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(decide(handler, ourContents, 'clipboard-sanitized-write', 'app://bulwark.evil/index.html')).toBe(false);
    expect(decide(handler, ourContents, 'clipboard-sanitized-write', 'http://bulwark/index.html')).toBe(false);
    expect(decide(handler, ourContents, 'clipboard-sanitized-write', 'not a url')).toBe(false);
  });

  it('answers permission checks the same way', () => {
    const handler = checkHandler();
    expect(handler(ourContents, 'clipboard-sanitized-write', 'app://bulwark', {})).toBe(true);
    expect(handler(ourContents, 'clipboard-sanitized-write', 'app://bulwark/', {})).toBe(true);
    expect(handler(null, 'clipboard-sanitized-write', 'app://bulwark', {})).toBe(true);
    for (const origin of ['https://evil.example', 'app://bulwark.evil', 'app://evil', 'null', '']) {
      expect(handler(ourContents, 'clipboard-sanitized-write', origin, {}), origin).toBe(false);
    }
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'hid', 'serial', 'usb', 'fullscreen']) {
      expect(handler(ourContents, permission, 'app://bulwark', {}), permission).toBe(false);
    }
  });

  it('lets only blobs made by our page download', () => {
    lockDownSession();
    expect(h.defaultSession.count('will-download')).toBe(1);
    const download = (url: string) => {
      const event = { preventDefault: vi.fn() };
      h.defaultSession.emit('will-download', event, { getURL: () => url }, ourContents);
      return event.preventDefault.mock.calls.length > 0 ? 'prevented' : 'allowed';
    };
    expect(download('blob:app://bulwark/6f1c2a8e-1111-4c4c-9d9d-0123456789ab')).toBe('allowed');
    for (const url of [
      'https://evil.example/payload.exe',
      'blob:https://evil.example/6f1c2a8e',
      'blob:app://bulwark.evil/6f1c2a8e',
      'blob:null/6f1c2a8e',
      'data:application/octet-stream;base64,AAAA',
      'app://bulwark/index.html',
      'file:///etc/passwd',
    ]) {
      expect(download(url), url).toBe('prevented');
    }
  });

});

describe('openExternalSafely', () => {
  it('passes allow-listed https://github.com/ URLs to shell.openExternal', () => {
    openExternalSafely('https://github.com/bulwark-app/bulwark#readme');
    expect(h.shell.openExternal).toHaveBeenCalledTimes(1);
    expect(h.shell.openExternal).toHaveBeenCalledWith('https://github.com/bulwark-app/bulwark#readme');
  });

  it('never hands anything else to the OS', () => {
    for (const url of [
      'http://github.com/bulwark-app/bulwark',
      'https://github.com.evil.example/',
      'https://github.com@evil.example/',
      'https://evil.example/?next=https://github.com/',
      'https://gist.github.com/x',
      'file:///etc/passwd',
      'smb://evil.example/share',
      'javascript:alert(1)',
      ' https://github.com/',
      'https://github.com',
    ]) {
      openExternalSafely(url);
    }
    expect(h.shell.openExternal).not.toHaveBeenCalled();
  });
});
