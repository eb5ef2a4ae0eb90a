/**
 * A recorded run as one self-contained, printable HTML document: inline CSS only (with @media
 * print), no scripts, no external resources, and a CSP that forbids both even if a value slipped
 * through. Everything read from hosts (names, evidence, diffs, reasons) is attacker-controlled:
 * it reaches the document only through esc(), and no such value is ever placed in an attribute
 * other than as escaped text. Pure.
 */
import type { ControlResult, HostRunResult, RunReply } from '../../../shared/domain/hardening';

/** Text content and double-quoted attribute values; C0 controls other than tab/newline become U+FFFD. */
export function esc(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;')
  );
}

const CELL: Record<ControlResult['status'], string> = { compliant: 'ok', drift: 'DRIFT', unknown: '?', 'not-applicable': 'n/a' };

/** Class names come from this fixed map only, never from the record. */
const STATUS_CLASS: Record<string, string> = {
  compliant: 'good',
  applied: 'good',
  unchanged: 'good',
  planned: 'info',
  drift: 'warn',
  unknown: 'warn',
  refused: 'warn',
  skipped: 'muted',
  'rolled-back': 'bad',
  failed: 'bad',
  'not-applicable': 'muted',
};
const cls = (status: string) => STATUS_CLASS[status] ?? 'muted';

export function utc(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC');
}

export function duration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

const CSS = `
:root { --good:#1b7f3b; --warn:#a15c00; --bad:#b3261e; --info:#1d4f91; --muted:#666; --line:#d0d4da; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color:#1a1a1a; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .4rem; } h4 { font-size: .95rem; margin: .8rem 0 .3rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0; }
dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
th, td { border: 1px solid var(--line); padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { background: #f3f5f7; } td.c, th.c { text-align: center; }
.good { color: var(--good); } .warn { color: var(--warn); font-weight: 600; } .bad { color: var(--bad); font-weight: 600; }
.info { color: var(--info); } .muted { color: var(--muted); }
.badge { display: inline-block; border: 1px solid currentColor; border-radius: .6rem; padding: 0 .5rem; margin: 0 .3rem .2rem 0; font-size: .85rem; }
pre { background: #f7f7f9; border: 1px solid var(--line); padding: .5rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; font: 12px/1.35 ui-monospace, "DejaVu Sans Mono", monospace; margin: .3rem 0; }
.diff .add { color: var(--good); } .diff .del { color: var(--bad); } .diff .hunk { color: var(--info); }
ul { margin: .2rem 0; padding-left: 1.2rem; }
section.host { border-top: 1px solid var(--line); }
.ids { font-family: ui-monospace, monospace; font-size: .8rem; color: var(--muted); }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  h2, h3, h4 { break-after: avoid; } tr, pre { break-inside: avoid; }
  pre { white-space: pre-wrap; border-color: #999; }
  th { background: none; }
  a { color: inherit; text-decoration: none; }
}
`;

/** The control columns: every control id in the order hosts first report it. */
export function controlColumns(run: Pick<RunReply, 'results'>): Array<{ id: string; title: string }> {
  const seen = new Map<string, string>();
  for (const r of run.results) for (const c of [...r.controls, ...(r.after ?? [])]) if (!seen.has(c.id)) seen.set(c.id, c.title);
  return [...seen].map(([id, title]) => ({ id, title }));
}

/** What a matrix cell shows: the state the host's score counts (after an apply when there is one). */
export function matrixCell(r: HostRunResult, id: string): { text: string; status: string } {
  const now = (r.after ?? r.controls).find((c) => c.id === id);
  if (!now) {
    if (r.status === 'failed' || r.status === 'skipped') return { text: r.status, status: r.status };
    return { text: '-', status: 'not-applicable' };
  }
  const before = r.after ? r.controls.find((c) => c.id === id) : undefined;
  const text = before && before.status !== now.status ? `${CELL[before.status]} \u2192 ${CELL[now.status]}` : CELL[now.status];
  return { text, status: now.status };
}

export function scoreText(r: HostRunResult): string {
  if (r.controls.length === 0 && !r.after) return '-';
  const pct = r.score.applicable ? Math.round((100 * r.score.compliant) / r.score.applicable) : 100;
  return `${r.score.compliant}/${r.score.applicable} (${pct}%)`;
}

