/** Drift rules between syncs that the simulator run does not reach. */
import { describe, expect, it } from 'vitest';
import type { GuestSnapshot } from '../../../shared/domain/proxmox';
import { acceptCurrent, changesOf, mergeRead } from '../../../main/services/proxmox/guest-drift';

const snap = (o: Partial<GuestSnapshot> = {}): GuestSnapshot => ({
  vmid: 100, node: 'pve1', type: 'qemu', name: 'web', status: 'running', template: false, tags: [], cpu: null, maxcpu: null, mem: null, maxmem: null, uptime: null,
  addresses: [{ interface: 'ens18', address: '10.0.0.5', family: 4, prefix: 24 }], addressNote: null, addressSource: 'guest', configuredAddresses: [], ostype: 'l26', ...o,
});
const configured = [{ interface: 'net0', address: '10.0.0.9', family: 4 as const, prefix: 24 }];
const agentDown = { addresses: configured, addressNote: 'QEMU guest agent is not running', addressSource: 'config' as const, configuredAddresses: configured };
const read = (guests: GuestSnapshot[], unreachableNodes: string[] = []) => ({ clusterName: null, nodes: [], guests, unreachableNodes });

describe('guest drift', () => {
  it('addresses that could not be read keep the last known ones and are no drift', () => {
    const [g] = mergeRead('ep', [], read([snap()]), 1).map(acceptCurrent);
    const next = mergeRead('ep', [g!], read([snap({ addresses: [], addressNote: 'QEMU guest agent is not running' })]), 2);
    expect(next[0]!.addresses.map((a) => a.address)).toEqual(['10.0.0.5']);
    expect(next[0]!.addressNote).toMatch(/not running/);
    expect(changesOf(next)).toEqual([]);
  });

  it('configured addresses stand in while the guest cannot be asked, but never replace addresses seen in the running guest', () => {
    const [fromConfig] = mergeRead('ep', [], read([snap(agentDown)]), 1);
    expect(fromConfig).toMatchObject({ addressSource: 'config', addresses: configured });
    expect(changesOf([fromConfig!])).toEqual([{ kind: 'new', guestId: 'ep:100', name: 'web', addresses: ['10.0.0.9'] }]);
    // the configuration changed while the guest still cannot be asked: the new configured address
    const moved = [{ ...configured[0]!, address: '10.0.0.10' }];
    expect(mergeRead('ep', [fromConfig!], read([snap({ ...agentDown, addresses: moved, configuredAddresses: moved })]), 2)[0]!.addresses).toEqual(moved);

    const [seen] = mergeRead('ep', [], read([snap()]), 1).map(acceptCurrent);
    const later = mergeRead('ep', [seen!], read([snap(agentDown)]), 2);
    expect(later[0]).toMatchObject({ addressSource: 'guest', configuredAddresses: configured });
    expect(later[0]!.addresses.map((a) => a.address)).toEqual(['10.0.0.5']);
    expect(changesOf(later)).toEqual([]);
  });

  it('a gone guest that comes back is no longer gone; templates are never offered', () => {
    const [g] = mergeRead('ep', [], read([snap()]), 1).map(acceptCurrent);
    const gone = mergeRead('ep', [g!], read([]), 2);
    expect(changesOf(gone)).toEqual([{ kind: 'gone', guestId: 'ep:100', name: 'web', since: 2 }]);
    const back = mergeRead('ep', gone, read([snap()]), 3);
    expect(back[0]!.goneSince).toBeNull();
    expect(changesOf(back)).toEqual([]);
    expect(changesOf(mergeRead('ep', [], read([snap({ vmid: 900, template: true })]), 1))).toEqual([]);
  });

  it('a guest unseen because its node is unreachable keeps its name and is not gone', () => {
    const [g] = mergeRead('ep', [], read([snap()]), 1).map(acceptCurrent);
    const missing = mergeRead('ep', [g!], read([], ['pve1']), 2);
    expect(missing[0]).toMatchObject({ status: 'unknown', goneSince: null });
    const unknown = mergeRead('ep', [g!], read([snap({ name: 'VM 100', status: 'unknown', addresses: [], addressNote: 'node pve1 is unreachable' })], ['pve1']), 2);
    expect(unknown[0]).toMatchObject({ name: 'web', status: 'unknown' });
    expect(changesOf(unknown)).toEqual([]);
  });
});
