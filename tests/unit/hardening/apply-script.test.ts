/** The apply script run by a real sh against a temp directory standing in for /. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPLY_EXIT, applyScript, type ApplySpec } from '../../../main/services/hardening/apply-script';
import { expectCode } from '../../helpers/expect-error';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'bulwark-apply-'));
  mkdirSync(join(root, 'etc/ssh/sshd_config.d'), { recursive: true });
  writeFileSync(join(root, 'etc/ssh/sshd_config'), 'Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\n', { mode: 0o600 });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function spec(over: Partial<ApplySpec> = {}): ApplySpec {
  return {
    runId: 'run-000001',
    files: [
      { path: '/etc/ssh/sshd_config.d/00-bulwark.conf', content: 'PasswordAuthentication no\n', mode: 0o644 },
      { path: '/etc/ssh/sshd_config', content: 'Include /etc/ssh/sshd_config.d/*.conf\n# PermitRootLogin yes\n', mode: 0o644 },
    ],
    validate: [],
    commands: [],
    onRestore: [],
    deadmanSeconds: 0,
    root,
    ...over,
  };
}

function run(s: ApplySpec) {
  const { script, restorePath } = applyScript(s);
  const r = spawnSync('sh', ['-s'], { input: script, encoding: 'utf8', timeout: 20_000 });
  return { ...r, restorePath };
}
const read = (p: string) => readFileSync(join(root, p), 'utf8');

describe('apply script', () => {
  it('writes every file with its mode, keeps backups, and restore.sh puts the host back exactly', () => {
    const r = run(spec());
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('bulwark-applied\n');
    expect(read('etc/ssh/sshd_config.d/00-bulwark.conf')).toBe('PasswordAuthentication no\n');
    expect(statSync(join(root, 'etc/ssh/sshd_config')).mode & 0o777).toBe(0o644);
    expect(read('var/backups/bulwark/run-000001/files/1')).toBe('Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\n');

    expect(spawnSync('sh', [r.restorePath], { encoding: 'utf8' }).status).toBe(0);
    expect(existsSync(join(root, 'etc/ssh/sshd_config.d/00-bulwark.conf'))).toBe(false);
    expect(read('etc/ssh/sshd_config')).toBe('Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\n');
    expect(statSync(join(root, 'etc/ssh/sshd_config')).mode & 0o777).toBe(0o600);
    expect(read('var/backups/bulwark/run-000001/log')).toMatch(/^applied .*\nrestored .*\n$/);
  });

  it('restores at once and exits 3 when validation fails, saying why', () => {
    const r = run(spec({ validate: ['echo "line 3: Bad configuration option" >&2; false'], onRestore: [`touch ${root}/reloaded`] }));
    expect(r.status).toBe(APPLY_EXIT.VALIDATION_FAILED);
    expect(r.stderr).toMatch(/bulwark: validation failed, nothing kept: .*line 3: Bad configuration option/);
    expect(existsSync(join(root, 'etc/ssh/sshd_config.d/00-bulwark.conf'))).toBe(false);
    expect(read('etc/ssh/sshd_config')).toMatch(/^PermitRootLogin yes$/m);
    expect(existsSync(join(root, 'reloaded'))).toBe(true);
  });

  it('restores and exits 4 when a reload command fails', () => {
    const r = run(spec({ commands: ['true', 'exit 7'] }));
    expect(r.status).toBe(APPLY_EXIT.RESTORED);
    expect(r.stderr).toMatch(/exit 7 failed/);
    expect(existsSync(join(root, 'etc/ssh/sshd_config.d/00-bulwark.conf'))).toBe(false);
  });

  it('writes hostile content byte for byte (quotes, $(), the heredoc terminators)', () => {
    const nasty = `a'b"c $(touch ${root}/pwned) \`id\` \\ \nBULWARK_FILE\nBULWARK_RESTORE\n\u00e9\t\r\n`;
    const r = run(spec({ files: [{ path: '/etc/nasty.conf', content: nasty }] }));
    expect(r.status).toBe(0);
    expect(read('etc/nasty.conf')).toBe(nasty);
    expect(existsSync(join(root, 'pwned'))).toBe(false);
  });

  it('deletes a file when asked, and restore brings it back', () => {
    const r = run(spec({ files: [{ path: '/etc/ssh/sshd_config', content: null }] }));
    expect(r.status).toBe(0);
    expect(existsSync(join(root, 'etc/ssh/sshd_config'))).toBe(false);
    spawnSync('sh', [r.restorePath]);
    expect(read('etc/ssh/sshd_config')).toMatch(/PermitRootLogin yes/);
  });

  it('refuses unsafe run ids, paths, owners and multi-line commands before building anything', () => {
    expectCode(() => applyScript(spec({ runId: 'X;rm' })), 'VALIDATION', /run id/);
    expectCode(() => applyScript(spec({ files: [{ path: '/etc/../shadow', content: '' }] })), 'VALIDATION', /unsafe path/);
    expectCode(() => applyScript(spec({ files: [{ path: '/etc/a b', content: '' }] })), 'VALIDATION', /unsafe path/);
    expectCode(() => applyScript(spec({ files: [{ path: 'relative', content: '' }] })), 'VALIDATION', /unsafe path/);
    expectCode(() => applyScript(spec({ files: [{ path: '/etc/x', content: '', owner: 'root;id' }] })), 'VALIDATION', /owner/);
    expectCode(() => applyScript(spec({ commands: ['true\nrm -rf /'] })), 'VALIDATION', /single lines/);
    expectCode(() => applyScript(spec({ files: [{ path: '/etc/x', content: '' }, { path: '/etc/x', content: '' }] })), 'VALIDATION', /twice/);
  });
});