function header(run: RunReply): string {
  const rows: Array<[string, string]> = [
    ['Profile', run.profileId],
    ['Mode', run.mode],
    ['Started by', `${run.who} (${run.via === 'cli' ? 'command line' : 'app'})`],
    ['Started', utc(run.startedAt)],
    ['Finished', utc(run.finishedAt)],
    ['Duration', duration(run.finishedAt - run.startedAt)],
    ['Run id', run.id],
  ];
  if (run.options.canary) rows.push(['Canary', `${run.options.canary} host${run.options.canary === 1 ? '' : 's'} first`]);
  if (run.options.stopAfterFailures) rows.push(['Stop after', `${run.options.stopAfterFailures} failed host${run.options.stopAfterFailures === 1 ? '' : 's'}`]);
  if (run.cancelled) rows.push(['Cancelled', 'yes: hosts not started were skipped']);
  const counts = Object.entries(run.summary.byStatus)
    .sort((a, b) => b[1] - a[1])
    .map(([status, n]) => `<span class="badge ${cls(status)}">${n} ${esc(status)}</span>`)
    .join('');
  return [
    `<h1>Bulwark ${esc(run.mode)} report: ${esc(run.profileId)}</h1>`,
    `<dl class="meta">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${esc(v)}</dd>`).join('')}`,
    `<dt>Hosts</dt><dd>${run.summary.total} in total${run.summary.failed ? `, <span class="bad">${run.summary.failed} failed or rolled back</span>` : ''}<br>${counts}</dd></dl>`,
  ].join('\n');
}

function matrix(run: RunReply): string {
  const cols = controlColumns(run);
  const after = run.results.some((r) => r.after) ? ' (after the apply where it ran; "a \u2192 b" marks a change)' : '';
  const head = `<tr><th>Host</th>${cols.map((c) => `<th class="c">${esc(c.id)}<br><span class="muted">${esc(c.title)}</span></th>`).join('')}<th class="c">Score</th></tr>`;
  const rows = run.results.map((r) => {
    const cells = cols.map((c) => {
      const cell = matrixCell(r, c.id);
      return `<td class="c ${cls(cell.status)}">${esc(cell.text)}</td>`;
    });
    return `<tr><th>${esc(r.host)}</th>${cells.join('')}<td class="c">${esc(scoreText(r))}</td></tr>`;
  });
  return `<h2>Compliance matrix</h2>\n<p class="muted">Hosts \u00d7 controls: ok, DRIFT, ? (could not be read), n/a (not applicable); score = compliant of applicable controls${after}.</p>\n<table class="matrix">\n${head}\n${rows.join('\n')}\n</table>`;
}

function diffBlock(diff: string): string {
  const lines = diff.replace(/\n$/, '').split('\n').map((l) => {
    const kind = l.startsWith('+++') || l.startsWith('---') ? 'file' : l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : l.startsWith('@@') ? 'hunk' : '';
    return kind ? `<span class="${kind}">${esc(l)}</span>` : esc(l);
  });
  return `<pre class="diff">${lines.join('\n')}</pre>`;
}

function controlRows(r: HostRunResult): string {
  const rows = r.controls.map((c) => {
    const a = r.after?.find((x) => x.id === c.id);
    const details = [
      c.evidence.length ? `<ul>${c.evidence.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>` : '',
      c.notes.length ? `<ul class="muted">${c.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '',
      c.refused ? `<p class="warn">Refused: ${esc(c.refused.reason)}</p><p>Fix: ${esc(c.refused.fix)}</p>` : '',
      a && a.evidence.length ? `<p class="muted">After:</p><ul>${a.evidence.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>` : '',
    ].join('');
    const afterCell = r.after ? `<td class="c ${a ? cls(a.status) : 'muted'}">${a ? CELL[a.status] : '-'}</td>` : '';
    return `<tr><td>${esc(c.id)}<br><span class="muted">${esc(c.title)}</span></td><td class="c ${cls(c.status)}">${CELL[c.status]}</td>${afterCell}<td>${details}</td></tr>`;
  });
  if (!rows.length) return '<p class="muted">No controls were checked on this host.</p>';
  return `<table><tr><th>Control</th><th class="c">${r.after ? 'Before' : 'Check'}</th>${r.after ? '<th class="c">After</th>' : ''}<th>Evidence</th></tr>\n${rows.join('\n')}\n</table>`;
}

function hostSection(run: RunReply, r: HostRunResult): string {
  const facts: Array<[string, string]> = [
    ['Status', r.status],
    ['Score', scoreText(r)],
    ['Took', duration(r.durationMs)],
  ];
  if (r.reason) facts.push(['Reason', r.reason]);
  if (r.newPort !== undefined) facts.push(['New SSH port', String(r.newPort)]);
  if (r.cutsAccess) facts.push(['Can cut SSH access', 'yes: the automatic rollback stayed armed until a fresh login proved access']);
  if (r.timings && Object.keys(r.timings).length) facts.push(['Timings', Object.entries(r.timings).map(([k, v]) => `${k} ${duration(v)}`).join(', ')]);
  const verb = run.mode === 'apply' ? 'Files changed (or attempted)' : 'Files the plan writes';
  const parts = [
    `<section class="host">`,
    `<h3>${esc(r.host)} <span class="badge ${cls(r.status)}">${esc(r.status)}</span></h3>`,
    `<dl class="meta">${facts.map(([k, v]) => `<dt>${k}</dt><dd${k === 'Status' ? ` class="${cls(r.status)}"` : ''}>${esc(v)}</dd>`).join('')}</dl>`,
    `<h4>Controls</h4>`,
    controlRows(r),
  ];
  const refusals = r.controls.filter((c) => c.refused);
  if (refusals.length) {
    parts.push('<h4>Refusals</h4>', `<ul>${refusals.map((c) => `<li><strong>${esc(c.id)}</strong>: ${esc(c.refused!.reason)}<br>Fix: ${esc(c.refused!.fix)}</li>`).join('')}</ul>`);
  }
  if (r.files.length) parts.push(`<h4>${verb}</h4>`, ...r.files.map((f) => `<p><code>${esc(f.path)}</code></p>${diffBlock(f.diff)}`));
  if (r.commands.length) parts.push('<h4>Commands</h4>', `<pre>${r.commands.map(esc).join('\n')}</pre>`);
  parts.push('</section>');
  return parts.join('\n');
}

export function htmlReport(run: RunReply): string {
  const title = `Bulwark ${run.mode} report: ${run.profileId}, ${utc(run.startedAt)}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // a saved report opened in a browser runs nothing and loads nothing, whatever it contains
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    header(run),
    matrix(run),
    '<h2>Hosts</h2>',
    ...run.results.map((r) => hostSection(run, r)),
    `<p class="ids">Generated by Bulwark from run ${esc(run.id)}.</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
