/**
 * Pinned host keys in the vault (kind 'host-key', one record per host/port/key). Verification
 * is always on: a host is trusted only by a key pinned here, by an explicit trust() or by an
 * imported known_hosts line.
 */
import { BulwarkError } from '../../../shared/errors';
import { newId } from '../vault';
import { algorithms } from './algorithms';
import { type HostPublicKey, fingerprintOf, parseHostPublicKey } from './host-key-blob';
import { type KnownHostsSkip, hashedNameMatches, normalizeHost, parseKnownHosts } from './known-hosts';

export const HOST_KEY_KIND = 'host-key';

export interface HostKeyRecord {
  id: string;
  /** Lowercase host or address as dialled (IPv6 without brackets), or a `|1|salt|hash` token. */
  host: string;
  /** 0 for a hashed entry. */
  port: number;
  hashed: boolean;
  keyType: string;
  /** base64 of the public key blob. */
  key: string;
  fingerprint: string;
  addedAt: number;
  source: 'trusted' | 'known_hosts';
}

/** The narrow view of the vault this store needs; the real Vault satisfies it. */
export interface HostKeyVault {
  list<T>(kind: string): T[];
  put(kind: string, id: string, value: unknown): void;
  putMany(kind: string, entries: { id: string; value: unknown }[]): void;
  delete(kind: string, ids: string[]): number;
  transaction<T>(fn: () => T): T;
}

export type HostKeyCheck =
  | { status: 'trusted'; record: HostKeyRecord }
  | { status: 'unknown'; presented: HostPublicKey }
  | { status: 'changed'; presented: HostPublicKey; pinned: HostKeyRecord[] };

export interface KnownHostsImportReport {
  added: Array<{ line: number; host: string; port: number; keyType: string; fingerprint: string }>;
  skipped: KnownHostsSkip[];
}

