// GET /pools and GET /pools/{poolid}, as pve-manager's PVE::API2::Pool (index, read_pool)
// answers them. Storage members are not simulated.
import { PveError } from '../errors';
import { hasPrivilege, requirePrivilege } from '../privileges';
import type { Route, RouteContext } from '../router';
import { guestResource } from './cluster';

/** Pools sorted by id, only those with Pool.Audit on /pool/{poolid}; the comment when set. */
function listPools({ state, caller }: RouteContext): unknown[] {
  return [...(state.pools ?? [])]
    .sort((a, b) => a.poolid.localeCompare(b.poolid))
    .filter((p) => hasPrivilege(caller.privileges, `/pool/${p.poolid}`, 'Pool.Audit'))
    .map((p) => ({ poolid: p.poolid, ...(p.comment === undefined ? {} : { comment: p.comment }) }));
}

/**
 * Members are entries like /cluster/resources' (extract_vm_stats), sorted by vmid, guests that
 * no longer exist left out. PVE does not filter them by VM.Audit here; neither does this.
 */
function readPool({ state, caller, path }: RouteContext): unknown {
  const poolid = path.poolid ?? '';
  requirePrivilege(caller.privileges, `/pool/${poolid}`, 'Pool.Audit');
  const pool = state.pools?.find((p) => p.poolid === poolid);
  if (!pool) throw new PveError(500, `pool '${poolid}' does not exist`);
  const members = [...pool.vmids]
    .sort((a, b) => a - b)
    .flatMap((vmid) => state.guests.filter((g) => g.vmid === vmid).map((g) => guestResource(state, g)));
  return { members, ...(pool.comment === undefined ? {} : { comment: pool.comment }) };
}

export const poolRoutes: Route[] = [
  { method: 'GET', path: '/pools', handler: listPools },
  { method: 'GET', path: '/pools/{poolid}', handler: readPool },
];
