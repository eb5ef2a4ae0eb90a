/**
 * `keys audit` output: the audit's (host, account, key) rows folded into one row per key, with
 * where it is authorized. Keys the vault knows come first by name, then the UNKNOWN ones (keys
 * someone added by hand: the ones worth a look) by fingerprint.
 */
import type { AuditRow } from '../services/keys';
import { formatTable, printable } from './output';

export interface KeyPlacement {
  host: string;
  account: string;
  /** authorized_keys options as written (from="...", no-pty), '' when none. */
  options: string;
  comment: string;
}

export interface AuditKeyRow {
  /** The vault key's name, or null for a key the vault does not hold. */
  key: string | null;
  fingerprint: string;
  type: string;
  /** Where it is authorized, sorted by host then account. */
  on: KeyPlacement[];
}

export function auditMatrix(rows: readonly AuditRow[]): AuditKeyRow[] {
  const byKey = new Map<string, AuditKeyRow>();
  for (const r of rows) {
    let row = byKey.get(r.fingerprint);
    if (!row) {
      row = { key: r.knownKeyName, fingerprint: r.fingerprint, type: r.type, on: [] };
      byKey.set(r.fingerprint, row);
    }
    row.on.push({ host: r.host, account: r.account, options: r.options, comment: r.comment });
  }
  const out = [...byKey.values()];
  for (const row of out) row.on.sort((a, b) => cmp(a.host, b.host) || cmp(a.account, b.account));
  return out.sort((a, b) => {
    if ((a.key === null) !== (b.key === null)) return a.key === null ? 1 : -1;
    return cmp(a.key ?? '', b.key ?? '') || cmp(a.fingerprint, b.fingerprint);
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "fleet-01 (admin, root), fleet-02 (root)". */
function placements(on: readonly KeyPlacement[]): string {
  const hosts = new Map<string, string[]>();
  for (const p of on) hosts.set(p.host, [...(hosts.get(p.host) ?? []), p.account]);
  return [...hosts].map(([host, accounts]) => `${host} (${[...new Set(accounts)].join(', ')})`).join(', ');
}

export function auditTable(matrix: readonly AuditKeyRow[]): string {
  if (matrix.length === 0) return 'No keys in any authorized_keys that was read.\n';
  return formatTable(
    ['KEY', 'FINGERPRINT', 'COMMENT', 'HOSTS', 'ON'],
    matrix.map((r) => {
      const comments = [...new Set(r.on.map((p) => p.comment).filter(Boolean))];
      const hosts = new Set(r.on.map((p) => p.host)).size;
      return [r.key ?? 'UNKNOWN', r.fingerprint, comments.join(', ') || '-', String(hosts), placements(r.on)].map(printable);
    }),
  );
}
