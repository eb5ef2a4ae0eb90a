/**
 * Inventory sync against the Proxmox API simulator (tests/pve-sim, a simulator of the public
 * API): a cluster of two nodes (pve2 offline) with QEMU and LXC guests; a second sync after the
 * simulator changed shows drift (gone, renamed, new address) without applying any of it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PveClient } from '../../../main/services/proxmox/client';
import { PveSync } from '../../../main/services/proxmox/sync';
import { Vault } from '../../../main/services/vault';
import { startPveSim, type PveSim } from '../../pve-sim';
import { ADMIN_TOKEN, sampleFleet } from '../../pve-sim/sample-fleet';

let sim: PveSim;
let dir: string;
let vault: Vault;
let client: PveClient;
let now = 1_800_000_000_000;

beforeAll(async () => {
  sim = await startPveSim(sampleFleet());
  dir = mkdtempSync(join(tmpdir(), 'bulwark-pve-sync-'));
  vault = new Vault({ path: join(dir, 'vault.db'), kdf: { N: 1024, r: 8, p: 1 } });
  vault.create('granite orbit lantern 47 meadow');
  client = new PveClient({ name: 'homelab', baseUrl: sim.url, pin: { sha256: sim.fingerprint() }, auth: { kind: 'token', tokenId: ADMIN_TOKEN.id, secret: ADMIN_TOKEN.secret } });
});
afterAll(async () => {
  await client?.close();
  vault?.close();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Proxmox inventory sync', () => {
  it('first sync: nodes, guests with status, tags and addresses; guests with an address are offered', async () => {
    const sync = new PveSync(vault, { now: () => now });
    const progress: number[] = [];
    const r = await sync.sync('ep1', client, (done) => progress.push(done));
    expect(r.clusterName).toBe('homelab');
    expect(r.nodes.map((n) => [n.name, n.online])).toEqual([
      ['pve1', true],
      ['pve2', false],
    ]);
    expect(r.unreachableNodes).toEqual(['pve2']);
    const byVmid = new Map(r.guests.map((g) => [g.vmid, g]));
    expect([...byVmid.keys()]).toEqual([100, 101, 102, 200, 300]);
    expect(byVmid.get(100)).toMatchObject({ type: 'qemu', name: 'web', status: 'running', tags: ['prod', 'web'], addressNote: null });
    expect(byVmid.get(100)!.addresses.map((a) => a.address)).toEqual(['192.168.1.50']);
    expect(byVmid.get(200)).toMatchObject({ type: 'lxc', name: 'dns', tags: ['infra'] });
    expect(byVmid.get(200)!.addresses.map((a) => a.address)).toEqual(['192.168.1.53', 'fd00::53']);
    expect(byVmid.get(101)!.addressNote).toMatch(/guest agent is not running/);
    // the config says agent off: nothing to ask, so no agent call is made for it
    expect(byVmid.get(102)!.addressNote).toMatch(/^No QEMU guest agent configured/);
    expect(sim.requests.filter((q) => q.path.includes('/qemu/102/agent'))).toEqual([]);
    expect(sim.requests.filter((q) => q.path.includes('/qemu/101/agent'))).toHaveLength(1);
    expect(byVmid.get(300)).toMatchObject({ status: 'unknown', addresses: [] });
    expect(progress.at(-1)).toBe(5);
    expect(r.changes).toEqual([
      { kind: 'new', guestId: 'ep1:100', name: 'web', addresses: ['192.168.1.50'] },
      { kind: 'new', guestId: 'ep1:200', name: 'dns', addresses: ['192.168.1.53', 'fd00::53'] },
    ]);
    // stored: a new PveSync (as after a restart) sees the same
    expect(new PveSync(vault).guests('ep1')).toHaveLength(5);
    expect(new PveSync(vault).lastSync('ep1')?.syncedAt).toBe(now);
  });

  it('a second sync after changes on the server shows drift, and applies none of it', async () => {
    const sync = new PveSync(vault, { now: () => now });
    for (const c of sync.changes('ep1')) sync.accept(c.guestId);
    expect(sync.changes('ep1')).toEqual([]);
    // on the server: dns removed, web renamed and re-addressed, pve2 still down
    sim.state.guests = sim.state.guests.filter((g) => g.vmid !== 200);
    const web = sim.state.guests.find((g) => g.vmid === 100)!;
    web.name = 'web-01';
    web.interfaces = [{ name: 'ens18', ipv4: ['192.168.1.60/24'] }];
    now += 60_000;
    const r = await sync.sync('ep1', client);
    expect(r.changes).toEqual([
      { kind: 'renamed', guestId: 'ep1:100', from: 'web', to: 'web-01' },
      { kind: 'address', guestId: 'ep1:100', name: 'web-01', from: ['192.168.1.50'], to: ['192.168.1.60'] },
      { kind: 'gone', guestId: 'ep1:200', name: 'dns', since: now },
    ]);
    // kept until accepted; the guest on the offline node is not gone
    expect(r.guests.map((g) => g.vmid)).toEqual([100, 101, 102, 200, 300]);
    expect(r.guests.find((g) => g.vmid === 300)!.goneSince).toBeNull();
    sync.accept('ep1:200');
    sync.accept('ep1:100');
    expect(sync.guests('ep1').map((g) => g.vmid)).toEqual([100, 101, 102, 300]);
    expect(sync.changes('ep1')).toEqual([]);
  });
});
