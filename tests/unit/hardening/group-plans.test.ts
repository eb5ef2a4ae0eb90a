/**
 * Grouping real plans (planHost over fixture facts) across hosts: identical diffs share a
 * group, one differing byte splits it, refusals are grouped by control+reason+fix, and hosts
 * without a plan are listed with their reason.
 */
import { describe, expect, it } from 'vitest';
import { sshKeyAccess } from '../../../main/services/hardening/controls/ssh-key-access';
import { sshdAuth } from '../../../main/services/hardening/controls/sshd-auth';
import { changeKey, groupPlans } from '../../../main/services/hardening/group-plans';
import { toRunRecord } from '../../../main/services/hardening/history';
import { type HostPlan, planHost } from '../../../main/services/hardening/host-plan';
import type { RunHostResult, RunResult } from '../../../main/services/hardening/runner';
import { DEBIAN_MAIN_CONFIG, compliantSshdT, debianFacts } from './facts-fixture';

const byKey = { user: 'admin', port: 22, method: 'publickey' as const, pinnedKeyTypes: ['ssh-ed25519'] };
const byPassword = { ...byKey, method: 'password' as const };
const selections = [
  { control: sshKeyAccess, params: {} },
  { control: sshdAuth, params: { permitRootLogin: 'no' } },
];

const stock = () => planHost({ facts: debianFacts(), login: byKey }, selections);
/** sshd_config with PasswordAuthentication above the Include: its plan also comments that line out. */
const early = () =>
  planHost(
    { facts: debianFacts({ sshd: { ...debianFacts().sshd, mainConfig: `PasswordAuthentication yes\n${DEBIAN_MAIN_CONFIG}` } }), login: byKey },
    selections,
  );
const compliant = () => planHost({ facts: debianFacts({}, compliantSshdT), login: byKey }, selections);
const refused = () => planHost({ facts: debianFacts(), login: byPassword }, selections);

function run(entries: Array<[string, RunHostResult['status'], HostPlan | undefined, string?]>): RunResult {
  const results = entries.map(([host, status, plan, reason]): RunHostResult => ({ host, status, durationMs: 5, ...(plan ? { plan } : {}), ...(reason ? { reason } : {}) }));
  return { runId: 'r1', mode: 'plan', results, summary: { total: results.length, byStatus: {}, failed: 0 } };
}

function grouped(r: RunResult) {
  const record = toRunRecord(r, { mode: 'plan', profileId: 'p', who: 'me', via: 'cli', startedAt: 0, finishedAt: 1, options: {}, cancelled: false, hostIds: new Map() });
  return { record, g: groupPlans(record.results) };
}

describe('groupPlans', () => {
  it('puts hosts with byte-identical diffs and commands in one group and splits on any difference', () => {
    const { g, record } = grouped(
      run([
        ['a', 'planned', stock()],
        ['b', 'planned', stock()],
        ['c', 'planned', early()],
        ['d', 'unchanged', compliant()],
        ['e', 'planned', stock()],
      ]),
    );
    expect(g.changes.map((x) => x.hosts)).toEqual([['a', 'b', 'e'], ['c']]);
    expect(g.changes[0]!.files.map((f) => f.path)).toEqual(['/etc/ssh/sshd_config.d/00-bulwark.conf']);
    expect(g.changes[0]!.commands).toEqual(['systemctl reload ssh']);
    expect(g.changes[0]!.cutsAccess).toBe(true);
    expect(g.changes[1]!.files.map((f) => f.path).sort()).toEqual(['/etc/ssh/sshd_config', '/etc/ssh/sshd_config.d/00-bulwark.conf']);
    expect(g.changes[1]!.files.find((f) => f.path === '/etc/ssh/sshd_config')!.diff).toMatch(/^\+# PasswordAuthentication yes/m);
    expect(g.unchanged).toEqual(['d']);
    expect(g.changes[0]!.key).toBe(changeKey(record.results[0]!));
    expect(g.changes[0]!.key).not.toBe(g.changes[1]!.key);
  });

  it('groups refusals by control, reason and fix; a refused host is never called unchanged', () => {
    const { g } = grouped(
      run([
        ['a', 'refused', refused()],
        ['b', 'refused', refused()],
        ['c', 'unchanged', compliant()],
      ]),
    );
    expect(g.refused).toHaveLength(1);
    expect(g.refused[0]).toMatchObject({ control: 'sshd-auth', hosts: ['a', 'b'] });
    expect(g.refused[0]!.reason).not.toBe('');
    expect(g.refused[0]!.fix).not.toBe('');
    expect(g.unchanged).toEqual(['c']);
    expect(g.changes).toEqual([]);
  });

  it('lists failed and skipped hosts with their reasons; a failed apply still shows its change', () => {
    const { g } = grouped(
      run([
        ['a', 'failed', undefined, 'SSH: connection refused'],
        ['b', 'skipped', undefined, 'cancelled'],
        ['c', 'failed', stock(), 'sshd -t failed'],
      ]),
    );
    expect(g.failed).toEqual([
      { host: 'a', reason: 'SSH: connection refused' },
      { host: 'c', reason: 'sshd -t failed' },
    ]);
    expect(g.skipped).toEqual([{ host: 'b', reason: 'cancelled' }]);
    expect(g.changes.map((x) => x.hosts)).toEqual([['c']]);
    expect(g.unchanged).toEqual([]);
  });

  it('the key depends on the diff text, the commands and their order', () => {
    const base = { files: [{ path: '/x', diff: '+a\n' }], commands: ['one', 'two'], cutsAccess: false };
    expect(changeKey(base)).toBe(changeKey({ ...base, files: [{ path: '/x', diff: '+a\n' }] }));
    expect(changeKey(base)).not.toBe(changeKey({ ...base, files: [{ path: '/x', diff: '+b\n' }] }));
    expect(changeKey(base)).not.toBe(changeKey({ ...base, commands: ['two', 'one'] }));
    expect(changeKey(base)).not.toBe(changeKey({ ...base, cutsAccess: true }));
  });
});
