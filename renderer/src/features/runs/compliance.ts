/**
 * The compliance matrix: hosts × controls from a run's results. An apply's matrix shows the
 * checks from the fresh connection after the change (`after`) where there are some, because
 * that is the state the host is left in; hosts without them show the checks from before.
 */
import type { ControlResult, HostRunResult } from '../../../../shared/domain/hardening';

export type CellStatus = ControlResult['status'];

export interface MatrixControl {
  id: string;
  title: string;
}

export interface MatrixHost {
  host: string;
  hostId: string;
  /** Which checks the row shows. */
  source: 'after' | 'before' | 'none';
  cells: Map<string, ControlResult>;
  score: { compliant: number; applicable: number };
  /** null when the host could not be read (no checks at all). */
  percent: number | null;
  runStatus: HostRunResult['status'];
  reason: string | undefined;
}

export interface ComplianceMatrix {
  controls: MatrixControl[];
  hosts: MatrixHost[];
  /** Hosts at 100% of those that were read. */
  compliantHosts: number;
  readHosts: number;
}

export type MatrixSort = 'score-asc' | 'score-desc' | 'name';

/** Compliant of applicable (not-applicable left out), as main scores a host. */
export function scoreOf(controls: readonly ControlResult[]): { compliant: number; applicable: number } {
  const applicable = controls.filter((c) => c.status !== 'not-applicable');
  return { compliant: applicable.filter((c) => c.status === 'compliant').length, applicable: applicable.length };
}

/** The checks a host ends the run with: after an apply when it has them, else before. */
export function finalControls(r: HostRunResult): { controls: ControlResult[]; source: MatrixHost['source'] } {
  if (r.after && r.after.length > 0) return { controls: r.after, source: 'after' };
  if (r.controls.length > 0) return { controls: r.controls, source: 'before' };
  return { controls: [], source: 'none' };
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export function buildComplianceMatrix(results: readonly HostRunResult[], sort: MatrixSort = 'score-asc'): ComplianceMatrix {
  const controls = new Map<string, MatrixControl>();
  const hosts: MatrixHost[] = results.map((r) => {
    const { controls: checks, source } = finalControls(r);
    const cells = new Map<string, ControlResult>();
    for (const c of checks) {
      if (!controls.has(c.id)) controls.set(c.id, { id: c.id, title: c.title });
      cells.set(c.id, c);
    }
    const score = scoreOf(checks);
    const percent = source === 'none' ? null : score.applicable === 0 ? 100 : Math.floor((100 * score.compliant) / score.applicable);
    return { host: r.host, hostId: r.hostId, source, cells, score, percent, runStatus: r.status, reason: r.reason };
  });
  const byName = (a: MatrixHost, b: MatrixHost) => collator.compare(a.host, b.host);
  // Unread hosts sort as the worst: they are what needs looking at.
  const rank = (h: MatrixHost) => h.percent ?? -1;
  hosts.sort(sort === 'name' ? byName : (a, b) => (sort === 'score-asc' ? rank(a) - rank(b) : rank(b) - rank(a)) || byName(a, b));
  const read = hosts.filter((h) => h.percent !== null);
  return { controls: [...controls.values()], hosts, compliantHosts: read.filter((h) => h.percent === 100).length, readHosts: read.length };
}

export const CELL_TEXT: Record<CellStatus, string> = {
  compliant: 'compliant',
  drift: 'drift',
  'not-applicable': 'n/a',
  unknown: 'unknown',
};

/** The symbol beside the word: colour is never the only signal. */
export const CELL_SYMBOL: Record<CellStatus, string> = {
  compliant: '✓',
  drift: '✗',
  'not-applicable': '–',
  unknown: '?',
};
