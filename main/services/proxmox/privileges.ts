/**
 * The privileges Bulwark's Proxmox features need, checked against what a token actually has
 * (/access/permissions). Proxmox hides what a token may not see instead of refusing, so a
 * token without VM.Audit "syncs" an empty cluster: saying so up front saves a confused user.
 */
export type Permissions = Record<string, Record<string, boolean>>;

export interface MissingPrivilege {
  path: string;
  privilege: string;
  neededFor: string;
}

const NEEDED: { path: string; privileges: string[]; neededFor: string }[] = [
  { path: '/', privileges: ['Sys.Audit'], neededFor: 'reading nodes, the cluster status and the datacenter firewall' },
  { path: '/vms', privileges: ['VM.Audit'], neededFor: 'listing guests (without it Proxmox silently shows none)' },
  // PVE 8 reads the guest agent with VM.Monitor; PVE 9 replaced it with VM.GuestAgent.Audit
  { path: '/vms', privileges: ['VM.GuestAgent.Audit', 'VM.Monitor'], neededFor: "reading VM addresses from the QEMU guest agent" },
  { path: '/', privileges: ['Sys.Modify'], neededFor: 'changing the datacenter firewall' },
];

/** Granted on `path` directly or on a parent (ACLs propagate down the tree). */
export function hasPrivilege(p: Permissions, path: string, privilege: string): boolean {
  return Object.entries(p).some(([at, privs]) => privs[privilege] === true && (at === '/' || at === path || path.startsWith(`${at}/`)));
}

export function missingPrivileges(p: Permissions): MissingPrivilege[] {
  return NEEDED.filter((n) => !n.privileges.some((priv) => hasPrivilege(p, n.path, priv))).map((n) => ({ path: n.path, privilege: n.privileges.join(' or '), neededFor: n.neededFor }));
}
