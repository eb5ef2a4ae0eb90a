/**
 * The Proxmox view's derivations: guests grouped under their node (a node the last sync no longer
 * lists still gets its branch), the inventory host linked to a guest, the status chip, and the
 * texts for last-sync times, progress, sizes, fingerprints, changes and accept results; and the
 * pinning texts: the sign-in user check, the pin badge, what was pinned, a pin-mismatch error and
 * whether a presented certificate is already accepted by the pin.
 */
import { describe, expect, it } from 'vitest';
import type { Host } from '../../../shared/domain/host';
import type { PveGuest, PveNodeStatus } from '../../../shared/domain/proxmox';
import { BulwarkError } from '../../../shared/errors';
import {
  acceptResultText,
  changeText,
  credentialUserProblem,
  formatBytes,
  formatCpu,
  formatUptime,
  grantedPrivileges,
  groupFingerprint,
  groupGuestsByNode,
  guestKey,
  guestStatus,
  linkedHosts,
  pinBadge,
  pinMismatch,
  pinnedLabel,
  presentedMatchesPin,
  progressRatio,
  progressText,
  osLabel,
  relativeTime,
} from '../../../renderer/src/features/proxmox/pve-derive';

const node = (name: string, online = true): PveNodeStatus => ({ name, online, ip: null, cpu: 0.25, maxcpu: 4, mem: 2 * 1024 ** 3, maxmem: 8 * 1024 ** 3, uptime: 3_600 });
const guest = (vmid: number, nodeName: string, over: Partial<PveGuest> = {}): PveGuest => ({
  vmid,
  node: nodeName,
  type: 'qemu',
  name: `vm${vmid}`,
  status: 'running',
  template: false,
  tags: [],
  cpu: null,
  maxcpu: null,
  mem: null,
  maxmem: null,
  uptime: null,
  addresses: [],
  addressNote: null,
  addressSource: null,
  configuredAddresses: [],
  ostype: null,
  id: `g${vmid}`,
  endpointId: 'ep1',
  accepted: null,
  firstSeenAt: 0,
  lastSeenAt: 0,
  goneSince: null,
  ...over,
});

describe('groupGuestsByNode', () => {
  it('puts guests under their node by VMID, nodes by name, and keeps a branch for an unlisted node', () => {
    const tree = groupGuestsByNode([node('pve2'), node('pve1', false)], [guest(105, 'pve1'), guest(101, 'pve1'), guest(200, 'pve2'), guest(300, 'old')]);
    expect(tree.map((b) => b.name)).toEqual(['old', 'pve1', 'pve2']);
    expect(tree[1]!.guests.map((g) => g.vmid)).toEqual([101, 105]);
    expect(tree[1]!.status?.online).toBe(false);
    expect(tree[0]!.status).toBeNull();
  });

  it('lists a node with no guests', () => {
    expect(groupGuestsByNode([node('pve1')], [])).toEqual([{ name: 'pve1', status: node('pve1'), guests: [] }]);
  });
});

describe('linkedHosts', () => {
  it('finds the host linked to an endpoint guest, and only that one', () => {
    const hosts = [
      { id: 'h1', name: 'web', guest: { nodeId: 'ep1', vmid: 101 } },
      { id: 'h2', name: 'db', guest: null },
      { id: 'h3', name: 'other', guest: { nodeId: 'ep2', vmid: 101 } },
    ] as unknown as Host[];
    const map = linkedHosts(hosts);
    expect(map.get(guestKey('ep1', 101))?.name).toBe('web');
    expect(map.get(guestKey('ep2', 101))?.name).toBe('other');
    expect(map.get(guestKey('ep1', 102))).toBeUndefined();
    expect(map.size).toBe(2);
  });
});

