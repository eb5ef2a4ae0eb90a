/**
 * The engine's typed errors. Every message names the host; none carries a password, a private
 * key or a passphrase (values from ssh2 that could are never copied in). Structured details ride
 * in `fields` (strings) because that is what crosses IPC.
 */
import { BulwarkError, type ErrorCode } from '../../../shared/errors';

/** One SSH endpoint as the engine dials it. */
export interface Hop {
  host: string;
  port: number;
  user: string;
  /** The inventory name, when the hop came from the inventory. */
  name?: string;
  role: 'target' | 'jump';
}

/** "web1 (10.0.0.5:22)", "jump host bastion (10.0.0.1:22)" or "10.0.0.5:2222". */
export function describeHop(hop: Pick<Hop, 'host' | 'port' | 'name' | 'role'>): string {
  const addr = `${hop.host.includes(':') ? `[${hop.host}]` : hop.host}:${hop.port}`;
  const base = hop.name && hop.name !== hop.host ? `${hop.name} (${addr})` : addr;
  return hop.role === 'jump' ? `jump host ${base}` : base;
}

export function hopFields(hop: Pick<Hop, 'host' | 'port' | 'name'>): Record<string, string> {
  const f: Record<string, string> = { host: hop.host, port: String(hop.port) };
  if (hop.name) f.name = hop.name;
  return f;
}

export function sshError(code: ErrorCode, hop: Hop | undefined, message: string, extra: Record<string, string> = {}): BulwarkError {
  return new BulwarkError(code, message, hop ? { ...hopFields(hop), ...extra } : Object.keys(extra).length ? extra : undefined);
}

export interface PresentedKey {
  keyType: string;
  fingerprint: string;
  /** base64 of the key blob: public, safe to show and to pass back to trust(). */
  key: string;
}

export function unknownHostKey(hop: Hop, presented: PresentedKey, otherTypes: string[] = []): BulwarkError {
  const also = otherTypes.length ? ` (keys of another type are pinned: ${otherTypes.join(', ')})` : '';
  return sshError(
    'UNKNOWN_HOST_KEY',
    hop,
    `Unknown host key for ${describeHop(hop)}: ${presented.keyType} ${presented.fingerprint}${also}. Nothing was sent; verify the fingerprint and trust it to connect.`,
    { keyType: presented.keyType, fingerprint: presented.fingerprint, key: presented.key },
  );
}

export function hostKeyChanged(hop: Hop, presented: PresentedKey, pinned: Array<{ keyType: string; fingerprint: string }>): BulwarkError {
  const old = pinned.map((p) => `${p.keyType} ${p.fingerprint}`).join(', ');
  return sshError(
    'HOST_KEY_CHANGED',
    hop,
    `WARNING: host key changed for ${describeHop(hop)}: pinned ${old}, presented ${presented.keyType} ${presented.fingerprint}. ` +
      'The connection was aborted before authentication. Someone may be intercepting the connection, or the host was reinstalled.',
    {
      keyType: presented.keyType,
      fingerprint: presented.fingerprint,
      key: presented.key,
      oldFingerprints: pinned.map((p) => p.fingerprint).join(','),
      oldKeyTypes: pinned.map((p) => p.keyType).join(','),
    },
  );
}

const RETRYABLE = new WeakSet<object>();

/**
 * Marks an error raised before anything ran remotely because a reused connection turned out to
 * be dead (a channel could not be opened): the pool may retry once on a fresh connection.
 */
export function retryable<T extends object>(e: T): T {
  RETRYABLE.add(e);
  return e;
}

export function isRetryable(e: unknown): boolean {
  return typeof e === 'object' && e !== null && RETRYABLE.has(e);
}

export function aborted(hop: Hop | undefined, what = 'operation'): BulwarkError {
  return sshError('ABORTED', hop, hop ? `${what} on ${describeHop(hop)} was cancelled` : `${what} was cancelled`);
}

export function timedOut(hop: Hop, what: string, ms: number): BulwarkError {
  return sshError('TIMEOUT', hop, `${what} on ${describeHop(hop)} did not finish within ${formatMs(ms)}`, { timeoutMs: String(ms) });
}

export function connectionLost(hop: Hop, what: string): BulwarkError {
  return sshError('SSH_CONNECTION_LOST', hop, `Connection to ${describeHop(hop)} was lost during ${what}`);
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  ENOTFOUND: 'name does not resolve',
  EAI_AGAIN: 'name lookup failed (temporary)',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  EADDRNOTAVAIL: 'address not available',
};

interface Ssh2Error extends Error {
  level?: string;
  code?: string | number;
}

/**
 * Maps an error ssh2 emitted before the connection was ready. Host key refusals are decided by
 * our verifier and passed in instead of ssh2's generic "Host denied".
 */
export function translateConnectError(err: unknown, hop: Hop, readyTimeoutMs: number): BulwarkError {
  if (err instanceof BulwarkError) return err;
  const e = (err ?? {}) as Ssh2Error;
  const where = describeHop(hop);
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code && code in UNREACHABLE) {
    return sshError('SSH_UNREACHABLE', hop, `${where} is unreachable: ${UNREACHABLE[code]} (${code})`, { errno: code });
  }
  switch (e.level) {
    case 'client-authentication':
      return sshError('SSH_AUTH_FAILED', hop, `Authentication as ${hop.user} on ${where} failed`);
    case 'client-timeout':
      return sshError('SSH_UNREACHABLE', hop, `${where} did not complete the SSH handshake within ${formatMs(readyTimeoutMs)}`, { errno: 'ETIMEDOUT' });
    case 'client-dns':
      return sshError('SSH_UNREACHABLE', hop, `${where} is unreachable: name does not resolve`, { errno: 'ENOTFOUND' });
    case 'handshake':
      return sshError('SSH_PROTOCOL', hop, `SSH handshake with ${where} failed: ${safeText(e.message)}`);
    case 'protocol':
      return sshError('SSH_CONNECTION_LOST', hop, `${where} closed the connection before the SSH handshake (${safeText(e.message)})`);
    case 'client-socket':
      return sshError('SSH_UNREACHABLE', hop, `${where} is unreachable: ${safeText(e.message)}`);
  }
  return sshError('SSH_CONNECTION_LOST', hop, `Connection to ${where} failed: ${safeText(e.message)}`);
}

/** ssh2's own messages are fixed strings; still, cap them and drop control characters. */
function safeText(s: unknown): string {
  let out = '';
  for (const ch of String(s ?? 'unknown error').slice(0, 200)) out += ch < ' ' || ch === '\u007f' ? ' ' : ch;
  return out;
}
