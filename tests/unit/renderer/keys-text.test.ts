/** The Keys view's pure helpers: the audit matrix and the job summary line. */
import { describe, expect, it } from 'vitest';
import { buildAuditMatrix, optionNames } from '../../../renderer/src/features/keys/audit-matrix';
import { summaryText } from '../../../renderer/src/features/keys/job-text';
import type { AuditReply } from '../../../renderer/src/stores/jobs';

const row = (host: string, account: string, fingerprint: string, known: string | null, options = '', comment = '') => ({
  host,
  account,
  fingerprint,
  type: 'ssh-ed25519',
  comment,
  options,
  knownKeyId: known ? `id-${known}` : null,
  knownKeyName: known,
});

describe('audit matrix', () => {
  it('reads option names at commas outside quotes, escaped quotes included', () => {
    expect(optionNames('from="10.0.0.0/8,192.168.1.0/24",no-pty,command="echo \\"a,b\\""')).toEqual(['from=', 'no-pty', 'command=']);
    expect(optionNames('')).toEqual([]);
  });

  it('puts unknown keys first, then vault keys by name, with every account per host cell', () => {
    const reply = {
      results: [
        { host: 'b', status: 'ok', scope: 'all-login-shells', rows: [], problems: [], durationMs: 1 },
        { host: 'a', status: 'ok', scope: 'login', rows: [], problems: [{ account: '*', message: 'only the login account was read' }], durationMs: 1 },
        { host: 'c', status: 'failed', scope: 'all-login-shells', rows: [], problems: [], error: { code: 'SSH_UNREACHABLE', message: 'down' }, durationMs: 1 },
      ],
      rows: [
        row('a', 'root', 'SHA256:zeta', 'zeta'),
        row('b', 'root', 'SHA256:alpha', 'alpha'),
        row('b', 'admin', 'SHA256:alpha', 'alpha', 'from="10.0.0.1"'),
        row('a', 'root', 'SHA256:stranger', null, '', 'planted'),
      ],
      summary: { total: 3, ok: 2, failed: 1, byStatus: { ok: 2, failed: 1 } },
    } as unknown as AuditReply;
    const m = buildAuditMatrix(reply, ['a', 'b', 'c']);
    expect(m.columns.map((c) => [c.host, c.status, c.scope])).toEqual([
      ['a', 'ok', 'login'],
      ['b', 'ok', 'all-login-shells'],
      ['c', 'failed', 'all-login-shells'],
    ]);
    expect(m.keys.map((k) => k.knownKeyName ?? k.fingerprint)).toEqual(['SHA256:stranger', 'alpha', 'zeta']);
    expect(m.unknownCount).toBe(1);
    expect(m.keys[1]!.cells.get('b')).toEqual([
      { account: 'root', options: '', optionNames: [] },
      { account: 'admin', options: 'from="10.0.0.1"', optionNames: ['from='] },
    ]);
    expect(m.keys[0]!.comments).toEqual(['planted']);
  });
});

describe('job summary line', () => {
  it('names zero counts of the operation, extra statuses, and cancelled hosts', () => {
    expect(summaryText('deploy', { total: 3, ok: 3, failed: 0, byStatus: { added: 3 } })).toBe('3 added, 0 unchanged, 0 failed');
    expect(summaryText('audit', { total: 2, ok: 1, failed: 1, byStatus: { ok: 1, failed: 1 } })).toBe('1 read, 1 failed');
    const rows = [{ error: { code: 'ABORTED', message: 'x' } }] as never;
    expect(summaryText('rotate', { total: 2, ok: 1, failed: 1, byStatus: { rotated: 1, failed: 1 } }, rows)).toBe('1 rotated, 1 failed (1 cancelled)');
  });
});
