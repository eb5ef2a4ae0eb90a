/** Inventory hosts named by id in a request (key jobs, hardening runs). */
import type { Host } from '../../shared/domain/host';
import { BulwarkError } from '../../shared/errors';
import type { AppServices } from '../services/app';

/** The hosts with these ids, in the given order; NOT_FOUND names every unknown id. */
export function hostsById(s: AppServices, ids: readonly string[]): Host[] {
  const found: Host[] = [];
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    const h = s.hosts.get(id);
    if (h) found.push(h);
    else missing.push(id);
  }
  if (missing.length) throw new BulwarkError('NOT_FOUND', `No host with id ${missing.join(', ')} (deleted meanwhile?)`);
  return found;
}
