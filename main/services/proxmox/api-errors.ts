/**
 * Proxmox VE error answers as typed errors. The server's words come from the JSON body's
 * `message` on newer versions and only from the HTTP reason phrase on older ones (401 bodies are
 * always empty), so both are read; the code says what Bulwark or the user can do about it.
 */
import { BulwarkError } from '../../../shared/errors';

export interface ErrorAnswer {
  /** The endpoint's name in the inventory, for messages. */
  node: string;
  method: string;
  path: string;
  status: number;
  /** The HTTP reason phrase: on older servers the only place the error is described. */
  statusText: string;
  body: string;
}

/** The most specific text the server gave: JSON `message`, then `errors`, then the reason phrase. */
export function serverMessage(a: Pick<ErrorAnswer, 'statusText' | 'body'>): string {
  let parsed: unknown;
  try {
    parsed = a.body ? JSON.parse(a.body) : null;
  } catch {
    parsed = null;
  }
  const o = parsed && typeof parsed === 'object' ? (parsed as { message?: unknown; errors?: unknown }) : {};
  const parts: string[] = [];
  if (typeof o.message === 'string' && o.message.trim()) parts.push(o.message.trim());
  if (o.errors && typeof o.errors === 'object') {
    for (const [k, v] of Object.entries(o.errors as Record<string, unknown>)) parts.push(`${k}: ${String(v).trim()}`);
  }
  if (!parts.length && a.statusText.trim()) parts.push(a.statusText.trim());
  return parts.join('; ').slice(0, 500);
}

const PERMISSION = /Permission check failed \(([^,)]+), ([^)]+)\)/;

export function apiError(a: ErrorAnswer): BulwarkError {
  const said = serverMessage(a);
  const call = `${a.method} ${a.path}`;
  switch (true) {
    case a.status === 401:
      return new BulwarkError('PVE_AUTH_FAILED', `${a.node} refused the credentials (HTTP 401${said ? `: ${said}` : ''}). Check the token ID and secret (or user and password), and that the token has not expired or been removed.`);
    case a.status === 403: {
      const m = PERMISSION.exec(said);
      return m
        ? new BulwarkError('PVE_FORBIDDEN', `${a.node}: the token lacks ${m[2]} on ${m[1]} (needed for ${call}).`, { path: m[1]!, privilege: m[2]! })
        : new BulwarkError('PVE_FORBIDDEN', `${a.node} denied ${call}${said ? `: ${said}` : ''}.`);
    }
    case a.status === 501:
      return new BulwarkError('PVE_NOT_IMPLEMENTED', `${a.node} does not implement ${call}${said ? ` (${said})` : ''}: it may run an older Proxmox VE.`);
    case a.status === 595 || a.status === 596:
      return new BulwarkError('PVE_UNREACHABLE', `${a.node} could not reach the cluster node for ${call}${said ? `: ${said}` : ''} (HTTP ${a.status}).`);
    case /detected modified configuration/i.test(said):
      return new BulwarkError('PVE_DIGEST_MISMATCH', `${a.node}: the configuration changed since Bulwark read it (${call}). Nothing was written; read it again and re-plan.`);
    case /guest agent is not running|No QEMU guest agent configured|QEMU guest agent.*not/i.test(said):
      return new BulwarkError('PVE_GUEST_AGENT', `${a.node}: ${said}.`);
    case /does not exist|no such (VM|container|vmid)/i.test(said):
      return new BulwarkError('NOT_FOUND', `${a.node}: ${said} (${call}).`);
    default:
      return new BulwarkError('PVE_API_ERROR', `${a.node} answered ${call} with HTTP ${a.status}${said ? `: ${said}` : ''}.`);
  }
}
