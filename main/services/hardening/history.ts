/**
 * Run history: every audit, plan and apply, stored in the vault as one 'hardening-run' record
 * (encrypted like everything else): who ran it, when, the profile, per host the status, the
 * reason, the diffs and commands, the check of each control before and after, and timings.
 * Only the newest KEEP_RUNS are kept; older ones are pruned as new ones arrive.
 */
import os from 'node:os';
import { BulwarkError } from '../../../shared/errors';
import type { ControlResult, HostRunResult, RunListEntry, RunMode, RunRecord } from '../../../shared/domain/hardening';
import type { Vault } from '../vault';
import type { ControlOutcome } from './host-plan';
import type { RunResult } from './runner';

export const RUN_KIND = 'hardening-run';
export const KEEP_RUNS = 500;

/** The OS account running Bulwark (never throws: a uid without a passwd entry is reported by number). */
export function currentUser(env: Readonly<Record<string, string | undefined>> = process.env): string {
  try {
    return os.userInfo().username;
  } catch {
    return env.USER ?? env.USERNAME ?? `uid ${process.getuid?.() ?? '?'}`;
  }
}

function controlView(c: ControlOutcome): ControlResult {
  return { id: c.id, title: c.title, status: c.check.status, evidence: [...c.check.evidence], notes: [...c.notes], ...(c.refused ? { refused: { ...c.refused } } : {}) };
}

export function scoreOf(controls: readonly ControlResult[]): HostRunResult['score'] {
  const applicable = controls.filter((c) => c.status !== 'not-applicable');
  return { compliant: applicable.filter((c) => c.status === 'compliant').length, applicable: applicable.length };
}

export interface RunMeta {
  mode: RunMode;
  profileId: string;
  who: string;
  via: RunRecord['via'];
  startedAt: number;
  finishedAt: number;
  options: RunRecord['options'];
  cancelled: boolean;
  /** Inventory id per host name. */
  hostIds: ReadonlyMap<string, string>;
}

/** The runner's result as history stores it (plans reduced to diffs and commands). */
export function toRunRecord(run: RunResult, meta: RunMeta): RunRecord {
  const results = run.results.map((r): HostRunResult => {
    const controls = (r.plan?.controls ?? []).map(controlView);
    return {
      host: r.host,
      hostId: meta.hostIds.get(r.host) ?? '',
      status: r.status,
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.newPort !== undefined ? { newPort: r.newPort } : {}),
      controls,
      ...(r.after ? { after: r.after.map(controlView) } : {}),
      files: (r.plan?.files ?? []).map((f) => ({ path: f.path, diff: f.diff })),
      commands: [...(r.plan?.commands ?? [])],
      cutsAccess: r.plan?.cutsAccess ?? false,
      score: scoreOf(r.after ? r.after.map(controlView) : controls),
      durationMs: r.durationMs,
      ...(r.timings ? { timings: { ...r.timings } } : {}),
    };
  });
  const { hostIds: _ids, ...rest } = meta;
  return { id: run.runId, ...rest, results, summary: { total: run.summary.total, byStatus: { ...run.summary.byStatus }, failed: run.summary.failed } };
}

export function listEntryOf(r: RunRecord): RunListEntry {
  return {
    id: r.id,
    mode: r.mode,
    profileId: r.profileId,
    who: r.who,
    via: r.via,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    cancelled: r.cancelled,
    hosts: r.results.map((x) => x.host),
    summary: r.summary,
  };
}

type Sortable = Pick<RunRecord, 'id' | 'startedAt'>;
const newestFirst = (a: Sortable, b: Sortable) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * Runs are large (per host: diffs, evidence before and after), and the vault caches a kind
 * whole once it is read. So each run also gets a small list entry (kind ENTRY_KIND, same id):
 * the list and the pruning read only those, and a run is read alone (Vault.readOne). Measured
 * with 500 runs of 30 hosts (60 MB vault): the list took 8 s after an unlock, each new run
 * 0.7 s, when both decrypted every run.
 */
export const ENTRY_KIND = 'hardening-run-entry';

export class RunHistory {
  constructor(
    private readonly vault: Vault,
    private readonly keep = KEEP_RUNS,
  ) {}

  /** Stores the run and its list entry and prunes beyond the newest `keep`, in one transaction. */
  record(run: RunRecord): void {
    this.vault.transaction(() => {
      this.vault.put(RUN_KIND, run.id, run);
      this.vault.put(ENTRY_KIND, run.id, listEntryOf(run));
      this.prune();
    });
  }

  /** Newest first. */
  list(): RunListEntry[] {
    return this.entries();
  }

  get(id: string): RunRecord | undefined {
    if (id.length === 0 || id.length > 256) return undefined;
    return this.vault.readOne<RunRecord>(RUN_KIND, id);
  }

  /** The run; NOT_FOUND (with the way to list them) when there is none by that id. */
  require(id: string): RunRecord {
    const r = this.get(id);
    if (!r) throw new BulwarkError('NOT_FOUND', `No run with id "${id}" (list them with "bulwark runs list")`);
    return r;
  }

  /** Deletes all but the newest `keep` runs; returns how many went. */
  prune(keep = this.keep): number {
    const old = this.entries()
      .slice(Math.max(0, keep))
      .map((r) => r.id);
    if (!old.length) return 0;
    return this.vault.transaction(() => {
      this.vault.delete(ENTRY_KIND, old);
      return this.vault.delete(RUN_KIND, old);
    });
  }

  /** List entries, newest first; runs stored without one (before entries existed) get theirs now. */
  private entries(): RunListEntry[] {
    const entries = this.vault.list<RunListEntry>(ENTRY_KIND);
    const have = new Set(entries.map((e) => e.id));
    const missing = this.vault.ids(RUN_KIND).filter((id) => !have.has(id));
    if (missing.length) {
      const added = missing.flatMap((id) => {
        const run = this.vault.readOne<RunRecord>(RUN_KIND, id);
        return run ? [listEntryOf(run)] : [];
      });
      this.vault.putMany(
        ENTRY_KIND,
        added.map((e) => ({ id: e.id, value: e })),
      );
      entries.push(...added);
    }
    return entries.sort(newestFirst);
  }
}
