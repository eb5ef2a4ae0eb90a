/**
 * The ipcMain binding: one invoke channel, and a SenderInfo computed from the frame that really
 * sent the message. Also run through the real router, so a sub-frame or a frame-less sender is
 * shown to be refused end to end.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;

const h = vi.hoisted(() => {
  const state: { handler: InvokeHandler | null } = { handler: null };
  const ipcMain = {
    handle: vi.fn((_channel: string, fn: InvokeHandler) => {
      state.handler = fn;
    }),
    handleOnce: vi.fn(),
    on: vi.fn(),
    once: vi.fn(),
  };
  return { state, ipcMain };
});

vi.mock('electron', () => ({ ipcMain: h.ipcMain }));

import { EVENT_CHANNEL, INVOKE_CHANNEL, bindRouter, eventSender } from '../../../main/ipc/electron-ipc';
import { createRouter, type Handlers, type Router } from '../../../main/ipc/router';
import type { BrowserWindow } from 'electron';

const OURS = 'app://bulwark/index.html';

interface FakeFrame {
  url: string;
}
function invokeEvent(senderFrame: FakeFrame | null, mainFrame: FakeFrame) {
  return { senderFrame, sender: { mainFrame }, frameId: 1, processId: 1 };
}

/** A router double that answers `ok` with the given value. */
function okRouter(value: unknown) {
  return vi.fn<Router>(async () => ({ ok: true, value }));
}

function bind(router: Router): InvokeHandler {
  bindRouter(router);
  return h.state.handler!;
}

beforeEach(() => {
  vi.clearAllMocks();
  h.state.handler = null;
});

describe('bindRouter', () => {
  it("registers exactly one ipcMain.handle, on 'bulwark:invoke', and no other listener", () => {
    bindRouter(okRouter(null));
    expect(INVOKE_CHANNEL).toBe('bulwark:invoke');
    expect(h.ipcMain.handle).toHaveBeenCalledTimes(1);
    expect(h.ipcMain.handle.mock.calls[0]![0]).toBe('bulwark:invoke');
    expect(h.ipcMain.on).not.toHaveBeenCalled();
    expect(h.ipcMain.once).not.toHaveBeenCalled();
    expect(h.ipcMain.handleOnce).not.toHaveBeenCalled();
  });

  it('passes channel, payload and {frameUrl, isMainFrame: true} for the main frame, and returns the router result', async () => {
    const router = okRouter([]);
    const mainFrame = { url: OURS };
    const result = await bind(router)(invokeEvent(mainFrame, mainFrame), 'hosts:list', { a: 1 });
    expect(router).toHaveBeenCalledTimes(1);
    expect(router).toHaveBeenCalledWith('hosts:list', { a: 1 }, { frameUrl: OURS, isMainFrame: true });
    expect(result).toEqual({ ok: true, value: [] });
  });

  it('marks a sub-frame as not the main frame, even at our own URL', async () => {
    const router = okRouter(null);
    const mainFrame = { url: OURS };
    const iframe = { url: OURS }; // same URL, different frame
    await bind(router)(invokeEvent(iframe, mainFrame), 'vault:status', {});
    expect(router).toHaveBeenCalledWith('vault:status', {}, { frameUrl: OURS, isMainFrame: false });
  });

  it('reports a foreign sub-frame with its own URL', async () => {
    const router = okRouter(null);
    await bind(router)(invokeEvent({ url: 'https://evil.example/ad.html' }, { url: OURS }), 'vault:status', {});
    expect(router).toHaveBeenCalledWith('vault:status', {}, { frameUrl: 'https://evil.example/ad.html', isMainFrame: false });
  });

  it('treats a missing senderFrame (frame gone or navigated) as not the main frame', async () => {
    const router = okRouter(null);
    await bind(router)(invokeEvent(null, { url: OURS }), 'vault:status', {});
    expect(router).toHaveBeenCalledWith('vault:status', {}, { frameUrl: '', isMainFrame: false });
  });

  describe('with the real router', () => {
    const list = vi.fn(() => []);
    const handler = () => bind(createRouter({ handlers: { 'hosts:list': list } as unknown as Handlers, allowedOrigins: ['app://bulwark'] }));

    beforeEach(() => list.mockClear());

    it('accepts our main frame', async () => {
      const mainFrame = { url: OURS };
      expect(await handler()(invokeEvent(mainFrame, mainFrame), 'hosts:list', {})).toEqual({ ok: true, value: [] });
      expect(list).toHaveBeenCalledTimes(1);
    });

    it('refuses a sub-frame, a frame-less sender and a foreign main frame with FORBIDDEN_SENDER', async () => {
      const invoke = handler();
      const foreign = { url: 'https://evil.example/' };
      for (const event of [invokeEvent({ url: OURS }, { url: OURS }), invokeEvent(null, { url: OURS }), invokeEvent(foreign, foreign)]) {
        expect(await invoke(event, 'hosts:list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
      }
      expect(list).not.toHaveBeenCalled();
    });
  });
});

describe('eventSender', () => {
  function fakeWindow(destroyed = false) {
    const send = vi.fn();
    const win = { isDestroyed: vi.fn(() => destroyed), webContents: { send } };
    return { win: win as unknown as BrowserWindow, send };
  }

  it("sends on 'bulwark:event' to a live window", () => {
    const { win, send } = fakeWindow();
    eventSender(() => win)('vault:stateChanged', { state: 'locked', reason: 'idle' });
    expect(EVENT_CHANNEL).toBe('bulwark:event');
    expect(send).toHaveBeenCalledTimes(1);
    expect(send).toHaveBeenCalledWith('bulwark:event', 'vault:stateChanged', { state: 'locked', reason: 'idle' });
  });

  it('does nothing when there is no window', () => {
    expect(() => eventSender(() => null)('vault:stateChanged', { state: 'locked' })).not.toThrow();
  });

  it('does not send to a destroyed window', () => {
    const { win, send } = fakeWindow(true);
    eventSender(() => win)('vault:stateChanged', { state: 'locked' });
    expect(send).not.toHaveBeenCalled();
  });

  it('asks for the window at send time, so a replaced window gets the event', () => {
    const first = fakeWindow();
    const second = fakeWindow();
    let current: BrowserWindow | null = null;
    const send = eventSender(() => current);
    send('vault:stateChanged', { state: 'absent' });
    current = first.win;
    send('vault:stateChanged', { state: 'locked' });
    current = second.win;
    send('vault:stateChanged', { state: 'unlocked' });
    expect(first.send).toHaveBeenCalledTimes(1);
    expect(first.send).toHaveBeenCalledWith('bulwark:event', 'vault:stateChanged', { state: 'locked' });
    expect(second.send).toHaveBeenCalledTimes(1);
    expect(second.send).toHaveBeenCalledWith('bulwark:event', 'vault:stateChanged', { state: 'unlocked' });
  });
});
