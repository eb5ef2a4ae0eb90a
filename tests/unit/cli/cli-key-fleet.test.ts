/**
 * `bulwark keys deploy|audit|rotate|revoke` at the protocol level: option checks before the vault
 * opens, per-host failures (unknown host key, unreachable) as exit 13 with the others' results,
 * Ctrl-C, and the output shapes. The in-process server runs commands as this machine's user, so
 * only the read-only audit (of a temp $HOME) runs against it; deploy, rotate and revoke writing
 * real authorized_keys are tested on the fleet (tests/integration/cli/fleet-cli.test.ts).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../main/cli/exit-codes';
import { type KeyPair, makeKey } from '../ssh/helpers';
import { type TestServer, startServer } from '../ssh/test-server';
import { Cli, ManualInterrupts, closedPort, tempDir, waitFor } from './harness';

let server: TestServer;
let login: KeyPair;
let planted: KeyPair;
/** A host that accepts TCP connections and never says a word (a hung sshd). */
let silent: net.Server;
const sockets = new Set<net.Socket>();
const home = tempDir('bulwark-fleet-home-');
const me = os.userInfo().username;

beforeAll(async () => {
  login = makeKey({ comment: 'login@test' });
  planted = makeKey({ comment: 'planted@by-hand' });
  mkdirSync(join(home, '.ssh'), { mode: 0o700 });
  writeFileSync(join(home, '.ssh/authorized_keys'), `# managed by hand\n${login.public}\nno-pty ${planted.public}\n`);
  server = await startServer({ users: { alice: { keys: [login.parsed] } }, env: { HOME: home } });
  silent = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => silent.close(() => r()));
  await server.close();
  rmSync(home, { recursive: true, force: true });
});

let cli: Cli;
beforeEach(async () => {
  cli = new Cli();
  await cli.init();
  await cli.ok(['keys', 'import', cli.write('id_login', login.private), '--name', 'login']);
  await cli.ok(['keys', 'gen', '--name', 'other']);
  await cli.ok(['hosts', 'add', 'lab', '--address', '127.0.0.1', '--port', String(server.port), '--user', 'alice', '--tag', 'lab']);
  await cli.ok(['hosts', 'add', 'dead', '--address', '127.0.0.1', '--port', String(await closedPort()), '--tag', 'lab']);
});
afterEach(() => cli.cleanup());

describe('fleet commands: what is checked before anything is sent', () => {
  it('options are checked before the vault is opened (no passphrase needed to learn of a typo)', async () => {
    const noPass = { env: { BULWARK_PASSPHRASE: undefined } };
    const cases: Array<[string[], number, string]> = [
      [['keys', 'deploy', 'login'], ExitCode.USAGE, 'choose hosts with --hosts'],
      [['keys', 'audit', '--hosts', ' , '], ExitCode.USAGE, 'choose hosts with --hosts'],
      [['keys', 'deploy', 'login', '--hosts', 'lab', '--account', 'x;rm -rf /'], ExitCode.VALIDATION, '--account'],
      [['keys', 'revoke', 'login', '--tag', 'lab', '--timeout', 'soon'], ExitCode.USAGE, '--timeout must be'],
      [['keys', 'rotate', 'login', '--hosts', 'lab'], ExitCode.USAGE, "missing required argument 'NEW'"],
    ];
    for (const [args, code, message] of cases) {
      const r = await cli.run(args, noPass);
      expect({ args, code: r.code }).toEqual({ args, code });
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe('');
    }
  });

  it('an unknown host, tag or key is exit 8 before any connection', async () => {
    const before = server.stats.connections;
    for (const args of [
      ['keys', 'deploy', 'login', '--hosts', 'lab,nope'],
      ['keys', 'audit', '--tag', 'nosuchtag'],
      ['keys', 'deploy', 'nokey', '--hosts', 'lab'],
      ['keys', 'rotate', 'login', 'nokey', '--hosts', 'lab'],
    ]) {
      const r = await cli.run(args);
      expect({ args, code: r.code }).toEqual({ args, code: ExitCode.NOT_FOUND });
    }
    expect(server.stats.connections).toBe(before);
  });
});

