/**
 * The datacenter firewall step per Proxmox endpoint: the last plan with the request it was made
 * for, an apply in flight with the pve:firewallStep events it reported, and the outcome or error.
 *
 * Apply sends the planned request and digests, never the form as it is now: the user confirmed
 * that plan, and main refuses it (PVE_DIGEST_MISMATCH) if the firewall changed since.
 */
import { create } from 'zustand';
import type { FirewallApplyResult, FirewallPlanView } from '../../../shared/domain/proxmox-firewall';
import { BulwarkError } from '../../../shared/errors';
import { call, onEvent } from '../bridge';
import type { FirewallRequest } from '../features/proxmox/firewall-derive';
import { registerSensitive } from './sensitive';

export interface FirewallEntry {
  plan: FirewallPlanView | null;
  /** The request the plan answers. */
  planned: FirewallRequest | null;
  busy: 'planning' | 'applying' | null;
  /** The steps of the apply in flight or last finished, in order. */
  steps: string[];
  result: FirewallApplyResult | null;
  error: BulwarkError | null;
}

interface FirewallState {
  byEndpoint: Record<string, FirewallEntry>;
  plan(endpointId: string, request: FirewallRequest): Promise<void>;
  /** Applies the current plan, checking SSH to sshHostId before keeping the firewall on. */
  apply(endpointId: string, sshHostId: string): Promise<void>;
  /** Drops a plan that no longer matches the form (not while it is being applied). */
  discard(endpointId: string): void;
  /** Applies one pve:firewallStep event; exposed for the event subscription and tests. */
  step(event: { endpointId: string; step: string }): void;
  reset(): void;
}

export const EMPTY_FIREWALL_ENTRY: FirewallEntry = { plan: null, planned: null, busy: null, steps: [], result: null, error: null };

const asError = (e: unknown) => (e instanceof BulwarkError ? e : new BulwarkError('INTERNAL', String(e)));

/** Bumped on lock: a reply that started before it must not bring a plan back. */
let generation = 0;
let unsubscribe: (() => void) | null = null;

export const useFirewallStore = create<FirewallState>()((set, get) => {
  const entry = (id: string) => get().byEndpoint[id] ?? EMPTY_FIREWALL_ENTRY;
  const patch = (id: string, change: Partial<FirewallEntry>) => set((s) => ({ byEndpoint: { ...s.byEndpoint, [id]: { ...(s.byEndpoint[id] ?? EMPTY_FIREWALL_ENTRY), ...change } } }));

  return {
    byEndpoint: {},

    async plan(endpointId, request) {
      if (entry(endpointId).busy) return;
      const gen = generation;
      patch(endpointId, { busy: 'planning', error: null, result: null, steps: [] });
      try {
        const plan = await call('pve:firewallPlan', { id: endpointId, ...request });
        if (gen === generation) patch(endpointId, { plan, planned: request, busy: null });
      } catch (e) {
        if (gen === generation) patch(endpointId, { plan: null, planned: null, busy: null, error: asError(e) });
      }
    },

    async apply(endpointId, sshHostId) {
      const { plan, planned, busy } = entry(endpointId);
      if (busy || !plan || !planned) return;
      unsubscribe ??= onEvent('pve:firewallStep', (event) => get().step(event));
      const gen = generation;
      patch(endpointId, { busy: 'applying', error: null, result: null, steps: [] });
      try {
        const result = await call('pve:firewallApply', { id: endpointId, ...planned, sshHostId, digests: plan.digests });
        // the firewall is no longer as planned: the plan must be made again before another apply
        if (gen === generation) patch(endpointId, { busy: null, result, steps: result.steps, plan: null, planned: null });
      } catch (e) {
        if (gen !== generation) return;
        const error = asError(e);
        // a stale plan cannot be applied again; other errors leave it for a retry
        patch(endpointId, error.code === 'PVE_DIGEST_MISMATCH' ? { busy: null, error, plan: null, planned: null } : { busy: null, error });
      }
    },

    discard(endpointId) {
      const current = get().byEndpoint[endpointId];
      if (!current || current.busy === 'applying' || (!current.plan && !current.error && !current.result)) return;
      patch(endpointId, { plan: null, planned: null, error: null, result: null, steps: [] });
    },

    step({ endpointId, step }) {
      // only the endpoint whose apply is in flight: a late event must not land in a finished list
      const current = get().byEndpoint[endpointId];
      if (current?.busy !== 'applying') return;
      patch(endpointId, { steps: [...current.steps, step] });
    },

    reset() {
      generation++;
      unsubscribe?.();
      unsubscribe = null;
      set({ byEndpoint: {} });
    },
  };
});

registerSensitive(() => useFirewallStore.getState().reset());
