/**
 * OpenSSH known_hosts parsing (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"):
 *   [@marker] patterns keytype base64 [comment]
 * Patterns are comma-separated: `host` (port 22), `[host]:port`, or one hashed `|1|salt|hash`
 * where hash = HMAC-SHA1(key = salt, data = "host" or "[host]:port"). A hashed name can only be
 * recognised when a specific host is asked about, so hashed entries are kept hashed.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type HostPublicKey, parseHostPublicKey } from './host-key-blob';

export interface KnownHostName {
  /** Lowercase host, IPv6 without brackets; for a hashed name the `|1|salt|hash` token. */
  host: string;
  /** 0 for a hashed name (the port is inside the hash). */
  port: number;
  hashed: boolean;
}

export interface KnownHostsEntry {
  line: number;
  names: KnownHostName[];
  key: HostPublicKey;
  comment: string;
}

export interface KnownHostsSkip {
  line: number;
  /** The pattern concerned, when only part of a line was skipped. */
  pattern?: string;
  reason: string;
}

export interface ParsedKnownHosts {
  entries: KnownHostsEntry[];
  skipped: KnownHostsSkip[];
}

/** The spelling of a host in known_hosts (and in the hashed HMAC input). */
export function knownHostsName(host: string, port: number): string {
  const h = normalizeHost(host);
  return port === 22 ? h : `[${h}]:${port}`;
}

export function normalizeHost(host: string): string {
  const h = host.trim().toLowerCase();
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

const HASHED = /^\|1\|([A-Za-z0-9+/=]+)\|([A-Za-z0-9+/=]+)$/;

/** Whether a `|1|salt|hash` token names host:port. Constant-time comparison of the digest. */
export function hashedNameMatches(token: string, host: string, port: number): boolean {
  const m = HASHED.exec(token);
  if (!m) return false;
  const salt = Buffer.from(m[1]!, 'base64');
  const want = Buffer.from(m[2]!, 'base64');
  const got = createHmac('sha1', salt).update(knownHostsName(host, port)).digest();
  return want.length === got.length && timingSafeEqual(want, got);
}

/** Makes a hashed name the way `ssh-keygen -H` does (a random 20-byte salt unless given). */
export function hashKnownHostsName(host: string, port: number, salt: Buffer): string {
  const digest = createHmac('sha1', salt).update(knownHostsName(host, port)).digest();
  return `|1|${salt.toString('base64')}|${digest.toString('base64')}`;
}

function parsePattern(p: string): KnownHostName | { reason: string } {
  if (p.startsWith('|')) {
    return HASHED.test(p) ? { host: p, port: 0, hashed: true } : { reason: 'malformed hashed host name' };
  }
  if (p.startsWith('!')) return { reason: 'negated patterns are not imported' };
  if (/[*?]/.test(p)) return { reason: 'wildcard patterns are not imported' };
  const bracket = /^\[([^\]]+)\]:([0-9]{1,5})$/.exec(p);
  if (bracket) {
    const port = Number(bracket[2]);
    if (port < 1 || port > 65535) return { reason: 'port out of range' };
    return { host: normalizeHost(bracket[1]!), port, hashed: false };
  }
  if (p.startsWith('[')) return { reason: 'malformed [host]:port' };
  if (!/^[A-Za-z0-9._:%-]+$/.test(p)) return { reason: 'not a host name or address' };
  return { host: normalizeHost(p), port: 22, hashed: false };
}

export function parseKnownHosts(text: string): ParsedKnownHosts {
  const entries: KnownHostsEntry[] = [];
  const skipped: KnownHostsSkip[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) return;
    const fields = t.split(/\s+/);
    if (fields[0]!.startsWith('@')) {
      const marker = fields[0]!;
      const reason =
        marker === '@revoked'
          ? '@revoked entry: Bulwark does not import revocations; remove that key from the host instead'
          : marker === '@cert-authority'
            ? '@cert-authority entry: host certificates are not supported'
            : `unknown marker ${marker}`;
      skipped.push({ line, reason });
      return;
    }
    if (fields.length < 3) {
      skipped.push({ line, reason: 'expected: hosts keytype base64-key' });
      return;
    }
    const [patterns, keyType, b64] = fields as [string, string, string];
    let key: HostPublicKey;
    try {
      key = parseHostPublicKey(`${keyType} ${b64}`);
    } catch (e) {
      skipped.push({ line, reason: e instanceof Error ? e.message : 'invalid key' });
      return;
    }
    const names: KnownHostName[] = [];
    for (const p of patterns.split(',').filter(Boolean)) {
      const parsed = parsePattern(p);
      if ('reason' in parsed) skipped.push({ line, pattern: p, reason: parsed.reason });
      else names.push(parsed);
    }
    if (names.length) entries.push({ line, names, key, comment: fields.slice(3).join(' ') });
  });
  return { entries, skipped };
}