/** Host key algorithm names that can carry each key type, best first. */
const ALGOS_FOR_TYPE: Record<string, string[]> = {
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

export class HostKeyStore {
  private readonly now: () => number;

  constructor(
    private readonly vault: HostKeyVault,
    options: { now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  list(): HostKeyRecord[] {
    return this.vault.list<HostKeyRecord>(HOST_KEY_KIND);
  }

  /** Every pinned key for host:port, plain entries and hashed ones that match. */
  lookup(host: string, port: number): HostKeyRecord[] {
    const h = normalizeHost(host);
    return this.list().filter((r) => (r.hashed ? hashedNameMatches(r.host, h, port) : r.host === h && r.port === port));
  }

  check(host: string, port: number, key: Buffer | string): HostKeyCheck {
    const presented = parseHostPublicKey(key);
    const pinned = this.lookup(host, port);
    const b64 = presented.blob.toString('base64');
    const match = pinned.find((r) => r.key === b64);
    if (match) return { status: 'trusted', record: match };
    if (pinned.length === 0) return { status: 'unknown', presented };
    // Keys of the same type first: those are the ones "replaced".
    pinned.sort((a, b) => Number(b.keyType === presented.keyType) - Number(a.keyType === presented.keyType));
    return { status: 'changed', presented, pinned };
  }

  /**
   * Pins `key` for host:port. If other keys are pinned for it, refuses with HOST_KEY_CHANGED
   * unless `replace` is set, in which case they are removed in the same transaction.
   */
  trust(host: string, port: number, key: Buffer | string, options: { replace?: boolean } = {}): HostKeyRecord {
    checkHostPort(host, port);
    const parsed = parseHostPublicKey(key);
    const result = this.check(host, port, parsed.blob);
    if (result.status === 'trusted') return result.record;
    if (result.status === 'changed' && !options.replace) {
      const old = result.pinned.map((r) => `${r.keyType} ${r.fingerprint}`).join(', ');
      throw new BulwarkError(
        'HOST_KEY_CHANGED',
        `${normalizeHost(host)}:${port} already has a different pinned key (${old}); pass replace to swap it for ${parsed.fingerprint}`,
        { host: normalizeHost(host), port: String(port), fingerprint: parsed.fingerprint, oldFingerprints: result.pinned.map((r) => r.fingerprint).join(',') },
      );
    }
    const record: HostKeyRecord = {
      id: newId(),
      host: normalizeHost(host),
      port,
      hashed: false,
      keyType: parsed.keyType,
      key: parsed.blob.toString('base64'),
      fingerprint: parsed.fingerprint,
      addedAt: this.now(),
      source: 'trusted',
    };
    this.vault.transaction(() => {
      if (result.status === 'changed') this.vault.delete(HOST_KEY_KIND, result.pinned.map((r) => r.id));
      this.vault.put(HOST_KEY_KIND, record.id, record);
    });
    return record;
  }

  /** Removes every key pinned for host:port (hashed matches included). Returns how many. */
  forget(host: string, port: number): number {
    const ids = this.lookup(host, port).map((r) => r.id);
    return ids.length ? this.vault.delete(HOST_KEY_KIND, ids) : 0;
  }

  remove(ids: string[]): number {
    return this.vault.delete(HOST_KEY_KIND, ids);
  }

  /**
   * The host key algorithms to offer for host:port: the types already pinned first (so a host
   * with several keys shows the one we know, as OpenSSH does), then the engine's defaults.
   */
  hostKeyAlgorithms(host: string, port: number): string[] {
    const defaults = algorithms().offered.serverHostKey;
    const preferred: string[] = [];
    for (const r of this.lookup(host, port)) {
      for (const a of ALGOS_FOR_TYPE[r.keyType] ?? [r.keyType]) {
        if (defaults.includes(a) && !preferred.includes(a)) preferred.push(a);
      }
    }
    return [...preferred, ...defaults.filter((a) => !preferred.includes(a))];
  }

  /**
   * Imports an OpenSSH known_hosts file in one transaction. Never overrides a pin: a line whose
   * key differs from one already pinned for that host (same type) is skipped with the reason.
   */
  importKnownHosts(text: string): KnownHostsImportReport {
    const parsed = parseKnownHosts(text);
    const report: KnownHostsImportReport = { added: [], skipped: [...parsed.skipped] };
    const existing = this.list();
    const writes: { id: string; value: HostKeyRecord }[] = [];
    const t = this.now();
    for (const entry of parsed.entries) {
      const b64 = entry.key.blob.toString('base64');
      for (const name of entry.names) {
        const label = name.hashed ? '(hashed)' : name.port === 22 ? name.host : `[${name.host}]:${name.port}`;
        const sameName = (r: HostKeyRecord) => r.hashed === name.hashed && r.host === name.host && r.port === name.port;
        const known = [...existing, ...writes.map((w) => w.value)].filter(sameName);
        if (known.some((r) => r.key === b64)) {
          report.skipped.push({ line: entry.line, pattern: label, reason: 'already known' });
          continue;
        }
        const clash = known.find((r) => r.keyType === entry.key.keyType);
        if (clash) {
          report.skipped.push({
            line: entry.line,
            pattern: label,
            reason: `conflicts with the pinned ${clash.keyType} key ${clash.fingerprint} (presented ${entry.key.fingerprint}); not replaced`,
          });
          continue;
        }
        const record: HostKeyRecord = {
          id: newId(),
          host: name.host,
          port: name.port,
          hashed: name.hashed,
          keyType: entry.key.keyType,
          key: b64,
          fingerprint: fingerprintOf(entry.key.blob),
          addedAt: t,
          source: 'known_hosts',
        };
        writes.push({ id: record.id, value: record });
        report.added.push({ line: entry.line, host: label, port: name.port, keyType: record.keyType, fingerprint: record.fingerprint });
      }
    }
    if (writes.length) this.vault.transaction(() => this.vault.putMany(HOST_KEY_KIND, writes));
    return report;
  }
}

function checkHostPort(host: string, port: number): void {
  if (typeof host !== 'string' || host.trim() === '' || /[\s,]/.test(host.trim())) {
    throw new BulwarkError('VALIDATION', 'A host name or address is required', { host: 'invalid' });
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new BulwarkError('VALIDATION', 'Port must be between 1 and 65535', { port: 'invalid' });
  }
}
