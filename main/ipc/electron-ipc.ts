/** The one place that imports ipcMain. */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { EventName, EventPayload } from '../../shared/contract';
import type { Router, SenderInfo } from './router';

export const INVOKE_CHANNEL = 'bulwark:invoke';
export const EVENT_CHANNEL = 'bulwark:event';

function senderOf(event: IpcMainInvokeEvent): SenderInfo {
  const frame = event.senderFrame;
  return {
    frameUrl: frame?.url ?? '',
    isMainFrame: !!frame && frame === event.sender.mainFrame,
  };
}

export function bindRouter(router: Router): void {
  ipcMain.handle(INVOKE_CHANNEL, (event, channel: unknown, payload: unknown) => router(channel, payload, senderOf(event)));
}

export function eventSender(getWindow: () => BrowserWindow | null) {
  return <E extends EventName>(event: E, payload: EventPayload<E>): void => {
    const win = getWindow();
    if (win && !win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event, payload);
  };
}
