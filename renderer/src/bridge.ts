/**
 * The only module that touches window.bulwark. Everything else calls `call()` and `onEvent()`.
 *
 * window.bulwark returns Result data instead of rejecting, because contextBridge strips the
 * fields of Error objects; here the data becomes a BulwarkError again so callers can branch on
 * `code` and show `fields` under form inputs.
 */
import type { BulwarkApi, ChannelName, EventName, EventPayload, Request, Response, Result } from '../../shared/contract';
import { BulwarkError, ERROR_CODES, type ErrorCode } from '../../shared/errors';

type Invoke<C extends ChannelName> = (request: Request<C>) => Promise<Result<Response<C>>>;

// Read lazily and not declared on Window globally, so no other module can reach it by accident.
function api(): BulwarkApi {
  const candidate = (globalThis as { bulwark?: BulwarkApi }).bulwark;
  if (!candidate) {
    throw new BulwarkError('INTERNAL', 'The Bulwark bridge (window.bulwark) is missing: this page only works inside the Bulwark app or its test harness.');
  }
  return candidate;
}

export function hasBridge(): boolean {
  return typeof (globalThis as { bulwark?: unknown }).bulwark === 'object';
}

const errorListeners = new Set<(error: BulwarkError, channel: ChannelName) => void>();

/** Lets the vault store notice VAULT_LOCKED from any call without every caller checking. */
export function onCallError(listener: (error: BulwarkError, channel: ChannelName) => void): () => void {
  errorListeners.add(listener);
  return () => errorListeners.delete(listener);
}

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);
}

function fail(channel: ChannelName, error: BulwarkError): never {
  for (const listener of errorListeners) listener(error, channel);
  throw error;
}

/** Calls one contract channel; resolves with the value or throws a BulwarkError. */
export async function call<C extends ChannelName>(channel: C, request: Request<C>): Promise<Response<C>> {
  let result: Result<Response<C>>;
  try {
    result = await (api()[channel] as unknown as Invoke<C>)(request);
  } catch (e) {
    // A transport failure (IPC torn down, harness gone) is not Result data: still report it typed.
    if (e instanceof BulwarkError) fail(channel, e);
    fail(channel, new BulwarkError('INTERNAL', `${channel}: ${e instanceof Error ? e.message : String(e)}`));
  }
  if (result && result.ok === true) return result.value;
  const data: unknown = result && result.ok === false ? result.error : undefined;
  if (data && typeof data === 'object') {
    const { code, message, fields } = data as { code?: unknown; message?: unknown; fields?: unknown };
    return fail(
      channel,
      new BulwarkError(
        isErrorCode(code) ? code : 'INTERNAL',
        typeof message === 'string' ? message : `${channel} failed`,
        fields && typeof fields === 'object' ? (fields as Record<string, string>) : undefined,
      ),
    );
  }
  return fail(channel, new BulwarkError('INTERNAL', `${channel}: the reply was not a Result`));
}

/** Subscribes to a main -> renderer event; returns the unsubscribe function. */
export function onEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return api().on(event, listener);
}
