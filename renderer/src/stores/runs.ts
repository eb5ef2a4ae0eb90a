/**
 * The Runs view's state: the hardening profiles, the hosts picked, the run in progress (audit,
 * plan or apply) with its live per-host rows, the history and the run opened from it.
 *
 * Like the keys jobs store, the renderer names the job so runs:progress events can be matched
 * while the request is pending; events are applied in batches, once per animation frame
 * (lib/frame-batch: 500 hosts send ~2,000 events), and the reply replaces whatever they said.
 */
import { create } from 'zustand';
import type { ProfileView, RunListEntry, RunMode, RunProgress, RunReply } from '../../../shared/domain/hardening';
import { RUN_PHASES } from '../../../shared/domain/hardening';
import { BulwarkError } from '../../../shared/errors';
import { call, onEvent } from '../bridge';
import { frameBatch } from '../lib/frame-batch';
import { createHostPickerStore } from './host-picker';
import { newJobId } from './jobs';
import { registerSensitive } from './sensitive';

export type RunPhase = (typeof RUN_PHASES)[number];
type LoadState = 'idle' | 'loading' | 'ready' | 'error';

export interface RunRequestInput {
  profileId: string;
  hostIds: string[];
  canary?: number | undefined;
  stopAfterFailures?: number | undefined;
}

export interface RunRow {
  hostId: string;
  name: string;
  phase: RunPhase;
  status?: RunProgress['status'];
  reason?: string | undefined;
}

export interface LiveRun {
  jobId: string;
  mode: RunMode;
  request: RunRequestInput;
  /** finished: the reply arrived (hosts may still have failed); failed: the request itself was refused. */
  state: 'running' | 'cancelling' | 'finished' | 'failed';
  rows: RunRow[];
  startedAt: number;
  finishedAt: number | null;
  reply: RunReply | null;
  error: BulwarkError | null;
}

export interface RunForm {
  profileId: string;
  /** Kept as typed; checked when a run starts. */
  canary: string;
  stopAfter: string;
}

export interface OpenedRun {
  id: string;
  reply: RunReply | null;
  error: BulwarkError | null;
}

interface RunsState {
  profiles: ProfileView[];
  profilesState: LoadState;
  profilesError: BulwarkError | null;
  form: RunForm;
  live: LiveRun | null;
  history: RunListEntry[];
  historyState: LoadState;
  historyError: BulwarkError | null;
  opened: OpenedRun | null;
  /** Profiles change in the Profiles view: read again whenever the Runs view mounts. */
  loadProfiles(): Promise<void>;
  setForm(patch: Partial<RunForm>): void;
  /** Runs one audit/plan/apply; resolves with the reply, or null when it failed or was superseded. */
  start(mode: RunMode, request: RunRequestInput, hosts: readonly { id: string; name: string }[]): Promise<RunReply | null>;
  cancel(): Promise<void>;
  dismiss(): void;
  loadHistory(): Promise<void>;
  open(id: string): Promise<void>;
  closeOpened(): void;
  reset(): void;
}

const asError = (e: unknown) => (e instanceof BulwarkError ? e : new BulwarkError('INTERNAL', String(e)));

/** Bumped on lock: a reply that started before it must not bring run data back behind the unlock screen. */
let generation = 0;
let rowIndex = new Map<string, number>();
let listening = false;

const emptyForm: RunForm = { profileId: 'guide-baseline', canary: '', stopAfter: '' };

