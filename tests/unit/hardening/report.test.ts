/**
 * Run reports: the HTML document escapes everything that came from hosts (hostile names,
 * evidence and diffs), holds only the tags and attributes Bulwark writes, and its compliance
 * matrix says for each host and control what the record says; the JSON report parses back
 * through runReplySchema to the same run; file names are safe; runs:report serves both from
 * a real vault's history.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type HostRunResult, type RunRecord, runReplySchema, textFileSchema } from '../../../shared/domain/hardening';
import { RunHistory, scoreOf } from '../../../main/services/hardening/history';
import { replyOf } from '../../../main/services/hardening/group-plans';
import { JSON_REPORT_FORMAT, reportFileName, runReport } from '../../../main/services/hardening/report';
import { controlColumns, esc, htmlReport, matrixCell } from '../../../main/services/hardening/report-html';
import { createReportHandlers } from '../../../main/ipc/report-handlers';
import { expectCode } from '../../helpers/expect-error';
import { type OpenVault, openVault } from '../inventory/vault-fixture';

const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(2)>',
  "' onmouseover='alert(3)",
  'a & b &amp; c &lt;',
  '</pre></td></table><script src="https://evil.example/x.js"></script>',
  '<!-- --><style>body{display:none}</style>',
  'bell\u0007esc\u001b[31mred',
];

const ctl = (id: string, status: HostRunResult['controls'][number]['status'], extra: Partial<HostRunResult['controls'][number]> = {}) => ({
  id,
  title: `title of ${id}`,
  status,
  evidence: [`${id}: ${status}`],
  notes: [],
  ...extra,
});

function host(name: string, over: Partial<HostRunResult> = {}): HostRunResult {
  const controls = over.controls ?? [];
  return {
    host: name,
    hostId: `id-${name}`,
    status: 'compliant',
    controls,
    files: [],
    commands: [],
    cutsAccess: false,
    score: scoreOf(over.after ?? controls),
    durationMs: 1234,
    ...over,
  };
}

function record(results: HostRunResult[], over: Partial<RunRecord> = {}): RunRecord {
  const byStatus: Record<string, number> = {};
  for (const r of results) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  return {
    id: '20261126-025400-abcdef',
    mode: 'audit',
    profileId: 'guide-baseline',
    who: 'alice',
    via: 'cli',
    startedAt: Date.UTC(2026, 10, 26, 2, 54, 7),
    finishedAt: Date.UTC(2026, 10, 26, 2, 54, 19, 500),
    options: {},
    cancelled: false,
    results,
    summary: { total: results.length, byStatus, failed: results.filter((r) => r.status === 'failed' || r.status === 'rolled-back').length },
    ...over,
  };
}

/** A run with a hostile string in every text field a host or a user can influence. */
function hostileRun(): RunRecord {
  const results = HOSTILE.map((s, i) =>
    host(`${s}-${i}`, {
      status: i % 2 ? 'rolled-back' : 'applied',
      reason: `reason ${s}`,
      controls: [
        ctl(`ctl-${s}`, 'drift', { title: `title ${s}`, evidence: [`evidence ${s}`], notes: [`note ${s}`], refused: { reason: `refusal ${s}`, fix: `fix ${s}` } }),
        ctl('sshd-auth', 'drift'),
      ],
      after: [ctl('sshd-auth', 'compliant', { evidence: [`after ${s}`] })],
      files: [{ path: `/etc/${s}`, diff: `--- a/etc/x\n+++ b/etc/x\n@@ -1 +1 @@\n-old ${s}\n+new ${s}\n` }],
      commands: [`systemctl reload ${s}`],
      timings: { [`step ${s}`]: 12 },
      newPort: 2222,
      cutsAccess: true,
    }),
  );
  return record(results, { mode: 'apply', who: `who ${HOSTILE[0]}`, profileId: `p ${HOSTILE[1]}`, id: `id ${HOSTILE[2]}` });
}