describe('texts', () => {
  it('guest status: gone wins, odd statuses are unknown', () => {
    expect(guestStatus(guest(1, 'a'))).toBe('running');
    expect(guestStatus(guest(1, 'a', { status: 'stopped' }))).toBe('stopped');
    expect(guestStatus(guest(1, 'a', { status: 'prelaunch' }))).toBe('unknown');
    expect(guestStatus(guest(1, 'a', { goneSince: 5 }))).toBe('gone');
  });

  it('relative time', () => {
    const now = 1_000_000_000;
    expect(relativeTime(now - 10_000, now)).toBe('just now');
    expect(relativeTime(now + 5_000, now)).toBe('just now');
    expect(relativeTime(now - 3 * 60_000, now)).toBe('3 min ago');
    expect(relativeTime(now - 5 * 3_600_000, now)).toBe('5 h ago');
    expect(relativeTime(now - 3 * 86_400_000, now)).toBe('3 days ago');
  });

  it('progress', () => {
    expect(progressText(null)).toBe('reading the cluster…');
    expect(progressRatio(null)).toBeNull();
    expect(progressText({ done: 3, total: 5 })).toBe('guest addresses 3/5');
    expect(progressRatio({ done: 3, total: 5 })).toBeCloseTo(0.6);
    expect(progressRatio({ done: 0, total: 0 })).toBeNull();
  });

  it('sizes, CPU, uptime', () => {
    expect(formatBytes(null)).toBe('–');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.5 GiB');
    expect(formatBytes(16 * 1024 ** 3)).toBe('16 GiB');
    expect(formatCpu(0.256)).toBe('26%');
    expect(formatCpu(0.05)).toBe('5.0%');
    expect(formatUptime(90_000)).toBe('1d 1h');
    expect(formatUptime(3_700)).toBe('1h 1m');
    expect(formatUptime(null)).toBe('–');
  });

  it('fingerprint in groups of four bytes', () => {
    const fp = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase()).join(':');
    const groups = groupFingerprint(fp);
    expect(groups).toHaveLength(8);
    expect(groups[0]).toBe('00:01:02:03');
    expect(groups.join(':')).toBe(fp);
  });

  it('changes and accept results', () => {
    const now = 10 * 60_000;
    expect(changeText({ kind: 'new', guestId: 'g', name: 'web', addresses: ['192.0.2.5'] }, now)).toBe('New guest web (192.0.2.5)');
    expect(changeText({ kind: 'new', guestId: 'g', name: 'web', addresses: [] }, now)).toBe('New guest web (no address known)');
    expect(changeText({ kind: 'renamed', guestId: 'g', from: 'a', to: 'b' }, now)).toBe('Renamed a → b');
    expect(changeText({ kind: 'address', guestId: 'g', name: 'web', from: ['192.0.2.5'], to: [] }, now)).toBe('web: address 192.0.2.5 → none');
    expect(changeText({ kind: 'gone', guestId: 'g', name: 'web', since: 0 }, now)).toBe('web gone since 10 min ago');
    expect(acceptResultText({ guestId: 'g', guest: 'web', host: { name: 'web', action: 'created' } })).toBe('web: host web created');
    expect(acceptResultText({ guestId: 'g', guest: 'web', host: { name: 'web', action: 'unlinked' } })).toBe('web: host web unlinked');
    expect(acceptResultText({ guestId: 'g', guest: 'web', host: null })).toBe('web: accepted');
  });

  it('granted privileges per path, only those held', () => {
    expect(grantedPrivileges({ '/vms': { 'VM.Audit': true, 'VM.Monitor': false }, '/': { 'Sys.Audit': true } })).toEqual([
      { path: '/', granted: ['Sys.Audit'] },
      { path: '/vms', granted: ['VM.Audit'] },
    ]);
  });
});

describe('pinning and sign-in', () => {
  it('checks the user field against the chosen sign-in and names the usual mix-up', () => {
    expect(credentialUserProblem('token', '')).toBeNull();
    expect(credentialUserProblem('token', ' bulwark@pve!inventory ')).toBeNull();
    expect(credentialUserProblem('token', 'root@pam')).toBe('is a user: add the token name, like user@realm!tokenid');
    expect(credentialUserProblem('token', 'root')).toBe('must look like user@realm!tokenid');
    expect(credentialUserProblem('password', 'root@pam')).toBeNull();
    expect(credentialUserProblem('password', 'bulwark@pve!inventory')).toBe('is an API token id: choose "API token" to sign in with it');
    expect(credentialUserProblem('password', 'root')).toBe('must look like user@realm, e.g. root@pam');
  });

  it('badge and pinned texts say CA or certificate', () => {
    expect(pinBadge({ pin: 'ca', fingerprint: 'AA:BB' })).toEqual({ label: 'CA pinned', title: 'Cluster CA SHA-256 AA:BB' });
    expect(pinBadge({ pin: 'certificate', fingerprint: 'CC:DD' })).toEqual({ label: 'certificate pinned', title: 'Certificate SHA-256 CC:DD' });
    expect(pinnedLabel({ kind: 'ca', sha256: 'AA', subject: 'CN=Proxmox Virtual Environment', note: null })).toBe('Pinned the cluster CA CN=Proxmox Virtual Environment');
    expect(pinnedLabel({ kind: 'certificate', sha256: 'AA', subject: 'CN=pve1', note: 'not issued by the cluster CA' })).toBe("Pinned this node's certificate");
  });

  it('a pin mismatch carries the refused fingerprint; other errors are no mismatch', () => {
    expect(pinMismatch(new BulwarkError('TLS_PIN_MISMATCH', 'refused', { fingerprint: 'AA:BB' }))).toEqual({ presented: 'AA:BB' });
    expect(pinMismatch(new BulwarkError('TLS_PIN_MISMATCH', 'no certificate'))).toEqual({ presented: null });
    expect(pinMismatch(new BulwarkError('PVE_AUTH_FAILED', 'bad token', { fingerprint: 'AA:BB' }))).toBeNull();
    expect(pinMismatch(undefined)).toBeNull();
  });

  it('a presented certificate matches the pin by itself or through the CA in its chain', () => {
    const presented = { sha256: 'AA:01', subject: 'CN=pve1', issuer: 'CN=CA', validTo: '2027', chain: [{ sha256: 'CA:01', subject: 'CN=CA', pem: '' }] };
    expect(presentedMatchesPin('aa:01', presented)).toBe(true);
    expect(presentedMatchesPin('CA:01', presented)).toBe(true);
    expect(presentedMatchesPin('BB:02', presented)).toBe(false);
  });
});

describe('osLabel', () => {
  it("names qemu ostype codes and capitalises a container's distribution; null when unread", () => {
    expect(osLabel({ type: 'qemu', ostype: 'l26' })).toBe('Linux');
    expect(osLabel({ type: 'qemu', ostype: 'win11' })).toBe('Windows 11/2022/2025');
    expect(osLabel({ type: 'qemu', ostype: 'plan9' })).toBe('plan9');
    expect(osLabel({ type: 'lxc', ostype: 'debian' })).toBe('Debian');
    expect(osLabel({ type: 'lxc', ostype: null })).toBeNull();
  });
});