export const useRunsStore = create<RunsState>()((set, get) => {
  const progress = frameBatch<RunProgress>((events) => {
    const live = get().live;
    if (!live || (live.state !== 'running' && live.state !== 'cancelling')) return;
    const rows = [...live.rows];
    for (const e of events) {
      const i = rowIndex.get(e.host);
      if (e.jobId !== live.jobId || i === undefined) continue;
      rows[i] = { ...rows[i]!, phase: e.phase, status: e.status, reason: e.reason };
    }
    set({ live: { ...live, rows } });
  });

  const listen = () => {
    if (listening) return;
    listening = true;
    onEvent('runs:progress', (e) => {
      if (e.jobId === get().live?.jobId) progress.push(e);
    });
  };

  return {
    profiles: [],
    profilesState: 'idle',
    profilesError: null,
    form: emptyForm,
    live: null,
    history: [],
    historyState: 'idle',
    historyError: null,
    opened: null,

    async loadProfiles() {
      const gen = generation;
      if (get().profilesState !== 'ready') set({ profilesState: 'loading', profilesError: null });
      try {
        const profiles = await call('hardening:profiles', {});
        if (gen !== generation) return;
        set({ profiles, profilesState: 'ready', profilesError: null });
      } catch (e) {
        if (gen === generation) set({ profilesState: 'error', profilesError: asError(e) });
      }
    },

    setForm(patch) {
      set((s) => ({ form: { ...s.form, ...patch } }));
    },

    async start(mode, request, hosts) {
      const current = get().live;
      if (current && (current.state === 'running' || current.state === 'cancelling')) {
        throw new BulwarkError('CONFLICT', 'A run is still in progress: wait for it or cancel it first.');
      }
      listen();
      const gen = generation;
      const jobId = newJobId();
      rowIndex = new Map(hosts.map((h, i) => [h.name, i]));
      progress.clear();
      set({
        live: {
          jobId,
          mode,
          request,
          state: 'running',
          rows: hosts.map((h) => ({ hostId: h.id, name: h.name, phase: 'queued' })),
          startedAt: Date.now(),
          finishedAt: null,
          reply: null,
          error: null,
        },
      });
      const body = {
        jobId,
        profileId: request.profileId,
        hostIds: request.hostIds,
        ...(request.canary !== undefined ? { canary: request.canary } : {}),
        ...(request.stopAfterFailures !== undefined ? { stopAfterFailures: request.stopAfterFailures } : {}),
      };
      try {
        const reply = await call(mode === 'audit' ? 'hardening:audit' : mode === 'plan' ? 'hardening:plan' : 'hardening:apply', body);
        const live = get().live;
        if (gen !== generation || live?.jobId !== jobId) return null;
        progress.clear();
        const rows = [...live.rows];
        for (const r of reply.results) {
          const i = rowIndex.get(r.host);
          if (i === undefined) continue;
          const phase: RunPhase = r.status === 'failed' || r.status === 'rolled-back' ? 'failed' : r.status === 'skipped' ? 'skipped' : 'done';
          rows[i] = { ...rows[i]!, phase, status: r.status, reason: r.reason };
        }
        set({ live: { ...live, rows, state: 'finished', finishedAt: Date.now(), reply } });
        // the run is in the history now
        if (get().historyState !== 'idle') void get().loadHistory();
        return reply;
      } catch (e) {
        const live = get().live;
        if (gen !== generation || live?.jobId !== jobId) return null;
        set({ live: { ...live, state: 'failed', finishedAt: Date.now(), error: asError(e) } });
        return null;
      }
    },

    async cancel() {
      const live = get().live;
      if (!live || live.state !== 'running') return;
      set({ live: { ...live, state: 'cancelling' } });
      try {
        // the reply still arrives, with the hosts not started marked skipped
        await call('jobs:cancel', { jobId: live.jobId });
      } catch (e) {
        const now = get().live;
        if (now?.jobId === live.jobId && now.state === 'cancelling') set({ live: { ...now, state: 'running' } });
        throw e;
      }
    },

    dismiss() {
      const live = get().live;
      if (live && (live.state === 'running' || live.state === 'cancelling')) return;
      set({ live: null });
    },

    async loadHistory() {
      const gen = generation;
      if (get().historyState !== 'ready') set({ historyState: 'loading', historyError: null });
      try {
        const history = await call('runs:list', {});
        if (gen !== generation) return;
        set({ history, historyState: 'ready', historyError: null });
      } catch (e) {
        if (gen === generation) set({ historyState: 'error', historyError: asError(e) });
      }
    },

    async open(id) {
      const gen = generation;
      set({ opened: { id, reply: null, error: null } });
      try {
        const reply = await call('runs:get', { id });
        if (gen === generation && get().opened?.id === id) set({ opened: { id, reply, error: null } });
      } catch (e) {
        if (gen === generation && get().opened?.id === id) set({ opened: { id, reply: null, error: asError(e) } });
      }
    },

    closeOpened() {
      set({ opened: null });
    },

    reset() {
      generation++;
      rowIndex = new Map();
      progress.clear();
      set({
        profiles: [],
        profilesState: 'idle',
        profilesError: null,
        form: emptyForm,
        live: null,
        history: [],
        historyState: 'idle',
        historyError: null,
        opened: null,
      });
    },
  };
});

registerSensitive(() => useRunsStore.getState().reset());

export function isRunActive(live: LiveRun | null): boolean {
  return live?.state === 'running' || live?.state === 'cancelling';
}

/** Rows finished (done, failed or skipped), for the progress bar. */
export function finishedCount(rows: readonly RunRow[]): number {
  let n = 0;
  for (const r of rows) if (r.phase === 'done' || r.phase === 'failed' || r.phase === 'skipped') n++;
  return n;
}

/** The hosts picked for the next run: apart from the Keys view's, so each view keeps its own choice. */
export const useRunsPickerStore = createHostPickerStore();
