/**
 * The node's local network, read through the API from the project's Proxmox simulator
 * (tests/pve-sim, a simulator of the public API): counted by the lockout guard only when the
 * API shows it, never guessed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PveClient } from '../../../main/services/proxmox/client';
import { networkOf, readLocalNetwork } from '../../../main/services/proxmox/local-network';
import { startPveSim, type PveSim } from '../../pve-sim';
import { ADMIN_TOKEN, LIMITED_TOKEN, sampleFleet } from '../../pve-sim/sample-fleet';

let sim: PveSim | undefined;
let client: PveClient | undefined;
afterEach(async () => {
  await client?.close();
  await sim?.close();
});

async function localNetworkOf(o: Parameters<typeof startPveSim>[0], token = ADMIN_TOKEN): Promise<string | null> {
  sim = await startPveSim(o);
  client = new PveClient({ name: 'homelab', baseUrl: sim.url, pin: { sha256: sim.fingerprint() }, auth: { kind: 'token', tokenId: token.id, secret: token.secret } });
  return readLocalNetwork(client);
}

describe('readLocalNetwork', () => {
  it("is the network of the interface holding the node's cluster address", async () => {
    expect(await localNetworkOf(sampleFleet({ localNetwork: '192.168.1.0/24' }))).toBe('192.168.1.0/24');
  });

  it('follows the prefix the node is configured with', async () => {
    expect(await localNetworkOf(sampleFleet({ nodes: [{ name: 'pve1', ip: '10.20.30.40' }], localNetwork: '10.20.0.0/16' }))).toBe('10.20.0.0/16');
  });

  it('is null without Sys.Audit on / (the node cannot be identified): the guard then counts no local network', async () => {
    expect(await localNetworkOf(sampleFleet(), LIMITED_TOKEN)).toBeNull();
  });
});

describe('networkOf', () => {
  it('clears the host bits of an IPv4 interface address', () => {
    expect(networkOf('192.168.1.10/24')).toBe('192.168.1.0/24');
    expect(networkOf('10.20.30.40/12')).toBe('10.16.0.0/12');
    expect(networkOf('172.16.5.9/32')).toBe('172.16.5.9/32');
    expect(networkOf('fd00::10/64')).toBe('fd00::10/64');
  });
});
