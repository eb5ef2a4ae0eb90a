/**
 * `--report html|json [--out FILE] [--force]` on `runs show` and `audit`: option checks before
 * the vault opens (and before a run starts), the report on stdout or in a 0600 file (a folder
 * gets the report's own name), no overwrite without --force, and the report being the recorded
 * run. The hosts are unreachable, which still records a run; what a report holds for real hosts
 * is tested in tests/unit/hardening/report.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunListEntry, type RunReply, runReplySchema } from '../../../shared/domain/hardening';
import { ExitCode } from '../../../main/cli/exit-codes';
import { Cli, closedPort } from './harness';

let cli: Cli;
beforeEach(async () => {
  cli = new Cli();
  await cli.init();
  await cli.ok(['hosts', 'add', 'dead-1', '--address', '127.0.0.1', '--port', String(await closedPort()), '--tag', 'lab']);
});
afterEach(() => cli.cleanup());

const runsOf = async () => JSON.parse(await cli.ok(['--json', 'runs', 'list'])) as RunListEntry[];
const audit = ['audit', '--profile', 'guide-baseline', '--tag', 'lab', '--timeout', '3'];

describe('--report: what is checked before anything opens or runs', () => {
  it('refuses bad combinations with exit 2 and no passphrase prompt, and an existing file with CONFLICT before the run', async () => {
    const noPass = { env: { BULWARK_PASSPHRASE: undefined } };
    const cases: Array<[string[], number, string]> = [
      [['runs', 'show', 'x', '--report', 'pdf'], ExitCode.USAGE, '--report must be html or json (got "pdf")'],
      [['runs', 'show', 'x', '--out', 'r.html'], ExitCode.USAGE, '--out goes with --report'],
      [['runs', 'show', 'x', '--report', 'html', '--force'], ExitCode.USAGE, '--force goes with --out'],
      [['--json', 'runs', 'show', 'x', '--report', 'html'], ExitCode.USAGE, 'write the HTML report with --out FILE'],
      [[...audit, '--report', 'html'], ExitCode.USAGE, '--report needs --out FILE'],
      [[...audit, '--report', 'json', '--out', 'no/such/dir/r.json'], ExitCode.NOT_FOUND, 'no such directory'],
    ];
    for (const [args, code, message] of cases) {
      const r = await cli.run(args, noPass);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(code);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/passphrase/i);
    }
    fs.writeFileSync(path.join(cli.dir, 'taken.html'), 'keep me');
    const r = await cli.run([...audit, '--report', 'html', '--out', 'taken.html']);
    expect(r.code).toBe(ExitCode.CONFLICT);
    expect(r.stderr).toContain('already exists (use --force to overwrite)');
    expect(fs.readFileSync(path.join(cli.dir, 'taken.html'), 'utf8')).toBe('keep me');
    expect(await runsOf()).toEqual([]);
  });
});

describe('--report on a recorded run', () => {
  it('audit --report html --out FILE writes the report of that run (0600) and keeps its matrix and exit code', async () => {
    const r = await cli.run([...audit, '--report', 'html', '--out', 'audit.html']);
    expect(r.code).toBe(ExitCode.HOSTS_FAILED);
    expect(r.stdout).toMatch(/^HOST {4}SCORE$/m);
    const [run] = await runsOf();
    const file = path.join(cli.dir, 'audit.html');
    expect(r.stderr).toContain(`HTML report of run ${run!.id} written to ${file}`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const html = fs.readFileSync(file, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('Bulwark audit report: guide-baseline');
    expect(html).toContain(`from run ${run!.id}.`);
    // no control could be read, so no control column: the host's row has its score only, its section the reason
    expect(html).toContain('<tr><th>dead-1</th><td class="c">-</td></tr>');
    expect(html).toMatch(/<dt>Reason<\/dt><dd>dead-1 \(127\.0\.0\.1:\d+\) is unreachable: connection refused/);
  });

  it('runs show --report json prints the run document with its marker; --out DIR uses the report name; --force overwrites', async () => {
    await cli.run(audit);
    const [run] = await runsOf();
    const shown = JSON.parse(await cli.ok(['--json', 'runs', 'show', run!.id])) as RunReply;
    const stdout = await cli.ok(['runs', 'show', run!.id, '--report', 'json']);
    const doc = JSON.parse(stdout) as Record<string, unknown>;
    expect(doc.format).toBe('bulwark-run-report/1');
    expect(runReplySchema.parse(doc)).toEqual(shown);

    const dir = path.join(cli.dir, 'reports');
    fs.mkdirSync(dir);
    const stamp = new Date(run!.startedAt).toISOString().slice(0, 16).replace(/[T:]/g, '-').replace(/-(\d\d)$/, '$1');
    const expected = path.join(dir, `bulwark-audit-guide-baseline-${stamp}.html`);
    const r = await cli.run(['--json', 'runs', 'show', run!.id, '--report', 'html', '--out', 'reports']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ run: run!.id, format: 'html', path: expected });
    expect(fs.readFileSync(expected, 'utf8')).toContain('<h2>Compliance matrix</h2>');

    const again = await cli.run(['runs', 'show', run!.id, '--report', 'html', '--out', 'reports']);
    expect(again.code).toBe(ExitCode.CONFLICT);
    expect(again.stderr).toContain(`${expected} already exists`);
    fs.writeFileSync(expected, 'old');
    await cli.ok(['runs', 'show', run!.id, '--report', 'html', '--out', 'reports', '--force']);
    expect(fs.readFileSync(expected, 'utf8')).toContain('<!DOCTYPE html>');
  });

  it('runs show --report for an unknown id is NOT_FOUND and writes nothing', async () => {
    const r = await cli.run(['runs', 'show', 'nope', '--report', 'html', '--out', 'x.html']);
    expect(r.code).toBe(ExitCode.NOT_FOUND);
    expect(fs.existsSync(path.join(cli.dir, 'x.html'))).toBe(false);
  });
});
