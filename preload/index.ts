/**
 * The Electron preload: exposes window.bulwark built from the contract. ipcRenderer itself is
 * never exposed, and only the two Bulwark channels are used.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { EventName, Transport } from '../shared/contract';
import { createApi } from './create-api';

const INVOKE_CHANNEL = 'bulwark:invoke';
const EVENT_CHANNEL = 'bulwark:event';

const transport: Transport = {
  invoke: (channel, request) => ipcRenderer.invoke(INVOKE_CHANNEL, channel, request),
  subscribe(listener) {
    const handler = (_e: unknown, event: EventName, payload: unknown) => listener(event, payload);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  },
};

contextBridge.exposeInMainWorld('bulwark', createApi(transport));
