/**
 * Hardening runs over the same access as every other fleet job: FleetAccess's pooled engine,
 * fresh engines for verification, stored sudo passwords and the host locks shared with the key
 * jobs. `runProfile` is the one way the CLI and the app start a run, so both record it in
 * history alike and reply with the same grouped view.
 */
import type { Host } from '../../../shared/domain/host';
import type { ProfileView, RunMode, RunProgress, RunReply } from '../../../shared/domain/hardening';
import { replyOf } from '../hardening/group-plans';
import { type RunHistory, currentUser, toRunRecord } from '../hardening/history';
import type { ProfileStore } from '../hardening/profile-store';
import { BUILT_IN_PROFILES, type Profile, findProfile, selectionsOf } from '../hardening/profiles';
import { type RunAccess, inventoryPortUpdater, runHardening } from '../hardening/runner';
import type { HostStore } from '../inventory';
import type { FleetAccess } from './fleet-access';
import { jumpUsersOf } from './jump-users';

type Inventory = Pick<HostStore, 'findByName' | 'update' | 'list'>;

/** The runner's access over FleetAccess; with `inventory`, a port the sshd-port control moved is stored there. */
export function runAccessOf(fleet: FleetAccess, inventory?: Inventory): RunAccess {
  return {
    engine: () => fleet.engine(),
    freshEngine: () => fleet.freshEngine(),
    sudoPasswordFor: (h) => fleet.sudoPasswordFor(h),
    locks: fleet.locks,
    ...(inventory ? { hostPortChanged: inventoryPortUpdater(inventory) } : {}),
  };
}

/** Where custom profiles come from (the vault's ProfileStore). */
export type CustomProfiles = Pick<ProfileStore, 'list'>;

export interface ProfileRunOptions {
  mode: RunMode;
  /** A built-in profile or one of `profiles`. */
  profileId: string;
  profiles: CustomProfiles;
  hosts: readonly Host[];
  /** Where a moved SSH port is written back (the host store the hosts came from). */
  inventory: Inventory;
  via: 'cli' | 'app';
  canary?: number | undefined;
  stopAfterFailures?: number | undefined;
  signal?: AbortSignal;
  onProgress?: (e: Omit<RunProgress, 'jobId'>) => void;
  /** Test seam; default Date.now. */
  now?: () => number;
}

/** Runs a profile over hosts, records the run in history, and returns it with its grouped view. */
export async function runProfile(fleet: FleetAccess, history: RunHistory, o: ProfileRunOptions): Promise<RunReply> {
  // the profile and its parameters are checked before anything connects
  const selections = selectionsOf(findProfile(o.profileId, o.profiles.list()));
  const now = o.now ?? Date.now;
  const startedAt = now();
  const options = {
    ...(o.mode === 'apply' && o.canary !== undefined ? { canary: o.canary } : {}),
    ...(o.stopAfterFailures !== undefined ? { stopAfterFailures: o.stopAfterFailures } : {}),
  };
  const inventoryHosts = o.inventory.list();
  const run = await runHardening(
    runAccessOf(fleet, o.inventory),
    o.hosts.map((h) => ({ name: h.name, address: h.address, port: h.port, user: h.user, jumpHost: h.jumpHost, jumpFor: jumpUsersOf(h, inventoryHosts) })),
    {
      mode: o.mode,
      selections,
      ...options,
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    },
  );
  const record = toRunRecord(run, {
    mode: o.mode,
    profileId: o.profileId,
    who: currentUser(),
    via: o.via,
    startedAt,
    finishedAt: now(),
    options,
    cancelled: o.signal?.aborted ?? false,
    hostIds: new Map(o.hosts.map((h) => [h.name, h.id])),
  });
  history.record(record);
  return replyOf(record);
}

/** A profile with each control's title, reason, kind and parameters after defaults. */
export function profileView(p: Profile): ProfileView {
  const selections = selectionsOf(p);
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    builtIn: BUILT_IN_PROFILES.some((b) => b.id === p.id),
    controls: selections.map(({ control, params }) => ({ id: control.id, title: control.title, reason: control.reason, kind: control.kind, params: { ...(params as Record<string, unknown>) } })),
  };
}

/** Built-in profiles first, then the custom ones by id. */
export function profileViews(custom: CustomProfiles): ProfileView[] {
  return [...BUILT_IN_PROFILES, ...custom.list()].map(profileView);
}
