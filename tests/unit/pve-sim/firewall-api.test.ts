import { afterEach, describe, expect, it } from 'vitest';
import { readFirewallOptions, startPveSim, type PveSim } from '../../pve-sim';
import { ADMIN_TOKEN, LIMITED_TOKEN, sampleFleet, tokenHeader } from '../../pve-sim/sample-fleet';
import { callSim } from '../../pve-sim/test-client';

const admin = { token: tokenHeader(ADMIN_TOKEN) };
const MODIFIED = 'detected modified configuration - file changed by other user? Try again.';

describe('pve-sim datacenter firewall API', () => {
  let sim: PveSim | undefined;
  const started = async (o = {}) => (sim = await startPveSim(sampleFleet(o)));
  afterEach(async () => sim?.close());

  async function digestOf(s: PveSim, path: string): Promise<string> {
    const data = (await callSim(s, 'GET', path, admin)).data;
    return (Array.isArray(data) ? data[0] : data).digest as string;
  }

  it('starts with no options stored and writes them with a matching digest', async () => {
    const s = await started();
    const options = (await callSim(s, 'GET', '/cluster/firewall/options', admin)).data as Record<string, unknown>;
    expect(Object.keys(options)).toEqual(['digest']);
    const ok = await callSim(s, 'PUT', '/cluster/firewall/options', { ...admin, params: { policy_in: 'DROP', digest: options.digest as string } });
    expect(ok.status).toBe(200);
    expect((await callSim(s, 'GET', '/cluster/firewall/options', admin)).data).toMatchObject({ policy_in: 'DROP' });
    const stale = await callSim(s, 'PUT', '/cluster/firewall/options', { ...admin, params: { policy_out: 'DROP', digest: options.digest as string } });
    expect(stale).toMatchObject({ status: 500, reason: MODIFIED });
  });

  it('needs Sys.Audit to read and Sys.Modify to write', async () => {
    const s = await started();
    const limited = { token: tokenHeader(LIMITED_TOKEN) };
    expect(await callSim(s, 'GET', '/cluster/firewall/rules', limited)).toMatchObject({ status: 403, reason: 'Permission check failed (/, Sys.Audit)' });
    expect(await callSim(s, 'POST', '/cluster/firewall/rules', { ...limited, params: { type: 'in', action: 'ACCEPT' } }))
      .toMatchObject({ status: 403, reason: 'Permission check failed (/, Sys.Modify)' });
  });

  it('rejects a write when another edit lands between read and write (options, rules, ipset)', async () => {
    const s = await started();
    await callSim(s, 'POST', '/cluster/firewall/rules', { ...admin, params: { type: 'in', action: 'ACCEPT', proto: 'tcp', dport: '22' } });
    await callSim(s, 'POST', '/cluster/firewall/ipset', { ...admin, params: { name: 'management' } });
    await callSim(s, 'POST', '/cluster/firewall/ipset/management', { ...admin, params: { cidr: '10.0.0.0/24' } });

    const cases: [Parameters<PveSim['changeBeforeNextWrite']>[0], string, string, Record<string, string>][] = [
      ['options', '/cluster/firewall/options', 'PUT', { enable: '1' }],
      ['rules', '/cluster/firewall/rules', 'PUT', { comment: 'x' }],
      ['ipset:management', '/cluster/firewall/ipset/management', 'DELETE', {}],
    ];
    for (const [target, readPath, method, params] of cases) {
      const digest = await digestOf(s, readPath);
      s.changeBeforeNextWrite(target);
      const writePath = method === 'PUT' && target === 'rules' ? `${readPath}/0` : method === 'DELETE' ? `${readPath}/10.0.0.0%2F24` : readPath;
      expect(await callSim(s, method, writePath, { ...admin, params: { ...params, digest } })).toMatchObject({ status: 500, reason: MODIFIED });
    }
    // Digests are per section, as in pve-firewall: the ipset edit left the rules digest alone.
    const rulesDigest = await digestOf(s, '/cluster/firewall/rules');
    s.changeBeforeNextWrite('ipset:management');
    expect((await callSim(s, 'PUT', '/cluster/firewall/rules/0', { ...admin, params: { comment: 'ssh', digest: rulesDigest } })).status).toBe(200);
  });

  it('inserts new rules at position 0, disabled unless enable=1, and moves them with moveto', async () => {
    const s = await started();
    const add = (params: Record<string, string>) => callSim(s, 'POST', '/cluster/firewall/rules', { ...admin, params: { type: 'in', action: 'ACCEPT', proto: 'tcp', ...params } });
    await add({ dport: '22', comment: 'ssh' });
    await add({ dport: '8006', comment: 'api', enable: '1', pos: '5' });
    let rules = (await callSim(s, 'GET', '/cluster/firewall/rules', admin)).data as Record<string, unknown>[];
    expect(rules.map((r) => [r.pos, r.comment, r.enable])).toEqual([[0, 'api', 1], [1, 'ssh', 0]]);

    await callSim(s, 'PUT', '/cluster/firewall/rules/0', { ...admin, params: { moveto: '2', comment: 'ignored' } });
    rules = (await callSim(s, 'GET', '/cluster/firewall/rules', admin)).data as Record<string, unknown>[];
    expect(rules.map((r) => r.comment)).toEqual(['ssh', 'api']);

    await callSim(s, 'PUT', '/cluster/firewall/rules/1', { ...admin, params: { delete: 'comment', dport: '8006,22' } });
    expect((await callSim(s, 'GET', '/cluster/firewall/rules/1', admin)).data).toMatchObject({ pos: 1, dport: '8006,22' });
    expect((await callSim(s, 'GET', '/cluster/firewall/rules/1', admin)).data).not.toHaveProperty('comment');
    expect(await callSim(s, 'DELETE', '/cluster/firewall/rules/7', admin)).toMatchObject({ status: 500, reason: 'no rule at position 7' });
    expect(await add({ type: 'sideways' })).toMatchObject({ status: 400, reason: 'Parameter verification failed.' });
  });

  it('manages ipsets: entries go to the front, duplicates and non-empty deletes are refused', async () => {
    const s = await started();
    await callSim(s, 'POST', '/cluster/firewall/ipset', { ...admin, params: { name: 'management', comment: 'admins' } });
    await callSim(s, 'POST', '/cluster/firewall/ipset/management', { ...admin, params: { cidr: '10.0.0.1' } });
    await callSim(s, 'POST', '/cluster/firewall/ipset/management', { ...admin, params: { cidr: '10.0.0.2', comment: 'laptop' } });
    expect((await callSim(s, 'GET', '/cluster/firewall/ipset', admin)).data).toEqual([expect.objectContaining({ name: 'management', comment: 'admins' })]);
    const entries = (await callSim(s, 'GET', '/cluster/firewall/ipset/management', admin)).data as Record<string, unknown>[];
    expect(entries.map((e) => e.cidr)).toEqual(['10.0.0.2', '10.0.0.1']);
    expect((await callSim(s, 'POST', '/cluster/firewall/ipset/management', { ...admin, params: { cidr: '10.0.0.1' } })).json)
      .toEqual({ data: null, errors: { cidr: "address '10.0.0.1' already exists" } });
    expect(await callSim(s, 'DELETE', '/cluster/firewall/ipset/management', admin)).toMatchObject({ status: 500, reason: "IPSet 'management' is not empty" });
    expect((await callSim(s, 'DELETE', '/cluster/firewall/ipset/management/10.0.0.1', admin)).status).toBe(200);
    expect(await callSim(s, 'GET', '/cluster/firewall/ipset/nope', admin)).toMatchObject({ status: 500, reason: "no such IPSet 'nope'" });
  });

  it('reverts an unconfirmed enable (value > 1) after the safety-net window; enable=1 confirms', async () => {
    const s = await started({ safetyNetSeconds: 1, localNetwork: '127.0.0.0/8' });
    await callSim(s, 'PUT', '/cluster/firewall/options', { ...admin, params: { enable: '2' } });
    const armed = (await callSim(s, 'GET', '/cluster/firewall/options', admin)).data as { enable: number };
    expect(armed.enable).toBeGreaterThan(1_000_000_000); // the epoch time it was switched on
    await new Promise((r) => setTimeout(r, 2100));
    expect((await callSim(s, 'GET', '/cluster/firewall/options', admin)).data).toMatchObject({ enable: 0 });

    await callSim(s, 'PUT', '/cluster/firewall/options', { ...admin, params: { enable: '2' } });
    await callSim(s, 'PUT', '/cluster/firewall/options', { ...admin, params: { enable: '1' } });
    const muchLater = Math.floor(Date.now() / 1000) + 3600;
    expect(readFirewallOptions(s.state, muchLater).enable).toBe(1);
  });
});
