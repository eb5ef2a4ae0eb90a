/** The Runs view's pure helpers: diff lines, the compliance matrix, drift, summaries and options. */
import { describe, expect, it } from 'vitest';
import type { ControlResult, HostRunResult, RunReply } from '../../../shared/domain/hardening';
import { buildComplianceMatrix, finalControls, scoreOf } from '../../../renderer/src/features/runs/compliance';
import { diffAction, diffLines, diffStat } from '../../../renderer/src/features/runs/diff-lines';
import { buildDrift, driftRunIds } from '../../../renderer/src/features/runs/drift';
import { parseOptionalCount } from '../../../renderer/src/features/runs/run-options';
import { formatDuration, runSummaryText, scorePercent, scoreText } from '../../../renderer/src/features/runs/run-text';

const control = (id: string, status: ControlResult['status']): ControlResult => ({ id, title: `Title of ${id}`, status, evidence: [`${id} evidence`], notes: [] });

function result(host: string, status: HostRunResult['status'], controls: ControlResult[], after?: ControlResult[]): HostRunResult {
  return {
    host,
    hostId: `id-${host}`,
    status,
    controls,
    ...(after ? { after } : {}),
    files: [],
    commands: [],
    cutsAccess: false,
    score: scoreOf(controls),
    durationMs: 1200,
  };
}

function reply(id: string, mode: RunReply['mode'], startedAt: number, results: HostRunResult[], profileId = 'guide-baseline'): RunReply {
  return {
    id,
    mode,
    profileId,
    who: 'alice',
    via: 'app',
    startedAt,
    finishedAt: startedAt + 1000,
    options: {},
    cancelled: false,
    results,
    summary: { total: results.length, byStatus: {}, failed: 0 },
    grouped: { changes: [], unchanged: [], refused: [], failed: [], skipped: [] },
  };
}

describe('diff lines', () => {
  const diff = [
    '--- a/etc/ssh/sshd_config.d/00-bulwark.conf',
    '+++ b/etc/ssh/sshd_config.d/00-bulwark.conf',
    '@@ -1,2 +1,3 @@',
    ' # Written by Bulwark',
    '-PasswordAuthentication yes',
    '--- a line that starts with two dashes, removed',
    '+PasswordAuthentication no',
    '+++ a line that starts with two pluses, added',
    '\\ No newline at end of file',
    '',
  ].join('\n');

  it('types headers only before the first hunk, and +/- lines inside it', () => {
    expect(diffLines(diff).map((l) => l.kind)).toEqual(['old-file', 'new-file', 'hunk', 'context', 'del', 'del', 'add', 'add', 'note']);
    expect(diffStat(diffLines(diff))).toEqual({ added: 2, removed: 2 });
  });

  it('names a created, deleted or changed file from the /dev/null side', () => {
    expect(diffAction(diffLines(diff))).toBe('changed');
    expect(diffAction(diffLines('--- /dev/null\n+++ b/etc/fail2ban/jail.d/bulwark.conf\n@@ -0,0 +1 @@\n+[sshd]\n'))).toBe('created');
    expect(diffAction(diffLines('--- a/x\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n'))).toBe('deleted');
    expect(diffLines('')).toEqual([]);
  });
});

describe('compliance matrix', () => {
  it('scores compliant of applicable, leaving not-applicable out and counting unknown as applicable', () => {
    expect(scoreOf([control('a', 'compliant'), control('b', 'drift'), control('c', 'not-applicable'), control('d', 'unknown')])).toEqual({ compliant: 1, applicable: 3 });
    expect(scorePercent({ compliant: 2, applicable: 3 })).toBe(66);
    expect(scorePercent({ compliant: 0, applicable: 0 })).toBe(100);
    expect(scoreText({ compliant: 4, applicable: 4 })).toBe('4/4 (100%)');
  });

  it('uses the checks after an apply where a host has them, before otherwise', () => {
    const applied = result('web1', 'applied', [control('ufw', 'drift')], [control('ufw', 'compliant')]);
    const failed = result('web2', 'rolled-back', [control('ufw', 'drift')]);
    const unreachable = result('web3', 'failed', []);
    expect(finalControls(applied).source).toBe('after');
    expect(finalControls(failed).source).toBe('before');
    expect(finalControls(unreachable).source).toBe('none');

    const m = buildComplianceMatrix([applied, failed, unreachable]);
    // lowest first, unread hosts as the worst
    expect(m.hosts.map((h) => [h.host, h.percent])).toEqual([
      ['web3', null],
      ['web2', 0],
      ['web1', 100],
    ]);
    expect(m.hosts.find((h) => h.host === 'web1')!.cells.get('ufw')!.status).toBe('compliant');
    expect(m.compliantHosts).toBe(1);
    expect(m.readHosts).toBe(2);
  });

  it('keeps every control a host reported, in first-seen order, and sorts by score or name', () => {
    const a = result('host10', 'drift', [control('sshd-auth', 'drift'), control('ufw', 'compliant')]);
    const b = result('host9', 'compliant', [control('sshd-auth', 'compliant'), control('containers', 'not-applicable')]);
    const m = buildComplianceMatrix([a, b], 'score-desc');
    expect(m.controls.map((c) => c.id)).toEqual(['sshd-auth', 'ufw', 'containers']);
    expect(m.hosts.map((h) => h.host)).toEqual(['host9', 'host10']);
    expect(m.hosts[0]!.cells.has('ufw')).toBe(false);
    // numeric collation: host9 before host10
    expect(buildComplianceMatrix([a, b], 'name').hosts.map((h) => h.host)).toEqual(['host9', 'host10']);
  });
});