/** Every tag and attribute in the document (escaped text holds no raw < or >, so every <...> is markup). */
function markup(html: string): { tags: Set<string>; attrs: Set<string> } {
  const body = html.replace(/<style>[\s\S]*?<\/style>/, '<style></style>');
  const tags = new Set<string>();
  const attrs = new Set<string>();
  for (const m of body.matchAll(/<\/?([A-Za-z!][A-Za-z0-9]*)([^<>]*)>/g)) {
    tags.add(m[1]!.toLowerCase());
    for (const a of m[2]!.matchAll(/([A-Za-z-]+)=("[^"]*"|'[^']*'|[^\s>]+)/g)) attrs.add(a[1]!.toLowerCase());
  }
  return { tags, attrs };
}

/** The text a reader sees: tags dropped, entities decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<[^<>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The matrix as host -> column -> cell text, read back from the HTML. */
function matrixOf(html: string): Record<string, Record<string, string>> {
  const table = /<table class="matrix">([\s\S]*?)<\/table>/.exec(html)![1]!;
  const rows = table.trim().split('\n');
  const cols = [...rows[0]!.matchAll(/<th[^>]*>(.*?)<\/th>/g)].map((m) => visibleText(m[1]!.split('<br>')[0]!));
  const out: Record<string, Record<string, string>> = {};
  for (const row of rows.slice(1)) {
    const cells = [...row.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((m) => visibleText(m[1]!));
    out[cells[0]!] = Object.fromEntries(cols.map((c, i) => [c, cells[i]!]));
  }
  return out;
}

describe('HTML report', () => {
  it('escapes hostile host names, evidence, diffs, reasons and commands: no markup but its own', () => {
    const run = replyOf(hostileRun());
    const html = htmlReport(run);
    expect(html).not.toMatch(/<script|<img|<style>body|<!--/i);
    const { tags, attrs } = markup(html);
    const ours = ['!doctype', 'html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'h2', 'h3', 'h4', 'dl', 'dt', 'dd', 'span', 'br', 'table', 'tr', 'th', 'td', 'p', 'ul', 'li', 'pre', 'code', 'section', 'strong'];
    expect([...tags].filter((t) => !ours.includes(t))).toEqual([]);
    expect([...attrs].filter((a) => !['lang', 'charset', 'http-equiv', 'content', 'name', 'class'].includes(a))).toEqual([]);
    // nothing dropped: each hostile string is there, as text
    const text = visibleText(html);
    for (const s of HOSTILE.map((x) => x.replaceAll('\u0007', '\ufffd').replaceAll('\u001b', '\ufffd'))) {
      for (const where of [`reason ${s}`, `evidence ${s}`, `note ${s}`, `refusal ${s}`, `fix ${s}`, `-old ${s}`, `+new ${s}`, `systemctl reload ${s}`, `/etc/${s}`, `after ${s}`]) {
        expect(text, where).toContain(where);
      }
    }
    expect(html).toContain(esc('who <script>alert(1)</script>'));
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('&#39; onmouseover=&#39;alert(3)');
    expect(html).toContain('a &amp; b &amp;amp; c &amp;lt;');
    expect(html.includes('\u0007') || html.includes('\u001b')).toBe(false);
  });

  it('is self-contained and printable: inline CSS with @media print, a CSP forbidding scripts and loads, no external URL', () => {
    const html = htmlReport(replyOf(hostileRun()));
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"`);
    expect(html).toMatch(/<style>[\s\S]*@media print \{[\s\S]*<\/style>/);
    const tagsOnly = [...html.matchAll(/<[^<>]*>/g)].map((m) => m[0]).join('');
    expect(tagsOnly).not.toMatch(/https?:|\b(src|href|action)=|url\(|@import/i);
    expect(/<style>([\s\S]*?)<\/style>/.exec(html)![1]).not.toMatch(/url\(|@import|https?:/i);
  });

  it('has the summary header: profile, mode, who, via, when, duration and host counts by status', () => {
    const run = replyOf(
      record([host('a', { status: 'drift', controls: [ctl('ufw', 'drift')] }), host('b', { status: 'drift', controls: [ctl('ufw', 'drift')] }), host('c', { status: 'failed', reason: 'unreachable' })], {
        options: { canary: 1, stopAfterFailures: 2 },
      }),
    );
    const text = visibleText(htmlReport(run));
    expect(text).toContain('Bulwark audit report: guide-baseline');
    expect(text).toMatch(/Profileguide-baseline/);
    expect(text).toMatch(/Modeaudit/);
    expect(text).toContain('Started byalice (command line)');
    expect(text).toContain('Started2026-11-26 02:54 UTC');
    expect(text).toContain('Duration12.5 s');
    expect(text).toContain('Canary1 host first');
    expect(text).toContain('Stop after2 failed hosts');
    expect(text).toContain('3 in total, 1 failed or rolled back');
    expect(text).toContain('2 drift1 failed');
  });

  it('the matrix has one row per host, one column per control, the cell each record says and the score', () => {
    const run = replyOf(
      record([
        host('web-1', { status: 'drift', controls: [ctl('sshd-auth', 'drift'), ctl('ufw', 'compliant'), ctl('containers', 'not-applicable')] }),
        // another order and a control the first host lacks
        host('web-2', { status: 'unknown', controls: [ctl('ufw', 'unknown'), ctl('fail2ban', 'compliant'), ctl('sshd-auth', 'compliant')] }),
        host('web-3', { status: 'failed', reason: 'ssh: connection refused' }),
        host('web-4', { status: 'skipped', reason: 'cancelled' }),
      ]),
    );
    expect(controlColumns(run).map((c) => c.id)).toEqual(['sshd-auth', 'ufw', 'containers', 'fail2ban']);
    expect(matrixOf(htmlReport(run))).toEqual({
      'web-1': { Host: 'web-1', 'sshd-auth': 'DRIFT', ufw: 'ok', containers: 'n/a', fail2ban: '-', Score: '1/2 (50%)' },
      'web-2': { Host: 'web-2', 'sshd-auth': 'ok', ufw: '?', containers: '-', fail2ban: 'ok', Score: '2/3 (67%)' },
      'web-3': { Host: 'web-3', 'sshd-auth': 'failed', ufw: 'failed', containers: 'failed', fail2ban: 'failed', Score: '-' },
      'web-4': { Host: 'web-4', 'sshd-auth': 'skipped', ufw: 'skipped', containers: 'skipped', fail2ban: 'skipped', Score: '-' },
    });
  });

  it('after an apply the matrix shows the state the score counts, marking what changed; a rolled-back host shows its checks before', () => {
    const before = [ctl('sshd-auth', 'drift'), ctl('ufw', 'drift'), ctl('exposure', 'drift')];
    const run = replyOf(
      record(
        [
          host('db-1', { status: 'applied', controls: before, after: [ctl('sshd-auth', 'compliant'), ctl('ufw', 'compliant'), ctl('exposure', 'drift')] }),
          host('db-2', { status: 'rolled-back', reason: 'a fresh connection failed after the change; everything was restored', controls: before }),
        ],
        { mode: 'apply' },
      ),
    );
    expect(matrixCell(run.results[0]!, 'ufw')).toEqual({ text: 'DRIFT \u2192 ok', status: 'compliant' });
    expect(matrixOf(htmlReport(run))).toEqual({
      'db-1': { Host: 'db-1', 'sshd-auth': 'DRIFT \u2192 ok', ufw: 'DRIFT \u2192 ok', exposure: 'DRIFT', Score: '2/3 (67%)' },
      'db-2': { Host: 'db-2', 'sshd-auth': 'DRIFT', ufw: 'DRIFT', exposure: 'DRIFT', Score: '0/3 (0%)' },
    });
    const text = visibleText(htmlReport(run));
    expect(text).toContain('Reasona fresh connection failed after the change; everything was restored');
  });

  it('per host: status, reason, controls with evidence, refusals with fixes, the diff lines marked and the commands', () => {
    const run = replyOf(
      record(
        [
          host('web-1', {
            status: 'planned',
            controls: [ctl('sshd-auth', 'drift', { evidence: ['sshd -T: passwordauthentication yes (want no)'], refused: { reason: 'Bulwark logs in with a password', fix: 'deploy a key' } })],
            files: [{ path: '/etc/ssh/sshd_config.d/00-bulwark.conf', diff: '--- /dev/null\n+++ b/etc/ssh/sshd_config.d/00-bulwark.conf\n@@ -0,0 +1 @@\n+PasswordAuthentication no\n' }],
            commands: ['systemctl reload ssh', 'sshd -t'],
          }),
        ],
        { mode: 'plan' },
      ),
    );
    const html = htmlReport(run);
    expect(html).toContain('<span class="add">+PasswordAuthentication no</span>');
    expect(html).toContain('<span class="hunk">@@ -0,0 +1 @@</span>');
    expect(html).toContain('<pre>systemctl reload ssh\nsshd -t</pre>');
    const text = visibleText(html);
    expect(text).toContain('sshd -T: passwordauthentication yes (want no)');
    expect(text).toContain('sshd-auth: Bulwark logs in with a password');
    expect(text).toContain('Fix: deploy a key');
    expect(text).toContain('Files the plan writes');
  });
});

describe('JSON report', () => {
  it('is the runs:get document with a format marker first, pretty-printed, and parses back through runReplySchema unchanged', () => {
    const reply = replyOf(hostileRun());
    const file = runReport(reply, 'json');
    expect(file.text).toMatch(/^\{\n {2}"format": "bulwark-run-report\/1",\n {2}"id": /);
    expect(file.text.endsWith('}\n')).toBe(true);
    const parsed = JSON.parse(file.text) as Record<string, unknown>;
    expect(parsed.format).toBe(JSON_REPORT_FORMAT);
    const { format: _f, ...rest } = parsed;
    expect(runReplySchema.parse(rest)).toEqual(reply);
    expect(runReplySchema.parse(parsed)).toEqual(reply);
    expect(textFileSchema.parse(file)).toEqual(file);
  });
});

describe('report file names', () => {
  it('bulwark-<mode>-<profile>-<yyyy-mm-dd-hhmm>.<ext> in UTC, the profile reduced to a slug', () => {
    const run = record([], { mode: 'apply', profileId: 'strict-ssh', startedAt: Date.UTC(2026, 0, 5, 7, 3, 59) });
    expect(reportFileName(run, 'html')).toBe('bulwark-apply-strict-ssh-2026-01-05-0703.html');
    expect(reportFileName(run, 'json')).toBe('bulwark-apply-strict-ssh-2026-01-05-0703.json');
    expect(reportFileName({ ...run, profileId: '../../etc/passwd; rm -rf /' }, 'html')).toBe('bulwark-apply-etc-passwd-rm-rf-2026-01-05-0703.html');
    expect(reportFileName({ ...run, profileId: '<<>>' }, 'json')).toBe('bulwark-apply-profile-2026-01-05-0703.json');
  });
});

describe('runs:report', () => {
  let v: OpenVault | undefined;
  afterEach(() => {
    v?.close();
    v = undefined;
  });

  it('serves a recorded run as HTML or JSON and names the way to list runs for an unknown id', () => {
    v = openVault();
    const history = new RunHistory(v.vault);
    const r = record([host('web-1', { status: 'drift', controls: [ctl('ufw', 'drift')] })]);
    history.record(r);
    const h = createReportHandlers({ history });
    const html = h['runs:report']({ id: r.id, format: 'html' }) as { text: string; fileName: string };
    expect(html.fileName).toBe('bulwark-audit-guide-baseline-2026-11-26-0254.html');
    expect(matrixOf(html.text)['web-1']).toMatchObject({ ufw: 'DRIFT', Score: '0/1 (0%)' });
    const json = h['runs:report']({ id: r.id, format: 'json' }) as { text: string; fileName: string };
    expect(runReplySchema.parse(JSON.parse(json.text))).toEqual(replyOf(r));
    expectCode(() => h['runs:report']({ id: 'no-such-run', format: 'html' }), 'NOT_FOUND', /bulwark runs list/);
  });
});
