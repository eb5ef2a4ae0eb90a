// Authentication as pve-http-server does it: API tokens in the Authorization header, or a
// ticket cookie from POST /access/ticket plus a CSRF token header on every write.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { PrivilegeMap } from './privileges';
import type { SimToken, SimUser } from './types';

export interface Caller {
  userid: string;
  method: 'token' | 'ticket';
  privileges: PrivilegeMap;
}

export type AuthResult = { caller: Caller } | { failure: string };

interface IssuedTicket {
  userid: string;
  issuedAt: number;
  csrf: string;
}

export class TicketStore {
  private readonly tickets = new Map<string, IssuedTicket>();

  constructor(private readonly lifetimeSeconds: number) {}

  issue(userid: string): { ticket: string; csrf: string } {
    const hexTime = Math.floor(Date.now() / 1000).toString(16).toUpperCase();
    const ticket = `PVE:${userid}:${hexTime}::${randomBytes(48).toString('base64')}`;
    const csrf = `${hexTime}:${randomBytes(32).toString('base64').replace(/=+$/, '')}`;
    this.tickets.set(ticket, { userid, issuedAt: Date.now(), csrf });
    return { ticket, csrf };
  }

  /** The ticket's owner, or undefined when unknown or older than the lifetime (2 h in PVE). */
  lookup(ticket: string): IssuedTicket | undefined {
    const issued = this.tickets.get(ticket);
    if (!issued || Date.now() - issued.issuedAt > this.lifetimeSeconds * 1000) return undefined;
    return issued;
  }
}

function cookieTicket(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === 'PVEAuthCookie') return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'DELETE']);

/**
 * Reason phrases of a rejected token or ticket: PVE up to 9.1.4 passed on the detail from
 * PVE::AccessControl; pve-manager 9.1.5 (commit 26c10a2e, Jan 2026) unified them to
 * "Authentication failed!". Version 8 here gives the old details, version 9 the new phrase.
 */
function rejection(version: 8 | 9, detail: string): { failure: string } {
  return { failure: version === 9 ? 'Authentication failed!' : detail };
}

export function authenticate(req: IncomingMessage, version: 8 | 9, tokens: SimToken[], users: SimUser[], tickets: TicketStore): AuthResult {
  const header = req.headers.authorization;
  if (header?.startsWith('PVEAPIToken=')) {
    const value = header.slice('PVEAPIToken='.length);
    const separator = value.lastIndexOf('=');
    const id = value.slice(0, separator);
    const token = tokens.find((t) => t.id === id);
    if (!token) {
      const [user = '', tokenName = ''] = id.split('!');
      return rejection(version, `no such token '${tokenName}' for user '${user}'`);
    }
    if (token.secret !== value.slice(separator + 1)) return rejection(version, 'invalid token value!');
    return { caller: { userid: id, method: 'token', privileges: token.privileges } };
  }
  const ticket = cookieTicket(req);
  if (ticket === undefined) return { failure: 'No ticket' };
  const issued = tickets.lookup(ticket);
  const user = issued && users.find((u) => u.userid === issued.userid);
  if (!issued || !user) return rejection(version, 'permission denied - invalid PVE ticket');
  if (WRITE_METHODS.has(req.method ?? '') && req.headers.csrfpreventiontoken !== issued.csrf) {
    return { failure: 'Permission denied - invalid csrf token' };
  }
  return { caller: { userid: user.userid, method: 'ticket', privileges: user.privileges } };
}

/**
 * POST /access/ticket: username (optionally with a separate realm) and password; as in PVE, a
 * still-valid ticket is accepted as the password, which is how clients renew before the 2 h end.
 */
export function login(params: Record<string, string>, users: SimUser[], tickets: TicketStore): SimUser | undefined {
  const username = params.realm && !params.username?.includes('@') ? `${params.username}@${params.realm}` : params.username;
  const user = users.find((u) => u.userid === username);
  if (!user || params.password === undefined) return undefined;
  if (user.password === params.password) return user;
  return tickets.lookup(params.password)?.userid === user.userid ? user : undefined;
}