describe('drift', () => {
  const drifted = result('web1', 'drift', [control('sshd-auth', 'drift'), control('ufw', 'drift')]);
  const audit1 = reply('r1', 'audit', 1000, [drifted, result('web2', 'compliant', [control('sshd-auth', 'compliant')])]);
  const plan = reply('r2', 'plan', 2000, [result('web1', 'planned', [control('sshd-auth', 'drift')])]);
  const apply = reply('r3', 'apply', 3000, [result('web1', 'applied', drifted.controls, [control('sshd-auth', 'compliant'), control('ufw', 'compliant')])]);
  const other = reply('r4', 'audit', 4000, [result('web1', 'drift', [control('x', 'drift')])], 'strict-ssh');

  it('follows each host across audit and apply runs of one profile, oldest first, plans left out', () => {
    const d = buildDrift([apply, other, plan, audit1], 'guide-baseline');
    expect(d.runs.map((r) => r.id)).toEqual(['r1', 'r3']);
    expect(d.hosts).toEqual([
      { host: 'web1', points: [0, 100], change: 100 },
      { host: 'web2', points: [100, null], change: null },
    ]);
  });

  it('picks the newest audit/apply runs of the profile from the history list', () => {
    const list = [audit1, plan, apply, other].map((r) => ({ id: r.id, mode: r.mode, profileId: r.profileId, startedAt: r.startedAt }));
    expect(driftRunIds(list, 'guide-baseline')).toEqual(['r3', 'r1']);
    expect(driftRunIds(list, 'guide-baseline', 1)).toEqual(['r3']);
    expect(driftRunIds(list, 'proxmox-node')).toEqual([]);
  });
});

describe('run words', () => {
  it("names every status of the mode, zero counts too, and others only when they happened", () => {
    expect(runSummaryText('apply', { total: 3, byStatus: { applied: 2, unchanged: 1 }, failed: 0 })).toBe('2 applied, 1 unchanged, 0 refused, 0 rolled back, 0 failed');
    expect(runSummaryText('plan', { total: 3, byStatus: { planned: 1, skipped: 2, compliant: 0 }, failed: 0 }, true)).toBe('1 to change, 0 unchanged, 0 refused, 0 failed (2 skipped); cancelled');
    expect(runSummaryText('audit', { total: 2, byStatus: { drift: 2 }, failed: 0 })).toBe('0 compliant, 2 drift, 0 unknown, 0 failed');
  });

  it('formats durations for people', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_340)).toBe('12.3 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });
});

describe('run options', () => {
  it('accepts empty or 1..10000, and says why anything else is refused', () => {
    expect(parseOptionalCount('', 'Canary')).toEqual({ ok: true, value: undefined });
    expect(parseOptionalCount(' 3 ', 'Canary')).toEqual({ ok: true, value: 3 });
    expect(parseOptionalCount('0', 'Canary')).toEqual({ ok: false, error: 'Canary must be between 1 and 10000' });
    expect(parseOptionalCount('10001', 'Stop after')).toEqual({ ok: false, error: 'Stop after must be between 1 and 10000' });
    for (const bad of ['1.5', '-2', '3; rm -rf /', 'abc']) expect(parseOptionalCount(bad, 'Canary')).toMatchObject({ ok: false, error: 'Canary must be a whole number (or empty for none)' });
  });
});
