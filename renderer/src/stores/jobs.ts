/**
 * The fleet job (deploy, audit, rotate, revoke) the Keys view runs, host by host.
 *
 * The renderer names the job, so the jobs:progress events main sends while the request is
 * pending can be matched to it. Events are applied in batches, once per animation frame
 * (lib/frame-batch). The reply is authoritative: it replaces whatever the events said, and
 * events arriving after it are dropped.
 */
import { create } from 'zustand';
import type { Request, Response } from '../../../shared/contract';
import type { JobProgress } from '../../../shared/domain/keys';
import { BulwarkError } from '../../../shared/errors';
import { call, onEvent } from '../bridge';
import { frameBatch } from '../lib/frame-batch';
import { registerSensitive } from './sensitive';

export type FleetOp = JobProgress['op'];
/** 'waiting': main has not started this host yet (the engine caps connections in flight). */
export type HostPhase = JobProgress['phase'] | 'waiting';
export type FleetError = NonNullable<JobProgress['error']>;

type WithoutJobId<C extends `keys:${FleetOp}`> = Omit<Request<C>, 'jobId'>;
export type JobRequest =
  | ({ op: 'deploy' } & WithoutJobId<'keys:deploy'>)
  | ({ op: 'audit' } & WithoutJobId<'keys:audit'>)
  | ({ op: 'rotate' } & WithoutJobId<'keys:rotate'>)
  | ({ op: 'revoke' } & WithoutJobId<'keys:revoke'>);

export type AuditReply = Response<'keys:audit'>;
type AnyReply = Response<'keys:deploy'> | AuditReply | Response<'keys:rotate'> | Response<'keys:revoke'>;
export type FleetSummary = AnyReply['summary'];

export interface HostRow {
  hostId: string;
  name: string;
  phase: HostPhase;
  /** The host's outcome once done: added, unchanged, rotated, removed, ok, failed. */
  status?: string | undefined;
  error?: FleetError | undefined;
  account?: string | undefined;
  durationMs?: number | undefined;
  /** What the reply adds for this host: lines removed, how far a rotation got, audit scope. */
  detail?: string | undefined;
}

export interface Job {
  id: string;
  request: JobRequest;
  /** finished: the reply arrived (hosts may still have failed); failed: the whole request was refused. */
  state: 'running' | 'cancelling' | 'finished' | 'failed';
  rows: HostRow[];
  startedAt: number;
  finishedAt: number | null;
  summary: FleetSummary | null;
  /** The audit reply, for the matrix. */
  audit: AuditReply | null;
  error: BulwarkError | null;
}

interface JobsState {
  job: Job | null;
  /** Runs one job; resolves when its reply arrived (failures are kept in the job, not thrown). */
  start(request: JobRequest, hosts: readonly { id: string; name: string }[]): Promise<void>;
  cancel(): Promise<void>;
  dismiss(): void;
  reset(): void;
}

/** 32 hex characters: within the contract's 8-64 [A-Za-z0-9_-] rule in any context (randomUUID needs a secure one). */
export function newJobId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

let generation = 0;
/** Host name -> row index for the current job (events and results name hosts, not ids). */
let rowIndex = new Map<string, number>();
let listening = false;

function send(jobId: string, r: JobRequest): Promise<AnyReply> {
  switch (r.op) {
    case 'deploy':
      return call('keys:deploy', { jobId, keyId: r.keyId, hostIds: r.hostIds, ...(r.account ? { account: r.account } : {}) });
    case 'audit':
      return call('keys:audit', { jobId, hostIds: r.hostIds, ...(r.accounts ? { accounts: r.accounts } : {}) });
    case 'rotate':
      return call('keys:rotate', { jobId, oldKeyId: r.oldKeyId, newKeyId: r.newKeyId, hostIds: r.hostIds, ...(r.account ? { account: r.account } : {}) });
    case 'revoke':
      return call('keys:revoke', { jobId, keyId: r.keyId, hostIds: r.hostIds, ...(r.account ? { account: r.account } : {}), ...(r.force ? { force: true } : {}) });
  }
}

const lines = (n: number) => `${n} ${n === 1 ? 'line' : 'lines'}`;

type AnyResult = AnyReply['results'][number];

