/**
 * Strict SSH on a real host, judged from outside: after the sshd controls, ssh-audit (Debian's
 * package, run from this machine against the fleet host) reports no failure, and Bulwark still
 * gets in (the fresh-connection check inside the apply proves that).
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyOnHost } from '../../../main/services/hardening/apply-host';
import { sshKeyAccess } from '../../../main/services/hardening/controls/ssh-key-access';
import { sshdAuth, sshdAuthParams } from '../../../main/services/hardening/controls/sshd-auth';
import { sshdStrict, sshdStrictParams } from '../../../main/services/hardening/controls/sshd-strict';
import { type Bed, startBed } from './bed';

const setup = inject('bulwarkFleet');

describe.skipIf(!setup)('strict SSH on a real host', () => {
  let bed: Bed;

  beforeAll(async () => {
    bed = await startBed({ count: 1, variant: 'journald' });
  }, 300_000);
  afterAll(() => bed?.close());

  const audit = (address: string) => {
    const r = spawnSync('ssh-audit', ['-n', '-l', 'fail', address], { encoding: 'utf8', timeout: 60_000 });
    if (r.error) throw new Error(`ssh-audit is needed (bash tests/install-prereqs.sh installs it): ${r.error.message}`);
    return r.stdout;
  };

  it('leaves ssh-audit with no failure, where the stock host has several, and stays reachable', async () => {
    const h = bed.fleet.hosts[0]!;
    const before = audit(h.address);
    expect(before).toMatch(/\[fail\]/);

    const access = bed.access(h);
    const r = await applyOnHost(
      access,
      [
        { control: sshKeyAccess, params: {} },
        { control: sshdAuth, params: sshdAuthParams.parse({}) },
        { control: sshdStrict, params: sshdStrictParams.parse({}) },
      ],
      'it-strict-0001',
    );
    console.log(`apply strict: ${JSON.stringify(r.timings)}`);
    expect(r.reason).toBeUndefined();
    expect(r.status).toBe('applied');
    expect(r.after?.every((c) => c.check.status === 'compliant')).toBe(true);

    const after = audit(h.address);
    console.log(after.split('\n').filter((l) => /\[(fail|warn)\]/.test(l)).join('\n') || 'ssh-audit: no fail lines');
    expect(after.split('\n').filter((l) => l.includes('[fail]'))).toEqual([]);
  }, 180_000);
});
