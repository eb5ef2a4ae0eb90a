/**
 * The dead-man switch's delay as a run option: 90 s unless asked, only 10-3600 whole seconds,
 * carried into the plan's apply spec only when the plan can cut access, and a bad value refused
 * before the runner touches any host.
 */
import { describe, expect, it } from 'vitest';
import { applyScript } from '../../../main/services/hardening/apply-script';
import { sshKeyAccess } from '../../../main/services/hardening/controls/ssh-key-access';
import { sshdAuth } from '../../../main/services/hardening/controls/sshd-auth';
import { unattendedUpgrades, unattendedUpgradesParams } from '../../../main/services/hardening/controls/unattended-upgrades';
import { planHost } from '../../../main/services/hardening/host-plan';
import { DEFAULT_DEADMAN_SECONDS, deadmanSecondsOf } from '../../../main/services/hardening/host-session';
import { type RunAccess, runHardening } from '../../../main/services/hardening/runner';
import { BulwarkError } from '../../../shared/errors';
import { expectCode } from '../../helpers/expect-error';
import { debianFacts } from './facts-fixture';

const admin = { user: 'admin', port: 22, method: 'publickey' as const, pinnedKeyTypes: ['ssh-ed25519'] };
const auth = [
  { control: sshKeyAccess, params: {} },
  { control: sshdAuth, params: { permitRootLogin: 'no' } },
];

describe('deadmanSecondsOf', () => {
  it('is 90 s when not given and takes whole seconds from 10 to 3600', () => {
    expect(DEFAULT_DEADMAN_SECONDS).toBe(90);
    expect(deadmanSecondsOf(undefined)).toBe(90);
    expect(deadmanSecondsOf(10)).toBe(10);
    expect(deadmanSecondsOf(3600)).toBe(3600);
  });

  it('refuses what would restore before a fresh login can answer, hours, fractions and non-numbers', () => {
    for (const bad of [0, 9, 3601, 15.5, -20, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectCode(() => deadmanSecondsOf(bad), 'VALIDATION', /whole number of seconds from 10 to 3600/);
    }
  });
});

describe('the delay in a plan', () => {
  it('goes into the apply spec of a plan that can cut access, and into the systemd-run line', () => {
    const p = planHost({ facts: debianFacts(), login: admin }, auth, 15);
    expect(p.cutsAccess).toBe(true);
    expect(p.apply?.deadmanSeconds).toBe(15);
    expect(applyScript({ ...p.apply!, runId: 'run-000001' }).script).toContain('systemd-run --quiet --collect --on-active=15s ');
    expect(planHost({ facts: debianFacts(), login: admin }, auth).apply?.deadmanSeconds).toBe(90);
  });

  it('arms nothing for a plan that cannot cut access, whatever the delay', () => {
    const p = planHost({ facts: debianFacts(), login: admin }, [{ control: unattendedUpgrades, params: unattendedUpgradesParams.parse({}) }], 15);
    expect(p.cutsAccess).toBe(false);
    expect(p.apply?.deadmanSeconds).toBe(0);
  });
});

describe('runHardening with a bad delay', () => {
  it('throws VALIDATION before it opens any connection or reports any host', async () => {
    const touched: string[] = [];
    const access: RunAccess = {
      engine: () => {
        touched.push('engine');
        throw new Error('no engine in this test');
      },
      freshEngine: () => {
        touched.push('fresh');
        throw new Error('no engine in this test');
      },
      sudoPasswordFor: () => undefined,
      locks: { run: () => Promise.reject(new Error('no locks in this test')) } as unknown as RunAccess['locks'],
    };
    const progress: string[] = [];
    const err = await runHardening(access, [{ name: 'web-1', address: '192.0.2.1', port: 22, user: 'admin', jumpHost: '' }], {
      mode: 'apply',
      selections: auth,
      deadmanSeconds: 5,
      onProgress: (e) => progress.push(e.phase),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BulwarkError);
    expect((err as BulwarkError).code).toBe('VALIDATION');
    expect(touched).toEqual([]);
    expect(progress).toEqual([]);
  });
});
