// PVE ACL semantics: a privilege granted on a path propagates to every path below it
// (the default `propagate=1`), so /vms grants /vms/100 and / grants everything.
import { PveError } from './errors';

export type PrivilegeMap = Record<string, string[]>;

/** '/vms/100' -> ['/', '/vms', '/vms/100'] */
function pathAndAncestors(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  const out = ['/'];
  for (let i = 1; i <= parts.length; i++) out.push('/' + parts.slice(0, i).join('/'));
  return out;
}

export function hasPrivilege(privileges: PrivilegeMap, path: string, privilege: string): boolean {
  return pathAndAncestors(path).some((p) => privileges[p]?.includes(privilege) ?? false);
}

export function requirePrivilege(privileges: PrivilegeMap, path: string, privilege: string): void {
  if (!hasPrivilege(privileges, path, privilege)) {
    throw new PveError(403, `Permission check failed (${path}, ${privilege})`);
  }
}

/** Shape of GET /access/permissions: every ACL path with its effective (inherited) privileges as 1. */
export function effectivePermissions(privileges: PrivilegeMap): Record<string, Record<string, 1>> {
  const out: Record<string, Record<string, 1>> = {};
  for (const path of Object.keys(privileges)) {
    const entry: Record<string, 1> = {};
    for (const ancestor of pathAndAncestors(path)) {
      for (const priv of privileges[ancestor] ?? []) entry[priv] = 1;
    }
    out[path] = entry;
  }
  return out;
}
