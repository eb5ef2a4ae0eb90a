import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPveSim, type PveSim } from '../../pve-sim';
import { ADMIN_TOKEN, sampleFleet, tokenHeader } from '../../pve-sim/sample-fleet';
import { callSim } from '../../pve-sim/test-client';

describe('pve-sim authentication', () => {
  let sim: PveSim;
  beforeAll(async () => {
    sim = await startPveSim(sampleFleet({ authFailDelayMs: 200, ticketLifetimeSeconds: 1 }));
  });
  afterAll(() => sim.close());

  it('accepts an API token and wraps answers in {data}', async () => {
    const res = await callSim(sim, 'GET', '/version', { token: tokenHeader(ADMIN_TOKEN) });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ release: '8.3' });
    expect(sim.requests.at(-1)).toEqual({ method: 'GET', path: '/api2/json/version', auth: 'token', status: 200 });
  });

  it('answers a wrong token secret with an empty 401 after the delay', async () => {
    const started = Date.now();
    const res = await callSim(sim, 'GET', '/version', { token: `${ADMIN_TOKEN.id}=wrong` });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(res).toMatchObject({ status: 401, reason: 'invalid token value!', body: '' });
    expect(await callSim(sim, 'GET', '/version', { token: 'ghost@pve!x=1' })).toMatchObject({ status: 401, reason: "no such token 'x' for user 'ghost@pve'" });
  });

  it('answers a request without credentials with 401 "No ticket"', async () => {
    const res = await callSim(sim, 'GET', '/nodes');
    expect(res).toMatchObject({ status: 401, reason: 'No ticket', body: '' });
    expect(sim.requests.at(-1)?.auth).toBe('none');
  });

  it('accepts a JSON login body, as many clients send', async () => {
    const body = JSON.stringify({ username: 'root@pam', password: 'hunter22' });
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(new URL('/api2/json/access/ticket', sim.url), { method: 'POST', ca: sim.caPem(), agent: false, headers: { 'Content-Type': 'application/json' } }, (r) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString()));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ data: { username: 'root@pam' } });
  });

  it('refuses a bad password the same way', async () => {
    const res = await callSim(sim, 'POST', '/access/ticket', { params: { username: 'root@pam', password: 'nope' } });
    expect(res).toMatchObject({ status: 401, reason: 'authentication failure', body: '' });
  });

  it('issues a ticket; writes need the CSRF token; the ticket expires', async () => {
    const login = await callSim(sim, 'POST', '/access/ticket', { params: { username: 'root', realm: 'pam', password: 'hunter22' } });
    const { ticket, CSRFPreventionToken, username } = login.data as { ticket: string; CSRFPreventionToken: string; username: string };
    expect(username).toBe('root@pam');
    expect(ticket).toMatch(/^PVE:root@pam:[0-9A-F]{8}::/);

    expect((await callSim(sim, 'GET', '/cluster/firewall/options', { ticket })).status).toBe(200);
    const noCsrf = await callSim(sim, 'PUT', '/cluster/firewall/options', { ticket, params: { policy_out: 'ACCEPT' } });
    expect(noCsrf).toMatchObject({ status: 401, reason: 'Permission denied - invalid csrf token', body: '' });
    const withCsrf = await callSim(sim, 'PUT', '/cluster/firewall/options', { ticket, csrf: CSRFPreventionToken, params: { policy_out: 'ACCEPT' } });
    expect(withCsrf.status).toBe(200);

    // A valid ticket is accepted as the password: that is how clients renew.
    const renewed = await callSim(sim, 'POST', '/access/ticket', { params: { username: 'root@pam', password: ticket } });
    expect(renewed.status).toBe(200);

    await new Promise((r) => setTimeout(r, 1100));
    expect(await callSim(sim, 'GET', '/version', { ticket })).toMatchObject({ status: 401, reason: 'permission denied - invalid PVE ticket' });
  });
});

describe('pve-sim authentication as PVE 9', () => {
  it('gives every rejected token or ticket the same reason phrase', async () => {
    const sim = await startPveSim(sampleFleet({ version: 9 }));
    try {
      expect(await callSim(sim, 'GET', '/version', { token: `${ADMIN_TOKEN.id}=wrong` })).toMatchObject({ status: 401, reason: 'Authentication failed!', body: '' });
      expect(await callSim(sim, 'GET', '/version', { ticket: 'PVE:root@pam:00000000::forged' })).toMatchObject({ status: 401, reason: 'Authentication failed!' });
    } finally {
      await sim.close();
    }
  });
});
