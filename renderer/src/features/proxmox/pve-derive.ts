/**
 * Pure helpers for the Proxmox view: the node -> guest tree, the inventory host linked to each
 * guest, and the texts (relative times, progress, sizes) the rows show. Kept out of components so
 * unit tests can check them without a DOM.
 */
import type { Response } from '../../../../shared/contract';
import type { Host } from '../../../../shared/domain/host';
import { PVE_TOKEN_ID_PATTERN, PVE_USER_PATTERN, type GuestChange, type PveGuest, type PveNodeStatus } from '../../../../shared/domain/proxmox';
import type { BulwarkError } from '../../../../shared/errors';

export type EndpointState = Response<'pve:state'>[number];
export type AcceptResult = Response<'pve:accept'>[number];
export type AddedEndpoint = Response<'pve:create'>;
export type PresentedCertificate = Response<'pve:certificate'>;
export type PinOutcome = AddedEndpoint['pinned'];
export type TrustResult = Response<'pve:trust'>;
export type PinKind = PinOutcome['kind'];
export type AuthKind = EndpointState['auth'];

export interface SyncProgress {
  done: number;
  total: number;
}

export interface NodeBranch {
  name: string;
  /** null when guests name a node the last sync did not list (it left the cluster). */
  status: PveNodeStatus | null;
  guests: PveGuest[];
}

/** Guests under their node, nodes by name, guests by VMID; nodes with no status still get a branch. */
export function groupGuestsByNode(nodes: readonly PveNodeStatus[], guests: readonly PveGuest[]): NodeBranch[] {
  const branches = new Map<string, NodeBranch>();
  for (const status of nodes) branches.set(status.name, { name: status.name, status, guests: [] });
  for (const guest of guests) {
    let branch = branches.get(guest.node);
    if (!branch) {
      branch = { name: guest.node, status: null, guests: [] };
      branches.set(guest.node, branch);
    }
    branch.guests.push(guest);
  }
  const sorted = [...branches.values()].sort((a, b) => a.name.localeCompare(b.name));
  for (const branch of sorted) branch.guests.sort((a, b) => a.vmid - b.vmid);
  return sorted;
}

/** "endpointId/vmid" -> the inventory host linked to that guest. */
export function linkedHosts(hosts: readonly Host[]): Map<string, Host> {
  const out = new Map<string, Host>();
  for (const host of hosts) if (host.guest) out.set(guestKey(host.guest.nodeId, host.guest.vmid), host);
  return out;
}

export const guestKey = (endpointId: string, vmid: number) => `${endpointId}/${vmid}`;

/** The chip a guest's status gets: a gone guest is gone whatever Proxmox last said. */
export function guestStatus(guest: PveGuest): 'running' | 'stopped' | 'unknown' | 'gone' | 'paused' {
  if (guest.goneSince !== null) return 'gone';
  if (guest.status === 'running' || guest.status === 'stopped' || guest.status === 'paused') return guest.status;
  return 'unknown';
}

/** Proxmox's qemu ostype codes in words; a container's ostype is already its distribution. */
const QEMU_OS: Record<string, string> = { l24: 'Linux 2.4', l26: 'Linux', solaris: 'Solaris', wxp: 'Windows XP', w2k: 'Windows 2000', w2k3: 'Windows 2003', w2k8: 'Windows 2008', wvista: 'Windows Vista', win7: 'Windows 7', win8: 'Windows 8', win10: 'Windows 10/2016/2019', win11: 'Windows 11/2022/2025', other: 'other OS' };

/** The guest's OS as the user would say it, or null when its configuration was not read. */
export function osLabel(guest: Pick<PveGuest, 'type' | 'ostype'>): string | null {
  if (!guest.ostype) return null;
  if (guest.type === 'qemu') return QEMU_OS[guest.ostype] ?? guest.ostype;
  return guest.ostype === 'unmanaged' ? 'unmanaged' : guest.ostype.charAt(0).toUpperCase() + guest.ostype.slice(1);
}