describe('fleet commands: per-host failures', () => {
  it('deploy: an unpinned host key and an unreachable host fail on their own (exit 13), with a table and summary', async () => {
    const before = server.stats.authAttempts.length;
    const r = await cli.run(['keys', 'deploy', 'other', '--tag', 'lab']);
    expect(r.code).toBe(ExitCode.HOSTS_FAILED);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^HOST +ACCOUNT +STATUS +ERROR$/);
    expect(lines[1]).toMatch(/^dead +root +failed +.*(unreachable|refused)/);
    expect(lines[2]).toMatch(/^lab +alice +failed +Unknown host key for lab .*bulwark ssh trust lab/);
    expect(lines[3]).toBe('deploy: 2 hosts: 2 failed');
    // progress on stderr, one line per host as it finished, then the verdict
    expect(r.stderr).toContain('deploy: key other to 2 hosts (Ctrl-C cancels)');
    expect(r.stderr).toMatch(/^\[[12]\/2\] lab \(alice\): failed: Unknown host key/m);
    expect(r.stderr).toMatch(/^\[[12]\/2\] dead \(root\): failed: /m);
    expect(r.stderr).toMatch(/bulwark: 2 of 2 hosts failed\n$/);
    // nothing was sent to the host whose key is not pinned
    expect(server.stats.authAttempts.length).toBe(before);
  });

  it('--json: one document with every host, nothing else on stdout, no progress lines', async () => {
    const r = await cli.run(['--json', 'keys', 'revoke', 'other', '--hosts', 'dead,lab', '--account', 'bob']);
    expect(r.code).toBe(ExitCode.HOSTS_FAILED);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(doc).toEqual({
      op: 'revoke',
      key: 'other',
      force: false,
      results: [
        { host: 'dead', account: 'bob', status: 'failed', removedLines: 0, error: { code: 'SSH_UNREACHABLE', message: expect.any(String) }, durationMs: expect.any(Number) },
        { host: 'lab', account: 'bob', status: 'failed', removedLines: 0, error: { code: 'UNKNOWN_HOST_KEY', message: expect.stringContaining('Unknown host key for lab') }, durationMs: expect.any(Number) },
      ],
      summary: { total: 2, ok: 0, failed: 2, aborted: 0, byStatus: { failed: 2 } },
    });
    expect(r.stderr).not.toMatch(/^\[/m);
  });
});

describe('bulwark keys audit', () => {
  beforeEach(async () => {
    await cli.ok(['ssh', 'trust', 'lab']);
  });

  it('prints one row per key (vault name or UNKNOWN) with where it is, and the hosts that failed', async () => {
    const r = await cli.run(['keys', 'audit', '--login-only', '--tag', 'lab']);
    expect(r.code).toBe(ExitCode.HOSTS_FAILED);
    const [matrix, hosts] = r.stdout.split('\n\n');
    const rows = matrix!.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^KEY +FINGERPRINT +COMMENT +HOSTS +ON$/);
    expect(rows[1]).toMatch(new RegExp(`^login +SHA256:\\S+ +login@test +1 +lab \\(${me}\\)$`));
    expect(rows[2]).toMatch(new RegExp(`^UNKNOWN +SHA256:\\S+ +planted@by-hand +1 +lab \\(${me}\\)$`));
    expect(rows).toHaveLength(3);
    expect(hosts).toMatch(/^HOST +ACCOUNTS +STATUS +ERROR\ndead +login user +failed +.*unreachable.*\nlab +login user +ok\naudit: 2 hosts: 1 failed, 1 ok\n$/);
  });

  it('--json gives the key rows, the per-host results and the summary', async () => {
    const r = await cli.run(['--json', 'keys', 'audit', '--login-only', '--hosts', 'lab']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { rows: Array<Record<string, unknown>>; hosts: unknown[]; summary: unknown; scope: string };
    expect(doc.scope).toBe('login');
    expect(doc.rows).toEqual([
      { key: 'login', fingerprint: expect.stringMatching(/^SHA256:/), type: 'ssh-ed25519', on: [{ host: 'lab', account: me, options: '', comment: 'login@test' }] },
      { key: null, fingerprint: expect.stringMatching(/^SHA256:/), type: 'ssh-ed25519', on: [{ host: 'lab', account: me, options: 'no-pty', comment: 'planted@by-hand' }] },
    ]);
    expect(doc.hosts).toEqual([{ host: 'lab', status: 'ok', scope: 'login', problems: [], durationMs: expect.any(Number) }]);
    expect(doc.summary).toEqual({ total: 1, ok: 1, failed: 0, aborted: 0, byStatus: { ok: 1 } });
  });

  it('Ctrl-C aborts the hosts not finished and exits 130 with the finished ones reported', async () => {
    await cli.ok(['hosts', 'add', 'hung', '--address', '127.0.0.1', '--port', String((silent.address() as net.AddressInfo).port)]);
    const interrupts = new ManualInterrupts();
    const running = cli.run(['keys', 'audit', '--login-only', '--hosts', 'lab,hung'], { interrupts });
    // lab answers at once; hung would hold the run for the 20 s connect timeout
    await waitFor(() => interrupts.listening && sockets.size > 0 && server.stats.commands.length > 0, 'both hosts to be under way');
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    interrupts.fire();
    const r = await running;
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(r.code).toBe(ExitCode.INTERRUPTED);
    expect(r.stdout).toMatch(/^hung +login user +aborted +.*cancelled$/m);
    expect(r.stdout).toMatch(/^lab +login user +ok$/m);
    expect(r.stdout).toContain('audit: 2 hosts: ');
    expect(r.stderr).toContain('hung: aborted');
    expect(r.stderr).toContain('bulwark: interrupted: 1 of 2 hosts not finished');
  });
});
