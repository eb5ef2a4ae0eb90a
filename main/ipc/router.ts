/**
 * The one IPC router. Transports (Electron ipcMain, the browser test bridge, start:web) hand it
 * a channel name, an untrusted payload and who sent it; it checks the sender, zod-parses the
 * request, calls the handler and zod-parses the reply. Errors leave as data, never as throws.
 */
import type { z } from 'zod';
import { channels, isChannel, type ChannelName, type Response, type Result } from '../../shared/contract';
import { isBulwarkError, type ErrorData } from '../../shared/errors';

export interface SenderInfo {
  /** URL of the frame that sent the message. */
  frameUrl: string;
  /** False for iframes: only our top-level document may talk to main. */
  isMainFrame: boolean;
}

type ParsedRequest<C extends ChannelName> = z.output<(typeof channels)[C]['request']>;
export type Handlers = {
  [C in ChannelName]: (request: ParsedRequest<C>) => Promise<Response<C>> | Response<C>;
};

export interface RouterOptions {
  handlers: Handlers;
  /** Origins allowed to call, e.g. 'app://bulwark' or 'http://127.0.0.1:5123'. */
  allowedOrigins: readonly string[];
  /** Called for every accepted request: drives the vault's idle auto-lock. */
  onActivity?: (channel: ChannelName) => void;
  /** Unexpected failures: logged without payloads, which may hold secrets. */
  onInternalError?: (channel: string, error: unknown) => void;
}

export type Router = (channel: unknown, payload: unknown, sender: SenderInfo) => Promise<Result<unknown>>;

function fail(code: ErrorData['code'], message: string, fields?: Record<string, string>): Result<never> {
  return { ok: false, error: fields ? { code, message, fields } : { code, message } };
}

export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    // custom schemes report origin "null"; rebuild it from protocol + host
    return u.origin !== 'null' ? u.origin : `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

export function createRouter(options: RouterOptions): Router {
  const allowed = new Set(options.allowedOrigins);
  return async (channel, payload, sender) => {
    if (!sender.isMainFrame || !allowed.has(originOf(sender.frameUrl) ?? '')) {
      return fail('FORBIDDEN_SENDER', 'IPC refused: the request did not come from the Bulwark window');
    }
    if (!isChannel(channel)) {
      return fail('UNKNOWN_CHANNEL', `Unknown IPC channel: ${String(channel).slice(0, 64)}`);
    }
    const spec = channels[channel];
    const parsed = spec.request.safeParse(payload);
    if (!parsed.success) {
      const fields: Record<string, string> = {};
      for (const issue of parsed.error.issues) fields[issue.path.join('.') || '_'] ??= issue.message;
      const [first] = Object.entries(fields);
      return fail('BAD_REQUEST', `${channel}: invalid request${first ? ` (${first[0]}: ${first[1]})` : ''}`, fields);
    }
    options.onActivity?.(channel);
    try {
      const handler = options.handlers[channel] as (r: unknown) => unknown;
      const value = await handler(parsed.data);
      const reply = spec.response.safeParse(value);
      if (!reply.success) {
        options.onInternalError?.(channel, new Error(`reply failed its schema: ${reply.error.issues[0]?.path.join('.')}`));
        return fail('INTERNAL', `${channel}: the reply did not match the contract`);
      }
      return { ok: true, value: reply.data };
    } catch (e) {
      if (isBulwarkError(e)) return { ok: false, error: e.toData() };
      options.onInternalError?.(channel, e);
      return fail('INTERNAL', `${channel} failed unexpectedly; see the log for details`);
    }
  };
}
