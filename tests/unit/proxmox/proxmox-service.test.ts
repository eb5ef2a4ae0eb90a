/**
 * ProxmoxService end to end against the project's Proxmox API simulator (tests/pve-sim: a
 * simulator of the public PVE API, not Proxmox VE), with the real app services and vault:
 * what gets pinned (the cluster CA, or the certificate when the CA did not issue it), renewals
 * under the same CA, password sign-in with tickets, and several endpoints (a cluster and a
 * standalone node) synced side by side.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BulwarkError } from '../../../shared/errors';
import { startPveSim, type PveSim } from '../../pve-sim';
import { ADMIN_TOKEN, ROOT_USER, sampleFleet } from '../../pve-sim/sample-fleet';
import { type AppHarness, startAppHarness } from '../ipc/app-harness';

let app: AppHarness;
const sims: PveSim[] = [];
const service = () => app.services.proxmox;

async function sim(o: Parameters<typeof startPveSim>[0] = sampleFleet()): Promise<PveSim> {
  const s = await startPveSim(o);
  sims.push(s);
  return s;
}

const endpoint = (s: PveSim, o: Record<string, unknown> = {}) => ({ name: 'homelab', address: '127.0.0.1', port: Number(new URL(s.url).port), user: ADMIN_TOKEN.id, secret: ADMIN_TOKEN.secret, fingerprint: s.fingerprint(), ...o });

async function failure(p: Promise<unknown>): Promise<BulwarkError> {
  try {
    await p;
  } catch (e) {
    return e as BulwarkError;
  }
  throw new Error('expected a failure');
}

beforeEach(async () => {
  app = await startAppHarness('bulwark-pve-service-');
});
afterEach(async () => {
  await app.dispose();
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

describe('pinning when an endpoint is added', () => {
  it('pins the cluster CA read through the confirmed certificate; a renewal under it keeps working', async () => {
    const s = await sim();
    const added = await service().add(endpoint(s));
    expect(added.pinned).toMatchObject({ kind: 'ca', sha256: s.caFingerprint(), note: null });
    expect(app.services.proxmoxNodes.getWithSecret(added.endpoint.id).caPem).toBe(s.caPem());
    s.rotateCertificate({ sameCa: true });
    expect((await service().syncEndpoint(added.endpoint.id)).guests).toHaveLength(5);
  });

  it('keeps a certificate pin, saying why, when the node serves a certificate the cluster CA did not issue', async () => {
    const s = await sim();
    s.installCustomCertificate();
    const added = await service().add(endpoint(s));
    expect(added.endpoint).toMatchObject({ pin: 'certificate', fingerprint: s.fingerprint() });
    expect(added.pinned.note).toMatch(/certificate the cluster CA did not issue .* renewals will need trusting again/);
  });

  it('pins only the certificate when asked; a renewal is then refused with what to do', async () => {
    const s = await sim();
    const added = await service().add(endpoint(s, { pin: 'certificate' }));
    expect(added.pinned).toMatchObject({ kind: 'certificate', sha256: s.fingerprint(), note: null });
    const before = s.requests.length;
    s.rotateCertificate({ sameCa: true });
    const e = await failure(service().syncEndpoint(added.endpoint.id));
    expect(e.code).toBe('TLS_PIN_MISMATCH');
    expect(e.message).toMatch(/is not the pinned .* Nothing was sent.*bulwark pve trust/);
    expect(s.requests.length).toBe(before);
  });

  it('refuses to add when the presented certificate is not the confirmed one; nothing is stored', async () => {
    const s = await sim();
    const other = await sim();
    const e = await failure(service().add(endpoint(s, { fingerprint: other.fingerprint() })));
    expect(e.code).toBe('TLS_PIN_MISMATCH');
    expect(s.requests).toEqual([]);
    expect(app.services.proxmoxNodes.list()).toEqual([]);
  });
});

describe('password sign-in', () => {
  it('adds and syncs with a ticket; the password stays in the vault record only', async () => {
    const s = await sim();
    const added = await service().add(endpoint(s, { auth: 'password', user: ROOT_USER.userid, secret: ROOT_USER.password }));
    expect(added.endpoint).toMatchObject({ auth: 'password', user: 'root@pam', pin: 'ca' });
    expect(JSON.stringify(added)).not.toContain(ROOT_USER.password);
    expect((await service().syncEndpoint(added.endpoint.id)).guests).toHaveLength(5);
    const used = new Set(s.requests.filter((r) => r.path !== '/api2/json/access/ticket').map((r) => r.auth));
    expect(used).toEqual(new Set(['ticket']));
  });

  it('a wrong password or a user with a second factor gives a clear error and stores nothing', async () => {
    const s = await sim(sampleFleet({ users: [ROOT_USER, { userid: 'alice@pve', password: 'pw-with-totp', privileges: ROOT_USER.privileges, tfa: true }] }));
    const wrong = await failure(service().add(endpoint(s, { auth: 'password', user: 'root@pam', secret: 'not-it' })));
    expect(wrong.code).toBe('PVE_AUTH_FAILED');
    const tfa = await failure(service().add(endpoint(s, { auth: 'password', user: 'alice@pve', secret: 'pw-with-totp' })));
    expect(tfa.code).toBe('PVE_AUTH_FAILED');
    expect(tfa.message).toMatch(/alice@pve .* two-factor authentication.*API token/);
    expect(app.services.proxmoxNodes.list()).toEqual([]);
  });
});

describe('several endpoints', () => {
  it('a cluster and a standalone node sync side by side, each keeping its own guests and changes', async () => {
    const cluster = await sim();
    const solo = await sim(
      sampleFleet({
        clusterName: null,
        nodes: [{ name: 'solo', ip: '10.0.5.2' }],
        guests: [{ vmid: 100, node: 'solo', type: 'lxc', name: 'media', status: 'running', interfaces: [{ name: 'eth0', mac: 'BC:24:11:00:05:01', ipv4: ['10.0.5.20/24'] }] }],
      }),
    );
    const a = await service().add(endpoint(cluster));
    const b = await service().add(endpoint(solo, { name: 'solo' }));
    const [ra, rb] = await Promise.all([service().syncEndpoint(a.endpoint.id), service().syncEndpoint(b.endpoint.id)]);
    expect(ra.clusterName).toBe('homelab');
    expect(rb).toMatchObject({ clusterName: null, unreachableNodes: [] });
    expect(rb.nodes.map((n) => [n.name, n.online, n.ip])).toEqual([['solo', true, '10.0.5.2']]);

    const state = service().state();
    expect(state.map((e) => [e.name, e.guests.length, e.changes.length])).toEqual([
      ['homelab', 5, 2],
      ['solo', 1, 1],
    ]);
    // VMID 100 exists on both: two guests, not one
    const hundreds = service().guests().filter((g) => g.vmid === 100);
    expect(hundreds.map((g) => [g.endpointId, g.name]).sort()).toEqual([[a.endpoint.id, 'web'], [b.endpoint.id, 'media']].sort());

    const soloGuest = state[1]!.guests[0]!;
    expect(service().accept([soloGuest.id], { addHost: { user: 'admin' } })[0]!.host).toEqual({ name: 'media', action: 'created' });
    expect(service().state().map((e) => e.changes.length)).toEqual([2, 0]);

    // the standalone node loses its guest: gone there only
    solo.state.guests.splice(0);
    const again = await service().syncEndpoint(b.endpoint.id);
    expect(again.changes).toEqual([expect.objectContaining({ kind: 'gone', guestId: soloGuest.id })]);
    expect(service().state()[0]!.changes.map((c) => c.kind)).toEqual(['new', 'new']);
  });
});

describe('datacenter firewall plan', () => {
  it("counts the node's local network for an address on it, and only there", async () => {
    const s = await sim(sampleFleet({ localNetwork: '192.168.1.0/24' }));
    const { endpoint: ep } = await service().add(endpoint(s));
    const params = { sshPort: 22, sshFrom: ['192.168.1.0/24'], internalCidr: null, webUiFrom: [] };
    const onLan = await service().firewallPlan(ep.id, params, { self: '192.168.1.20' });
    expect(onLan.localNetwork).toBe('192.168.1.0/24');
    expect(onLan.refused).toBeNull();
    expect(onLan.guard.find((g) => g.port === 8006)).toMatchObject({ address: '192.168.1.20', allowed: true, by: "the management IPSet (the node's local network)" });
    const elsewhere = await service().firewallPlan(ep.id, params, { self: '10.9.8.7' });
    expect(elsewhere.refused).toMatch(/10\.9\.8\.7 \(Bulwark\) could not reach port 8006/);
  });
});

describe('guest details', () => {
  it("reads each guest's configuration: OS type, and static addresses standing in while the guest cannot be asked", async () => {
    const s = await sim(
      sampleFleet({
        nodes: [{ name: 'pve1', ip: '192.168.1.10' }],
        guests: [
          { vmid: 400, node: 'pve1', type: 'qemu', name: 'ci-vm', status: 'stopped', ipconfig: ['ip=192.168.1.60/24,gw=192.168.1.1,ip6=fd00::60/64'] },
          { vmid: 401, node: 'pve1', type: 'qemu', name: 'win', status: 'running', ostype: 'win11', agent: 'not-running', ipconfig: ['ip=dhcp'] },
          { vmid: 402, node: 'pve1', type: 'lxc', name: 'cache', status: 'stopped', ostype: 'alpine', interfaces: [{ name: 'eth0', ipv4: ['192.168.1.70/24'] }] },
        ],
      }),
    );
    const { endpoint: ep } = await service().add(endpoint(s));
    const r = await service().syncEndpoint(ep.id);
    const byVmid = new Map(r.guests.map((g) => [g.vmid, g]));
    expect(byVmid.get(400)).toMatchObject({ ostype: 'l26', addressSource: 'config', addressNote: 'the guest is stopped' });
    expect(byVmid.get(400)!.addresses.map((a) => [a.interface, a.address, a.prefix])).toEqual([
      ['net0', '192.168.1.60', 24],
      ['net0', 'fd00::60', 64],
    ]);
    expect(byVmid.get(401)).toMatchObject({ ostype: 'win11', addresses: [], configuredAddresses: [], addressSource: null });
    expect(byVmid.get(402)).toMatchObject({ ostype: 'alpine', addressSource: 'config' });
    expect(byVmid.get(402)!.addresses.map((a) => a.address)).toEqual(['192.168.1.70']);
    expect(r.changes.map((c) => c.kind === 'new' && [c.name, c.addresses])).toEqual([
      ['ci-vm', ['192.168.1.60', 'fd00::60']],
      ['cache', ['192.168.1.70']],
    ]);
    expect(service().accept([`${ep.id}:400`], { addHost: {} })[0]!.host).toEqual({ name: 'ci-vm', action: 'created' });
    expect(app.services.hosts.findByName('ci-vm')?.address).toBe('192.168.1.60');
  });
});

