/** exec against a real in-process server: output separation, limits, timeouts, failures. */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BulwarkError } from '../../../shared/errors';
import { HostKeyStore, type SshEngine } from '../../../main/services/ssh';
import { testVault, expectCode, makeEngine, waitFor } from './helpers';
import { type TestServer, startServer } from './test-server';

const PASSWORD = 'exec-test-password';
let server: TestServer;
let hostKeys: HostKeyStore;
let target: { host: string; port: number; user: string };
beforeAll(async () => {
  server = await startServer({ users: { alice: { password: PASSWORD } } });
  hostKeys = new HostKeyStore(testVault());
  hostKeys.trust('127.0.0.1', server.port, server.hostKey.blob);
  target = { host: '127.0.0.1', port: server.port, user: 'alice' };
});
afterAll(() => server.close());

let engine: SshEngine;
beforeAll(() => {
  engine = makeEngine({ hostKeys, credentials: () => ({ password: PASSWORD }) });
});
afterAll(() => engine.dispose());

describe('exec', () => {
  it('keeps stdout, stderr and the exit code apart', async () => {
    const r = await engine.exec(target, 'printf "out\\n"; printf "err\\n" >&2; printf more; exit 3');
    expect(r).toEqual({ stdout: 'out\nmore', stderr: 'err\n', code: 3, signal: null, stdoutTruncated: false, stderrTruncated: false });
  });

  it('reports death by signal', async () => {
    const r = await engine.exec(target, 'echo before; kill -TERM $$; echo after');
    expect(r.stdout).toBe('before\n');
    expect(r.code).toBeNull();
    expect(r.signal).toBe('SIGTERM');
  });

  it('returns Buffers on request, byte for byte', async () => {
    const r = await engine.exec(target, 'printf "\\377\\000\\001"', { encoding: 'buffer' });
    expect(Buffer.isBuffer(r.stdout)).toBe(true);
    expect([...r.stdout]).toEqual([0xff, 0x00, 0x01]);
  });

  it('writes stdin and closes it', async () => {
    const r = await engine.exec(target, 'cat; echo "[eof]"', { stdin: 'line 1\nline 2\n' });
    expect(r.stdout).toBe('line 1\nline 2\n[eof]\n');
    // without stdin, a command reading stdin sees EOF at once instead of hanging
    expect((await engine.exec(target, 'cat; echo done', { timeoutMs: 5000 })).stdout).toBe('done\n');
  });

  it('writes a reply decided from the first output, then closes stdin', async () => {
    const seen: string[] = [];
    const r = await engine.exec(target, 'read first; echo "ready $first"; read second; echo "got $second"; cat; echo "[eof]"', {
      stdin: 'one\n',
      reply: {
        after: 'ready',
        write: async (so) => {
          seen.push(so.toString());
          return 'two\nrest\n';
        },
      },
    });
    expect(seen).toEqual(['ready one\n']);
    expect(r.stdout).toBe('ready one\ngot two\nrest\n[eof]\n');
    expect(r.code).toBe(0);
  });

  it('finds the reply marker across chunks, closes stdin on null, and never replies when the command ends first', async () => {
    const r = await engine.exec(target, 'printf rea; sleep 0.3; printf "dy\n"; cat; echo "[eof]"', { reply: { after: 'ready', write: async () => null } });
    expect(r.stdout).toBe('ready\n[eof]\n');
    let called = false;
    const early = await engine.exec(target, 'echo done; exit 4', { reply: { after: 'ready', write: async () => ((called = true), 'x') } });
    expect(early.code).toBe(4);
    expect(called).toBe(false);
  });

  it('a reply that fails ends the command with its error', async () => {
    const t0 = Date.now();
    await expectCode(
      engine.exec(target, 'echo ready; sleep 30', { reply: { after: 'ready', write: async () => Promise.reject(new BulwarkError('VALIDATION', 'bad plan')) } }),
      'VALIDATION',
    );
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('caps output per stream and says so', async () => {
    const r = await engine.exec(target, 'head -c 100000 /dev/zero; head -c 10 /dev/zero >&2', { maxOutputBytes: 1000 });
    expect(r.stdout.length).toBe(1000);
    expect(r.stdoutTruncated).toBe(true);
    expect(r.stderr.length).toBe(10);
    expect(r.stderrTruncated).toBe(false);
    expect(r.code).toBe(0);
  });

  it('passes non-secret env through `env`, quoted', async () => {
    const r = await engine.exec(target, 'printf "%s|%s" "$GREETING" "$OTHER"', { env: { GREETING: "it's $(not run)", OTHER: 'b c' } });
    expect(r.stdout).toBe("it's $(not run)|b c");
    expect(server.stats.commands.at(-1)).toMatch(/^env 'GREETING=/);
  });

  it('refuses secret-looking env names: secrets go on stdin', async () => {
    for (const name of ['PASSWORD', 'DB_PASS', 'API_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'SSH_AUTH_SOCK']) {
      await expectCode(engine.exec(target, 'true', { env: { [name]: 'x' } }), 'VALIDATION', /stdin/);
    }
    await expectCode(engine.exec(target, 'true', { env: { 'BAD NAME': 'x' } }), 'VALIDATION');
  });

  it('times out with the host named, and stops the remote command', async () => {
    const t0 = Date.now();
    const err = await expectCode(engine.exec(target, 'sleep 5; echo late', { timeoutMs: 300 }), 'TIMEOUT', /127\.0\.0\.1:\d+ did not finish within 300 ms/);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(err.fields).toMatchObject({ host: '127.0.0.1', timeoutMs: '300' });
    await waitFor(() => server.stats.activeExecs === 0);
    expect(server.stats.signals).toContain('KILL'); // asked the server to kill it, not just hung up
    // the connection is still good
    expect((await engine.exec(target, 'echo still here')).stdout).toBe('still here\n');
  });

  it('aborts through an AbortSignal, before and during the command', async () => {
    await expectCode(engine.exec(target, 'echo never', { signal: AbortSignal.abort() }), 'ABORTED');
    const ac = new AbortController();
    const p = engine.exec(target, 'sleep 5', { signal: ac.signal });
    setTimeout(() => ac.abort(), 200);
    await expectCode(p, 'ABORTED', /cancelled/);
    await waitFor(() => server.stats.activeExecs === 0);
  });

  it('refuses empty commands and NUL bytes', async () => {
    await expectCode(engine.exec(target, ''), 'VALIDATION');
    await expectCode(engine.exec(target, 'echo \0'), 'VALIDATION');
  });
});

describe('failures name the host', () => {
  it('connection refused is SSH_UNREACHABLE', async () => {
    const port = await freePort();
    const e = makeEngine({ hostKeys, credentials: () => ({ password: PASSWORD }) });
    try {
      const err = await expectCode(e.exec({ host: '127.0.0.1', port, user: 'alice', name: 'web9' }, 'true'), 'SSH_UNREACHABLE', /web9 \(127\.0\.0\.1:\d+\) is unreachable: connection refused/);
      expect(err.fields).toMatchObject({ name: 'web9', errno: 'ECONNREFUSED' });
    } finally {
      await e.dispose();
    }
  });

  it('a silent peer is SSH_UNREACHABLE after the ready timeout', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    const e = makeEngine({ hostKeys, credentials: () => ({}), readyTimeoutMs: 300 });
    try {
      await expectCode(e.exec({ host: '127.0.0.1', port, user: 'alice' }, 'true'), 'SSH_UNREACHABLE', /did not complete the SSH handshake within 300 ms/);
    } finally {
      await e.dispose();
      silent.close();
    }
  });

  it('an unresolvable name is SSH_UNREACHABLE', async () => {
    const e = makeEngine({ hostKeys, credentials: () => ({}) });
    try {
      await expectCode(e.exec({ host: 'no-such-host.invalid', user: 'alice' }, 'true'), 'SSH_UNREACHABLE', /no-such-host\.invalid:22 is unreachable/);
    } finally {
      await e.dispose();
    }
  });

  it('a pooled connection that died while idle is replaced transparently', async () => {
    const e = makeEngine({ hostKeys, credentials: () => ({ password: PASSWORD }) });
    try {
      await e.exec(target, 'true');
      const before = server.stats.connections;
      server.killConnections(); // the client has not noticed yet when the next exec starts
      expect((await e.exec(target, 'echo fresh')).stdout).toBe('fresh\n');
      expect(server.stats.connections).toBe(before + 1);
      expect(server.stats.commands.filter((c) => c === 'echo fresh')).toHaveLength(1);
    } finally {
      await e.dispose();
    }
  });

  it('a connection dropped mid-command is SSH_CONNECTION_LOST, and the next call reconnects', async () => {
    const e = makeEngine({ hostKeys, credentials: () => ({ password: PASSWORD }) });
    try {
      await e.exec(target, 'true');
      const p = e.exec(target, 'sleep 5');
      await waitFor(() => server.stats.activeExecs > 0);
      server.killConnections();
      await expectCode(p, 'SSH_CONNECTION_LOST', /lost during command/);
      expect((await e.exec(target, 'echo back')).stdout).toBe('back\n');
    } finally {
      await e.dispose();
    }
  });
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
