/**
 * window.bulwark for start:web and the browser tests: the same createApi, over HTTP to the
 * local server (POST /ipc) with events from Server-Sent Events (/events). The session cookie
 * the server set on the one-time link authenticates every request.
 */
import { createApi } from './create-api';
import type { EventName, Transport } from '../shared/contract';

const transport: Transport = {
  async invoke(channel, request) {
    const res = await fetch('./ipc', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ channel, request }),
      credentials: 'same-origin',
    });
    if (!res.ok) {
      return { ok: false, error: { code: 'FORBIDDEN_SENDER', message: `The local Bulwark server refused the request (HTTP ${res.status})` } };
    }
    return res.json();
  },
  subscribe(listener) {
    const source = new EventSource('./events');
    source.onmessage = (m: MessageEvent<string>) => {
      const { event, payload } = JSON.parse(m.data) as { event: EventName; payload: unknown };
      listener(event, payload);
    };
    return () => source.close();
  },
};

(window as unknown as { bulwark: unknown }).bulwark = createApi(transport);
