/** The real entry point as a child process: `node --import tsx main/cli/bin.ts ...`. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../main/cli/exit-codes';
import { OTHER_PASSPHRASE, PASSPHRASE, runChild, tempDir } from './harness';

const dir = tempDir();
const env = { BULWARK_VAULT: path.join(dir, 'vault.db'), BULWARK_PASSPHRASE: PASSPHRASE };
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('bulwark as a process', () => {
  it('init → add → list --json → export-ansible to stdout → rm', async () => {
    const init = await runChild(['vault', 'init'], env);
    expect(init.stderr).toMatch(/shown only this once/);
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/Recovery key: [0-9A-Z-]{69}\n/);

    expect((await runChild(['hosts', 'add', 'pve1', '--address', '192.168.1.10', '--tag', 'pve'], env)).code).toBe(0);
    const list = await runChild(['hosts', 'list', '--json'], env);
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { name: string }[]).map((h) => h.name)).toEqual(['pve1']);

    const inv = await runChild(['hosts', 'export-ansible'], env);
    expect(inv.code).toBe(0);
    expect(inv.stdout).toMatch(/^# Ansible inventory exported by Bulwark[\s\S]*pve1:\n\s+ansible_host: "192\.168\.1\.10"/);

    expect((await runChild(['hosts', 'rm', 'pve1'], env)).stdout).toBe('Removed 1 host: pve1\n');
  }, 60_000);

  it('exits 3 on a wrong passphrase, with one line and no stack trace', async () => {
    const r = await runChild(['hosts', 'list'], { ...env, BULWARK_PASSPHRASE: OTHER_PASSPHRASE });
    expect(r.code).toBe(ExitCode.AUTH);
    expect(r.stderr).toBe('bulwark: Wrong passphrase.\n');
  }, 30_000);

  it('refuses to prompt when stdin is not a terminal', async () => {
    const r = await runChild(['hosts', 'list'], { BULWARK_VAULT: env.BULWARK_VAULT }, `${PASSPHRASE}\n`);
    expect(r.code).toBe(ExitCode.USAGE);
    expect(r.stderr).toMatch(/^bulwark: no passphrase available: use --passphrase-file FILE or set BULWARK_PASSPHRASE/);
  }, 30_000);

  it('refuses the test KDF outside a test run', async () => {
    const r = await runChild(['--vault', path.join(dir, 'weak.db'), 'vault', 'init'], { ...env, NODE_ENV: 'production' });
    expect(r.code).toBe(ExitCode.USAGE);
    expect(r.stderr).toMatch(/BULWARK_TEST_KDF is for automated tests only/);
    expect(fs.existsSync(path.join(dir, 'weak.db'))).toBe(false);
  }, 30_000);

  it('prints help and the version on stdout with exit 0, and a usage error with exit 2', async () => {
    const help = await runChild(['--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: bulwark/);
    const version = await runChild(['--version'], {});
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const bad = await runChild(['hosts', 'frobnicate'], {});
    expect(bad.code).toBe(ExitCode.USAGE);
    expect(bad.stderr).toMatch(/^bulwark: unknown command 'frobnicate'/);
  }, 30_000);
});
