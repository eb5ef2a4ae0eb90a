/**
 * Accepting synced guests into the inventory, on the Proxmox API simulator (tests/pve-sim): a
 * host created with the guest's address, tags and link; a rename and a new address followed by
 * the host only while it still mirrors the guest; a gone guest's host unlinked, never deleted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostStore } from '../../../main/services/inventory';
import { PveClient } from '../../../main/services/proxmox/client';
import { GuestHosts } from '../../../main/services/proxmox/guest-hosts';
import { PveSync } from '../../../main/services/proxmox/sync';
import { Vault } from '../../../main/services/vault';
import { startPveSim, type PveSim } from '../../pve-sim';
import { ADMIN_TOKEN, sampleFleet } from '../../pve-sim/sample-fleet';

let sim: PveSim;
let dir: string;
let vault: Vault;
let client: PveClient;
let hosts: HostStore;
let sync: PveSync;
let guestHosts: GuestHosts;

beforeAll(async () => {
  sim = await startPveSim(sampleFleet());
  dir = mkdtempSync(join(tmpdir(), 'bulwark-pve-hosts-'));
  vault = new Vault({ path: join(dir, 'vault.db'), kdf: { N: 1024, r: 8, p: 1 } });
  vault.create('granite orbit lantern 47 meadow');
  client = new PveClient({ name: 'homelab', baseUrl: sim.url, pin: { sha256: sim.fingerprint() }, auth: { kind: 'token', tokenId: ADMIN_TOKEN.id, secret: ADMIN_TOKEN.secret } });
  hosts = new HostStore(vault);
  sync = new PveSync(vault);
  guestHosts = new GuestHosts(vault, hosts, sync);
});
afterAll(async () => {
  await client?.close();
  vault?.close();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('synced guests into the inventory', () => {
  it('creates a host for an accepted guest; a guest without an address cannot become one', async () => {
    sim.state.guests.find((g) => g.vmid === 200)!.tags = ['Infra', 'dns'];
    await sync.sync('ep1', client);
    expect(guestHosts.accept('ep1:100', { addHost: { user: 'admin' } })).toEqual({ guestId: 'ep1:100', guest: 'web', host: { name: 'web', action: 'created' } });
    expect(hosts.findByName('web')).toMatchObject({ address: '192.168.1.50', user: 'admin', tags: ['prod', 'web'], guest: { nodeId: 'ep1', vmid: 100 } });
    expect(guestHosts.accept('ep1:200', { addHost: {} }).host).toEqual({ name: 'dns', action: 'created' });
    expect(hosts.findByName('dns')).toMatchObject({ address: '192.168.1.53', user: 'root', tags: ['dns', 'infra'] });
    expect(() => guestHosts.accept('ep1:101', { addHost: {} })).toThrow(/db \(101\) has no known address to add as a host: .*guest agent is not running/);
    expect(sync.guests('ep1').find((g) => g.vmid === 101)!.accepted).toBeNull();
    expect(sync.changes('ep1')).toEqual([]);
  });

  it('a rename and a new address move the host along, unless the user renamed the host', async () => {
    hosts.update(hosts.findByName('dns')!.id, { ...hosts.findByName('dns')!, name: 'resolver' });
    for (const [vmid, name, ip] of [[100, 'web-01', '192.168.1.60/24'], [200, 'dns-01', '192.168.1.63/24']] as const) {
      const g = sim.state.guests.find((x) => x.vmid === vmid)!;
      g.name = name;
      g.interfaces = [{ name: 'eth0', ipv4: [ip] }];
    }
    await sync.sync('ep1', client);
    expect(guestHosts.accept('ep1:100').host).toEqual({ name: 'web-01', action: 'renamed and readdressed' });
    expect(hosts.findByName('web-01')).toMatchObject({ address: '192.168.1.60', guest: { vmid: 100 } });
    expect(guestHosts.accept('ep1:200').host).toEqual({ name: 'resolver', action: 'readdressed' });
    expect(hosts.findByName('resolver')!.address).toBe('192.168.1.63');
  });

  it('a gone guest: its host stays, unlinked; the guest record goes only when accepted', async () => {
    sim.state.guests = sim.state.guests.filter((g) => g.vmid !== 100);
    const r = await sync.sync('ep1', client);
    expect(r.changes).toEqual([expect.objectContaining({ kind: 'gone', guestId: 'ep1:100' })]);
    expect(hosts.findByName('web-01')!.guest).toEqual({ nodeId: 'ep1', vmid: 100 });
    expect(guestHosts.accept('ep1:100').host).toEqual({ name: 'web-01', action: 'unlinked' });
    expect(hosts.findByName('web-01')).toMatchObject({ guest: null, address: '192.168.1.60' });
    expect(sync.guests('ep1').map((g) => g.vmid)).not.toContain(100);
  });
});
