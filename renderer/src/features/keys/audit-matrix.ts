/**
 * Turns an audit reply (one row per authorized_keys line) into a key × host matrix whose cells
 * are the accounts the key opens, with their options. Pure, so it is cheap to reason about.
 */
import type { AuditReply } from '../../stores/jobs';

export interface MatrixGrant {
  account: string;
  /** The authorized_keys options, verbatim ("" when none). */
  options: string;
  /** Option names, for badges: from=, command=, no-pty … */
  optionNames: string[];
}

export interface MatrixKey {
  fingerprint: string;
  type: string;
  /** Distinct comments seen on the hosts' lines. */
  comments: string[];
  knownKeyId: string | null;
  knownKeyName: string | null;
  /** host name -> grants */
  cells: Map<string, MatrixGrant[]>;
  hostCount: number;
}

export interface MatrixColumn {
  host: string;
  status: 'ok' | 'failed';
  error?: { code: string; message: string } | undefined;
  problems: { account: string; message: string }[];
  scope: 'login' | 'all-login-shells';
}

export interface AuditMatrix {
  columns: MatrixColumn[];
  keys: MatrixKey[];
  unknownCount: number;
}

/** Splits `from="a,b",no-pty,command="x"` at commas outside quotes and keeps the names. */
export function optionNames(options: string): string[] {
  const names: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < options.length; i++) {
    const c = options[i]!;
    if (c === '\\' && quoted) {
      current += c + (options[++i] ?? '');
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      names.push(current);
      current = '';
    } else current += c;
  }
  if (current) names.push(current);
  return names.map((o) => {
    const eq = o.indexOf('=');
    return eq === -1 ? o.trim() : `${o.slice(0, eq).trim()}=`;
  }).filter(Boolean);
}

export function buildAuditMatrix(reply: AuditReply, hostOrder: readonly string[]): AuditMatrix {
  const byHost = new Map(reply.results.map((r) => [r.host, r]));
  const order = [...hostOrder.filter((h) => byHost.has(h)), ...reply.results.map((r) => r.host).filter((h) => !hostOrder.includes(h))];
  const columns: MatrixColumn[] = order.map((host) => {
    const r = byHost.get(host)!;
    return { host, status: r.status, error: r.error, problems: r.problems, scope: r.scope };
  });

  const keys = new Map<string, MatrixKey>();
  for (const row of reply.rows) {
    let k = keys.get(row.fingerprint);
    if (!k) {
      k = { fingerprint: row.fingerprint, type: row.type, comments: [], knownKeyId: row.knownKeyId, knownKeyName: row.knownKeyName, cells: new Map(), hostCount: 0 };
      keys.set(row.fingerprint, k);
    }
    if (row.comment && !k.comments.includes(row.comment)) k.comments.push(row.comment);
    let grants = k.cells.get(row.host);
    if (!grants) {
      grants = [];
      k.cells.set(row.host, grants);
      k.hostCount++;
    }
    // one account can hold the same key twice (with different options): show both
    grants.push({ account: row.account, options: row.options, optionNames: optionNames(row.options) });
  }

  // Unknown keys first: they are what an audit is for. Then the vault's keys by name.
  const sorted = [...keys.values()].sort((a, b) => {
    if ((a.knownKeyId === null) !== (b.knownKeyId === null)) return a.knownKeyId === null ? -1 : 1;
    if (a.knownKeyName && b.knownKeyName) return a.knownKeyName.localeCompare(b.knownKeyName);
    return b.hostCount - a.hostCount || a.fingerprint.localeCompare(b.fingerprint);
  });
  return { columns, keys: sorted, unknownCount: sorted.filter((k) => k.knownKeyId === null).length };
}
