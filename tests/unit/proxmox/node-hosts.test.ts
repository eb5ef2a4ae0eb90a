import { describe, expect, it } from 'vitest';
import { nodeHostCandidates } from '../../../shared/domain/proxmox';

const hosts = [
  { id: 'a', address: '192.168.1.10' },
  { id: 'b', address: '192.168.1.11' },
  { id: 'c', address: 'PVE1.lan' },
  { id: 'd', address: '192.168.1.50' },
];

describe('nodeHostCandidates', () => {
  it("finds hosts at the endpoint's address (names case-insensitively) and at synced node IPs", () => {
    expect(nodeHostCandidates(hosts, { address: 'pve1.lan', lastSync: null }).map((h) => h.id)).toEqual(['c']);
    const synced = { address: 'pve1.lan', lastSync: { nodes: [{ ip: '192.168.1.10' }, { ip: '192.168.1.11' }, { ip: null }] } };
    expect(nodeHostCandidates(hosts, synced).map((h) => h.id)).toEqual(['a', 'b', 'c']);
  });

  it('finds nothing when no host is at a node address', () => {
    expect(nodeHostCandidates(hosts, { address: '10.0.0.1', lastSync: { nodes: [{ ip: '10.0.0.2' }] } })).toEqual([]);
  });
});
