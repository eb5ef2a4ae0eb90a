import { channels, events, isEvent, type BulwarkApi, type ChannelName, type EventName, type Result, type Transport } from '../shared/contract';

/**
 * Builds window.bulwark from the contract: one function per channel, nothing else. The Electron
 * preload passes an ipcRenderer transport; the browser harness and start:web pass their own.
 * Requests are parsed here too so a bad call fails fast with the same message main would give.
 */
export function createApi(transport: Transport): BulwarkApi {
  const api: Record<string, unknown> = {};
  for (const name of Object.keys(channels) as ChannelName[]) {
    api[name] = async (request: unknown): Promise<Result<unknown>> => {
      const parsed = channels[name].request.safeParse(request ?? {});
      if (!parsed.success) {
        // the same shape the router gives: fields keyed by their path in the request
        const fields: Record<string, string> = {};
        for (const issue of parsed.error.issues) fields[issue.path.join('.') || '_'] ??= issue.message;
        const [first] = Object.entries(fields);
        return { ok: false, error: { code: 'BAD_REQUEST', message: `${name}: invalid request${first ? ` (${first[0]}: ${first[1]})` : ''}`, fields } };
      }
      return (await transport.invoke(name, request ?? {})) as Result<unknown>;
    };
  }
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  transport.subscribe((event, payload) => {
    if (!isEvent(event)) return;
    const parsed = events[event].safeParse(payload);
    if (!parsed.success) return;
    for (const l of listeners.get(event) ?? []) l(parsed.data);
  });
  api.on = (event: EventName, listener: (payload: unknown) => void) => {
    if (!isEvent(event)) throw new Error(`unknown event ${String(event)}`);
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set!.delete(listener);
  };
  return Object.freeze(api) as unknown as BulwarkApi;
}
