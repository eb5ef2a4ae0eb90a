/**
 * The Proxmox client against the project's HTTPS simulator of the public PVE API (tests/pve-sim:
 * a simulator, not Proxmox VE itself): pinning, token and ticket auth, typed errors, writes with
 * digests that are never retried, timeouts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BulwarkError } from '../../../shared/errors';
import { z } from '../../../shared/zod';
import { PveClient, pvePath, type PveAuth } from '../../../main/services/proxmox/client';
import { agentAddresses, agentInterfacesSchema, clusterResourcesSchema, versionSchema } from '../../../main/services/proxmox/schemas';
import type { TlsPin } from '../../../main/services/proxmox/tls-pin';
import { startPveSim, type PveSim } from '../../pve-sim';
import { ADMIN_TOKEN, LIMITED_TOKEN, ROOT_USER, sampleFleet } from '../../pve-sim/sample-fleet';

let sim: PveSim;
const clients: PveClient[] = [];
const token = (t = ADMIN_TOKEN): PveAuth => ({ kind: 'token', tokenId: t.id, secret: t.secret });
function client(o: { pin?: TlsPin | null; auth?: PveAuth; timeoutMs?: number; now?: () => number } = {}): PveClient {
  const c = new PveClient({ name: 'pve1', baseUrl: sim.url, pin: o.pin === undefined ? { sha256: sim.fingerprint() } : o.pin, auth: o.auth ?? token(), ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}), ...(o.now ? { now: o.now } : {}) });
  clients.push(c);
  return c;
}
async function failure(p: Promise<unknown>): Promise<BulwarkError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, 'expected the call to fail').toBeInstanceOf(BulwarkError);
  return e as BulwarkError;
}
const optionsSchema = z.looseObject({ digest: z.string(), enable: z.number().optional(), policy_in: z.string().optional() });

beforeAll(async () => {
  sim = await startPveSim(sampleFleet());
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await sim?.close();
});

describe('PveClient on the simulator', () => {
  it('reads with an API token through a pinned node certificate', async () => {
    const c = client();
    expect((await c.get('/version', versionSchema)).version).toMatch(/^8\./);
    const resources = await c.get('/cluster/resources', clusterResourcesSchema, { type: 'vm' });
    expect(resources.filter((r) => r.type === 'qemu' || r.type === 'lxc').map((r) => r.vmid).sort()).toEqual([100, 101, 102, 200, 300]);
    const web = await c.get(pvePath('nodes', 'pve1', 'qemu', 100, 'agent', 'network-get-interfaces'), agentInterfacesSchema);
    expect(agentAddresses(web).map((a) => a.address)).toEqual(['192.168.1.50']);
    expect(sim.requests.at(-1)).toMatchObject({ auth: 'token', status: 200 });
  });

  it('first contact and a replaced certificate send no request; a cluster-CA pin survives renewal', async () => {
    const before = sim.requests.length;
    const first = await failure(client({ pin: null }).get('/version', versionSchema));
    expect(first.code).toBe('TLS_UNPINNED');
    expect(first.fields?.fingerprint).toBe(sim.fingerprint());
    const leafPin = { sha256: sim.fingerprint() };
    const caPin = { sha256: sim.caFingerprint(), caPem: sim.caPem() };
    sim.rotateCertificate({ sameCa: true });
    expect((await failure(client({ pin: leafPin }).get('/version', versionSchema))).code).toBe('TLS_PIN_MISMATCH');
    expect((await client({ pin: caPin }).get('/version', versionSchema)).version).toBeTruthy();
    sim.rotateCertificate({ sameCa: false });
    const other = await failure(client({ pin: caPin }).get('/version', versionSchema));
    expect(other.code).toBe('TLS_PIN_MISMATCH');
    expect(other.message).toMatch(/not issued by the pinned cluster CA/);
    // only the CA-pinned read after the renewal reached the server
    expect(sim.requests.length).toBe(before + 1);
    sim.rotateCertificate({ sameCa: true });
  });

  it('typed errors: bad token, missing privilege, guest agent, offline node, unknown path, missing VM', async () => {
    const bad = await failure(client({ auth: { kind: 'token', tokenId: ADMIN_TOKEN.id, secret: 'wrong-secret-123' } }).get('/version', versionSchema));
    expect(bad.code).toBe('PVE_AUTH_FAILED');
    const limited = client({ auth: token(LIMITED_TOKEN) });
    const forbidden = await failure(limited.get(pvePath('nodes', 'pve1', 'qemu', 101, 'config'), z.unknown()));
    expect(forbidden.code).toBe('PVE_FORBIDDEN');
    expect(forbidden.fields).toEqual({ path: '/vms/101', privilege: 'VM.Audit' });
    // lists filter silently instead
    expect((await limited.get('/cluster/resources', clusterResourcesSchema, { type: 'vm' })).map((r) => r.vmid)).toEqual([100]);
    const c = client();
    expect((await failure(c.get(pvePath('nodes', 'pve1', 'qemu', 101, 'agent', 'network-get-interfaces'), agentInterfacesSchema))).code).toBe('PVE_GUEST_AGENT');
    expect((await failure(c.get(pvePath('nodes', 'pve2', 'qemu', 300, 'config'), z.unknown()))).code).toBe('PVE_UNREACHABLE');
    expect((await failure(c.get('/no/such/call', z.unknown()))).code).toBe('PVE_NOT_IMPLEMENTED');
    expect((await failure(c.get(pvePath('nodes', 'pve1', 'qemu', 999, 'config'), z.unknown()))).code).toBe('NOT_FOUND');
  });

  it('a write with a stale digest is refused and not retried', async () => {
    const c = client();
    const { digest } = await c.get('/cluster/firewall/options', optionsSchema);
    sim.changeBeforeNextWrite('options');
    const puts = () => sim.requests.filter((r) => r.method === 'PUT').length;
    const before = puts();
    const e = await failure(c.write('PUT', '/cluster/firewall/options', { policy_out: 'ACCEPT', digest }, z.unknown()));
    expect(e.code).toBe('PVE_DIGEST_MISMATCH');
    expect(puts()).toBe(before + 1);
  });

  it('ticket auth: login, CSRF token on writes, renewal before two hours, a wrong password', async () => {
    let now = Date.now();
    const c = client({ auth: { kind: 'password', username: ROOT_USER.userid, password: ROOT_USER.password }, now: () => now });
    const logins = () => sim.requests.filter((r) => r.path.endsWith('/access/ticket')).length;
    const before = logins();
    const { digest } = await c.get('/cluster/firewall/options', optionsSchema);
    await c.write('PUT', '/cluster/firewall/options', { policy_out: 'ACCEPT', digest }, z.unknown());
    expect(sim.requests.at(-1)).toMatchObject({ method: 'PUT', auth: 'ticket', status: 200 });
    expect(logins()).toBe(before + 1);
    now += 101 * 60_000;
    await c.get('/version', versionSchema);
    expect(logins()).toBe(before + 2);
    const wrong = await failure(client({ auth: { kind: 'password', username: ROOT_USER.userid, password: 'not-it' } }).get('/version', versionSchema));
    expect(wrong.code).toBe('PVE_AUTH_FAILED');
  });

  it('a server slower than the timeout: a TIMEOUT that says a write may have landed', async () => {
    const slow = await startPveSim(sampleFleet({ authFailDelayMs: 3_000 }));
    try {
      const c = new PveClient({ name: 'pve1', baseUrl: slow.url, pin: { sha256: slow.fingerprint() }, auth: { kind: 'token', tokenId: ADMIN_TOKEN.id, secret: 'wrong-secret-123' }, timeoutMs: 300 });
      clients.push(c);
      const e = await failure(c.write('PUT', '/cluster/firewall/options', { policy_out: 'ACCEPT' }, z.unknown()));
      expect(e.code).toBe('TIMEOUT');
      expect(e.message).toMatch(/may or may not have been applied/);
    } finally {
      await slow.close();
    }
  });
});
