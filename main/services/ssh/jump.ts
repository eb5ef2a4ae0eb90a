/**
 * Targets and ProxyJump chains. A jump spec is OpenSSH's "[user@]host[:port],..." where host may
 * name an inventory host: that host's address, port, user and its own jump chain are used, as
 * ssh would use its ssh_config entry.
 */
import { BulwarkError } from '../../../shared/errors';
import type { Hop } from './errors';
import { normalizeHost } from './known-hosts';

export interface SshTarget {
  /** DNS name or IP address (IPv6 without brackets). */
  host: string;
  port?: number;
  user: string;
  /** ProxyJump: "[user@]host[:port],..." (first hop first). */
  jump?: string;
  /** The inventory name, used in messages. */
  name?: string;
}

/** What the engine needs to know about an inventory host (a Host satisfies it). */
export interface InventoryHostRef {
  name: string;
  address: string;
  port: number;
  user: string;
  jumpHost: string;
}

export type ResolveHostName = (name: string) => InventoryHostRef | undefined;

export interface JumpHopSpec {
  user?: string;
  host: string;
  port?: number;
  bracketed: boolean;
}

const MAX_HOPS = 8;
const HOP = /^(?:([^@\s]+)@)?(\[[^\]]+\]|[^:@\s[\]]+)(?::([0-9]{1,5}))?$/;

export function parseJumpSpec(spec: string): JumpHopSpec[] {
  const s = spec.trim();
  if (s === '' || s.toLowerCase() === 'none') return [];
  return s.split(',').map((raw) => {
    let hop = raw.trim();
    if (hop.toLowerCase().startsWith('ssh://')) hop = hop.slice(6).replace(/\/$/, '');
    const m = HOP.exec(hop);
    const port = m?.[3] === undefined ? undefined : Number(m[3]);
    if (!m || (port !== undefined && (port < 1 || port > 65535))) {
      throw new BulwarkError('VALIDATION', `Jump host "${raw.trim()}" is not of the form [user@]host[:port]`, { jumpHost: 'invalid' });
    }
    const bracketed = m[2]!.startsWith('[');
    const spec: JumpHopSpec = { host: bracketed ? m[2]!.slice(1, -1) : m[2]!, bracketed };
    if (m[1] !== undefined) spec.user = m[1];
    if (port !== undefined) spec.port = port;
    return spec;
  });
}

export function targetFromHost(h: InventoryHostRef): SshTarget {
  return { host: h.address, port: h.port, user: h.user, jump: h.jumpHost, name: h.name };
}

/**
 * The hops to dial, first jump first, target last. A hop without a user takes the inventory
 * host's user, else the target's user.
 */
export function resolveChain(target: SshTarget, resolveName?: ResolveHostName): Hop[] {
  const hops: Hop[] = [];
  const expand = (spec: string, defaultUser: string, seen: string[]): void => {
    for (const j of parseJumpSpec(spec)) {
      const inv = j.bracketed ? undefined : resolveName?.(j.host);
      if (inv) {
        const key = inv.name.toLowerCase();
        if (seen.includes(key)) {
          throw new BulwarkError('VALIDATION', `Jump hosts form a loop: ${[...seen, key].join(' -> ')}`, { jumpHost: 'loop' });
        }
        expand(inv.jumpHost, inv.user, [...seen, key]);
        hops.push({ host: normalizeHost(inv.address), port: j.port ?? inv.port, user: j.user ?? inv.user, name: inv.name, role: 'jump' });
      } else {
        hops.push({ host: normalizeHost(j.host), port: j.port ?? 22, user: j.user ?? defaultUser, role: 'jump' });
      }
      if (hops.length > MAX_HOPS) throw new BulwarkError('VALIDATION', `More than ${MAX_HOPS} jump hosts`, { jumpHost: 'too many hops' });
    }
  };
  checkTarget(target);
  expand(target.jump ?? '', target.user, target.name ? [target.name.toLowerCase()] : []);
  const last: Hop = { host: normalizeHost(target.host), port: target.port ?? 22, user: target.user, role: 'target' };
  if (target.name) last.name = target.name;
  hops.push(last);
  return hops;
}

function checkTarget(t: SshTarget): void {
  if (!t || typeof t.host !== 'string' || t.host.trim() === '' || /\s/.test(t.host.trim())) {
    throw new BulwarkError('VALIDATION', 'The target needs a host name or address', { host: 'required' });
  }
  if (typeof t.user !== 'string' || !/^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/.test(t.user)) {
    throw new BulwarkError('VALIDATION', 'The target needs a valid user name', { user: 'invalid' });
  }
  const port = t.port ?? 22;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new BulwarkError('VALIDATION', 'Port must be between 1 and 65535', { port: 'invalid' });
  }
}

/** Pool key of the connection to hops[0..n]: each hop's user@host:port, joined. */
export function chainKey(hops: readonly Hop[]): string {
  return hops.map((h) => `${h.user}@${h.host.includes(':') ? `[${h.host}]` : h.host}:${h.port}`).join(' > ');
}