function detailOf(op: FleetOp, r: AnyResult): string | undefined {
  if (op === 'audit' && 'scope' in r && r.status === 'ok') {
    return `${lines(r.rows.length)} read${r.scope === 'login' ? ', login account only' : ''}`;
  }
  if (op === 'rotate' && 'reached' in r) {
    if (r.status === 'rotated') return `old key: ${lines(r.removedLines)} removed`;
    if (r.reached === 'none') return undefined;
    return `stopped after "${r.reached}"${r.newKeyRemoved ? '; the new key was taken back' : ''}`;
  }
  if (op === 'revoke' && 'removedLines' in r && r.status === 'removed') return `${lines(r.removedLines)} removed`;
  return undefined;
}

export const useJobsStore = create<JobsState>()((set, get) => {
  const progress = frameBatch<JobProgress>((events) => {
    const job = get().job;
    if (!job || (job.state !== 'running' && job.state !== 'cancelling')) return;
    const rows = [...job.rows];
    for (const e of events) {
      const i = rowIndex.get(e.host);
      if (e.jobId !== job.id || i === undefined) continue;
      rows[i] = { ...rows[i]!, phase: e.phase, status: e.status, error: e.error };
    }
    set({ job: { ...job, rows } });
  });

  const listen = () => {
    if (listening) return;
    listening = true;
    onEvent('jobs:progress', (e) => {
      if (e.jobId === get().job?.id) progress.push(e);
    });
  };

  return {
    job: null,

    async start(request, hosts) {
      const current = get().job;
      if (current && (current.state === 'running' || current.state === 'cancelling')) {
        throw new BulwarkError('CONFLICT', 'Another fleet job is still running: wait for it or cancel it first.');
      }
      listen();
      const gen = generation;
      const id = newJobId();
      rowIndex = new Map(hosts.map((h, i) => [h.name, i]));
      progress.clear();
      set({
        job: {
          id,
          request,
          state: 'running',
          rows: hosts.map((h) => ({ hostId: h.id, name: h.name, phase: 'waiting' })),
          startedAt: Date.now(),
          finishedAt: null,
          summary: null,
          audit: null,
          error: null,
        },
      });
      try {
        const reply = await send(id, request);
        const job = get().job;
        if (gen !== generation || job?.id !== id) return;
        progress.clear();
        const rows = [...job.rows];
        for (const r of reply.results) {
          const i = rowIndex.get(r.host);
          if (i === undefined) continue;
          rows[i] = {
            ...rows[i]!,
            phase: r.status === 'failed' ? 'failed' : 'done',
            status: r.status,
            error: r.error,
            durationMs: r.durationMs,
            account: 'account' in r ? r.account : undefined,
            detail: detailOf(request.op, r),
          };
        }
        set({
          job: { ...job, rows, state: 'finished', finishedAt: Date.now(), summary: reply.summary, audit: request.op === 'audit' ? (reply as AuditReply) : null },
        });
      } catch (e) {
        const job = get().job;
        if (gen !== generation || job?.id !== id) return;
        const error = e instanceof BulwarkError ? e : new BulwarkError('INTERNAL', String(e));
        set({ job: { ...job, state: 'failed', finishedAt: Date.now(), error } });
      }
    },

    async cancel() {
      const job = get().job;
      if (!job || job.state !== 'running') return;
      set({ job: { ...job, state: 'cancelling' } });
      try {
        // the reply still arrives, with the hosts that were not finished marked ABORTED
        await call('jobs:cancel', { jobId: job.id });
      } catch (e) {
        // still running: Cancel must work again (it only acts on a running job)
        const now = get().job;
        if (now?.id === job.id && now.state === 'cancelling') set({ job: { ...now, state: 'running' } });
        throw e;
      }
    },

    dismiss() {
      const job = get().job;
      if (job && (job.state === 'running' || job.state === 'cancelling')) return;
      set({ job: null });
    },

    reset() {
      generation++;
      rowIndex = new Map();
      progress.clear();
      set({ job: null });
    },
  };
});

registerSensitive(() => useJobsStore.getState().reset());

/** Errors the host-key trust dialog resolves. */
export const HOST_KEY_CODES: ReadonlySet<string> = new Set(['UNKNOWN_HOST_KEY', 'HOST_KEY_CHANGED']);

export function hostsNeedingTrust(job: Job | null): string[] {
  if (!job) return [];
  return job.rows.filter((r) => r.error && HOST_KEY_CODES.has(r.error.code)).map((r) => r.hostId);
}

export function isRunning(job: Job | null): boolean {
  return job?.state === 'running' || job?.state === 'cancelling';
}
