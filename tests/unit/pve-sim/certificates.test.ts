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
});
