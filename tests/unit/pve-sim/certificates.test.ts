import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPveSim, type PveSim } from '../../pve-sim';
import { ADMIN_TOKEN, sampleFleet, tokenHeader } from '../../pve-sim/sample-fleet';
import { callSim } from '../../pve-sim/test-client';

describe('pve-sim certificates', () => {
  let sim: PveSim;
  beforeAll(async () => {
    sim = await startPveSim(sampleFleet());
  });
  afterAll(() => sim.close());

  it('serves a leaf for the node, signed by the cluster CA, fingerprinted like Proxmox shows it', async () => {
    expect(sim.fingerprint()).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const leaf = new X509Certificate(sim.certPem());
    expect(leaf.subject).toContain('CN=pve1');
    expect(leaf.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(leaf.checkIssued(new X509Certificate(sim.caPem()))).toBe(true);
    expect((await callSim(sim, 'GET', '/version', { token: tokenHeader(ADMIN_TOKEN) })).status).toBe(200);
  });

  it('lists the cluster CA and the node certificate in /nodes/{node}/certificates/info, with their PEMs; 595 for an offline node', async () => {
    const info = (await callSim(sim, 'GET', '/nodes/pve1/certificates/info', { token: tokenHeader(ADMIN_TOKEN) })).data as Record<string, unknown>[];
    expect(info.map((i) => [i.filename, i.fingerprint])).toEqual([
      ['pve-root-ca.pem', sim.caFingerprint()],
      ['pve-ssl.pem', sim.fingerprint()],
    ]);
    expect(info[0]).toMatchObject({ pem: sim.caPem(), subject: expect.stringContaining('CN=Proxmox Virtual Environment'), san: [] });
    expect(info[1]).toMatchObject({ pem: sim.certPem(), san: expect.arrayContaining(['127.0.0.1', 'pve1']) });
    expect(typeof info[1]!.notafter).toBe('number');
    expect((await callSim(sim, 'GET', '/nodes/pve2/certificates/info', { token: tokenHeader(ADMIN_TOKEN) })).status).toBe(595);
  });

  it('a user with a second factor gets a half ticket with NeedTFA that opens nothing else', async () => {
    const tfa = await startPveSim(sampleFleet({ users: [{ userid: 'alice@pve', password: 'pw', privileges: ADMIN_TOKEN.privileges, tfa: true }] }));
    try {
      const login = (await callSim(tfa, 'POST', '/access/ticket', { params: { username: 'alice@pve', password: 'pw' } })).data as Record<string, unknown>;
      expect(login).toMatchObject({ username: 'alice@pve', NeedTFA: 1, ticket: expect.stringContaining('!tfa!') });
      expect((await callSim(tfa, 'GET', '/version', { ticket: String(login.ticket) })).status).toBe(401);
    } finally {
      await tfa.close();
    }
  });

  it('rotates the leaf under the same CA: new fingerprint, same CA fingerprint', async () => {
    const [leafBefore, caBefore] = [sim.fingerprint(), sim.caFingerprint()];
    sim.rotateCertificate({ sameCa: true });
    expect(sim.fingerprint()).not.toBe(leafBefore);
    expect(sim.caFingerprint()).toBe(caBefore);
    expect((await callSim(sim, 'GET', '/version', { token: tokenHeader(ADMIN_TOKEN) })).status).toBe(200);
  });

  it('rotates to a new CA: a client pinning the old CA fails, the new one connects', async () => {
    const oldCa = sim.caPem();
    const caBefore = sim.caFingerprint();
    sim.rotateCertificate({ sameCa: false });
    expect(sim.caFingerprint()).not.toBe(caBefore);
    const pinnedToOld = { ...sim, caPem: () => oldCa };
    await expect(callSim(pinnedToOld, 'GET', '/version', { token: tokenHeader(ADMIN_TOKEN) })).rejects.toThrow(/certificate/i);
    expect((await callSim(sim, 'GET', '/version', { token: tokenHeader(ADMIN_TOKEN) })).status).toBe(200);
  });

  it('serves a custom certificate the cluster CA did not issue, as an uploaded or ACME one', async () => {
    const custom = await startPveSim(sampleFleet());
    try {
      custom.installCustomCertificate();
      const served = new X509Certificate(custom.certPem());
      expect(custom.fingerprint()).toBe(served.fingerprint256);
      expect(served.checkIssued(new X509Certificate(custom.caPem()))).toBe(false);
      await expect(callSim(custom, 'GET', '/version', { token: tokenHeader(ADMIN_TOKEN) })).rejects.toThrow(/certificate/i);
    } finally {
      await custom.close();
    }
  });
});