/** "just now", "3 min ago", "2 h ago", "4 days ago". */
export function relativeTime(at: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

/** "guest addresses 3/5" while a sync reads each guest; "reading the cluster" before the first event. */
export function progressText(progress: SyncProgress | null): string {
  if (!progress || progress.total === 0) return 'reading the cluster…';
  return `guest addresses ${progress.done}/${progress.total}`;
}

/** 0..1 for a progress bar; null when the total is not known yet (indeterminate). */
export function progressRatio(progress: SyncProgress | null): number | null {
  if (!progress || progress.total === 0) return null;
  return Math.min(1, progress.done / progress.total);
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export function formatUptime(seconds: number | null): string {
  if (seconds === null || seconds <= 0) return '–';
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  return `${minutes}m`;
}

/** Proxmox reports CPU as a 0..1 share of the node. */
export function formatCpu(cpu: number | null): string {
  return cpu === null ? '–' : `${(cpu * 100).toFixed(cpu < 0.1 ? 1 : 0)}%`;
}

/** "AA:BB:…" in groups of four bytes per line chunk, so two fingerprints compare at a glance. */
export function groupFingerprint(sha256: string): string[] {
  const bytes = sha256.split(':');
  const groups: string[] = [];
  for (let i = 0; i < bytes.length; i += 4) groups.push(bytes.slice(i, i + 4).join(':'));
  return groups;
}

/** One line describing a change for the review panel. */
export function changeText(change: GuestChange, now: number): string {
  switch (change.kind) {
    case 'new':
      return `New guest ${change.name}${change.addresses.length > 0 ? ` (${change.addresses.join(', ')})` : ' (no address known)'}`;
    case 'renamed':
      return `Renamed ${change.from} → ${change.to}`;
    case 'address':
      return `${change.name}: address ${change.from.join(', ') || 'none'} → ${change.to.join(', ') || 'none'}`;
    case 'gone':
      return `${change.name} gone since ${relativeTime(change.since, now)}`;
  }
}

/** What accepting did to one guest, from pve:accept's reply. */
export function acceptResultText(result: AcceptResult): string {
  if (!result.host) return `${result.guest}: accepted`;
  if (result.host.action === 'created') return `${result.guest}: host ${result.host.name} created`;
  return `${result.guest}: host ${result.host.name} ${result.host.action}`;
}

/** The privileges table of an added endpoint: one row per path, the privileges it holds. */
export function grantedPrivileges(privileges: AddedEndpoint['privileges']): { path: string; granted: string[] }[] {
  return Object.entries(privileges)
    .map(([path, privs]) => ({ path, granted: Object.keys(privs).filter((p) => privs[p]).sort() }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Why the user field cannot be right for the chosen sign-in, before main says so: the usual slip
 * is a token id under "password" or a plain user under "API token". null when it looks fine or is empty.
 */
export function credentialUserProblem(auth: AuthKind, user: string): string | null {
  const value = user.trim();
  if (value === '') return null;
  if (auth === 'token') {
    if (PVE_TOKEN_ID_PATTERN.test(value)) return null;
    return PVE_USER_PATTERN.test(value) ? 'is a user: add the token name, like user@realm!tokenid' : 'must look like user@realm!tokenid';
  }
  if (PVE_USER_PATTERN.test(value)) return null;
  return PVE_TOKEN_ID_PATTERN.test(value) ? 'is an API token id: choose "API token" to sign in with it' : 'must look like user@realm, e.g. root@pam';
}

/** The header badge of an endpoint: what is pinned, with the pinned SHA-256 as its tooltip. */
export function pinBadge(endpoint: { pin: PinKind; fingerprint: string }): { label: string; title: string } {
  return {
    label: endpoint.pin === 'ca' ? 'CA pinned' : 'certificate pinned',
    title: `${endpoint.pin === 'ca' ? 'Cluster CA' : 'Certificate'} SHA-256 ${endpoint.fingerprint}`,
  };
}

/** "Pinned the cluster CA CN=…" or "Pinned this node's certificate"; the SHA-256 follows it on screen. */
export function pinnedLabel(pinned: PinOutcome): string {
  return pinned.kind === 'ca' ? `Pinned the cluster CA ${pinned.subject}` : "Pinned this node's certificate";
}

/** The certificate a failed sync was refused, when it failed because the pin no longer matches. */
export function pinMismatch(error: BulwarkError | undefined): { presented: string | null } | null {
  if (error?.code !== 'TLS_PIN_MISMATCH') return null;
  return { presented: error.fields?.['fingerprint'] ?? null };
}

/**
 * Whether what the endpoint presents now is already accepted by the pin: the pinned certificate
 * itself, or a chain that carries the pinned CA. Then trusting it changes nothing and the mismatch
 * was elsewhere (another node behind the address, or gone since).
 */
export function presentedMatchesPin(pinned: string, presented: PresentedCertificate): boolean {
  const want = pinned.toUpperCase();
  return presented.sha256.toUpperCase() === want || presented.chain.some((c) => c.sha256.toUpperCase() === want);
}
