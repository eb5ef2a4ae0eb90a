/** The connection pool against real in-process servers: reuse, limits, idle close, shutdown. */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { HostKeyStore, type SshEngine, type SshEvent } from '../../../main/services/ssh';
import { testVault, expectCode, makeEngine, waitFor } from './helpers';
import { type TestServer, startServer } from './test-server';

const PASSWORD = 'pool-test-password';
const users = { alice: { password: PASSWORD }, bob: { password: PASSWORD }, carol: { password: PASSWORD } };
let a: TestServer;
let b: TestServer;
let hostKeys: HostKeyStore;
beforeAll(async () => {
  [a, b] = await Promise.all([startServer({ users }), startServer({ users })]);
  hostKeys = new HostKeyStore(testVault());
  hostKeys.trust('127.0.0.1', a.port, a.hostKey.blob);
  hostKeys.trust('127.0.0.1', b.port, b.hostKey.blob);
});
afterAll(() => Promise.all([a.close(), b.close()]));

let engine: SshEngine | undefined;
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});

const on = (s: TestServer, user = 'alice') => ({ host: '127.0.0.1', port: s.port, user });

describe('connection pool', () => {
  it('reuses one connection for several operations on the same host and user', async () => {
    const credentials = vi.fn(() => ({ password: PASSWORD }));
    engine = makeEngine({ hostKeys, credentials });
    const before = a.stats.connections;
    for (let i = 0; i < 3; i++) expect((await engine.exec(on(a), `echo ${i}`)).stdout).toBe(`${i}\n`);
    await Promise.all([1, 2, 3, 4].map((i) => engine!.exec(on(a), `echo ${i}`)));
    expect(a.stats.connections - before).toBe(1);
    expect(credentials).toHaveBeenCalledTimes(1);
    expect(engine.stats().connections).toBe(1);
    // another user is another connection
    await engine.exec(on(a, 'bob'), 'true');
    expect(a.stats.connections - before).toBe(2);
  });

  it('bounds concurrent operations per host', async () => {
    engine = makeEngine({ hostKeys, credentials: () => ({ password: PASSWORD }), maxPerHost: 2 });
    a.stats.maxActiveExecs = 0;
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 6 }, () => engine!.exec(on(a), 'sleep 0.2')));
    expect(a.stats.maxActiveExecs).toBe(2);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(550); // three rounds of two
  });

  it('bounds concurrent operations over all hosts', async () => {
    engine = makeEngine({ hostKeys, credentials: () => ({ password: PASSWORD }), maxConcurrent: 3, maxPerHost: 10 });
    a.stats.maxActiveExecs = 0;
    b.stats.maxActiveExecs = 0;
    // both servers run every command in one shared counter: what actually ran at once
    let running = 0;
    let peak = 0;
    const sample = setInterval(() => {
      running = a.stats.activeExecs + b.stats.activeExecs;
      peak = Math.max(peak, running);
    }, 5);
    const jobs = [on(a), on(b), on(a, 'bob'), on(b, 'bob'), on(a, 'carol'), on(b, 'carol')].flatMap((t) => [t, t]);
    const t0 = Date.now();
    try {
      await Promise.all(jobs.map((t) => engine!.exec(t, 'sleep 0.2')));
    } finally {
      clearInterval(sample);
    }
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThanOrEqual(2);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(750); // 12 jobs, 3 at a time, 0.2 s each
    expect(engine.stats()).toMatchObject({ active: 0, waiting: 0 });
  });

  it('closes idle connections, and reconnects on the next use', async () => {
    const events: SshEvent[] = [];
    engine = makeEngine({ hostKeys, credentials: () => ({ password: PASSWORD }), idleTimeoutMs: 150, onEvent: (e) => events.push(e) });
    const before = a.stats.connections;
    await engine.exec(on(a), 'true');
    expect(engine.stats().connections).toBe(1);
    await waitFor(() => events.some((e) => e.type === 'closed'), 2000);
    expect(engine.stats().connections).toBe(0);
    expect(events.filter((e) => e.type === 'closed')).toHaveLength(1);
    await engine.exec(on(a), 'true');
    expect(a.stats.connections - before).toBe(2);
  });

  it('retireConnections(): idle connections close now, a busy one after its operation; the next use logs in again', async () => {
    const credentials = vi.fn(() => ({ password: PASSWORD }));
    const closed: string[] = [];
    engine = makeEngine({ hostKeys, credentials, onEvent: (e) => e.type === 'closed' && closed.push(e.hop) });
    const before = a.stats.connections;
    await engine.exec(on(b), 'true'); // idle afterwards
    const busy = engine.exec(on(a), 'sleep 0.4; echo finished');
    await waitFor(() => a.stats.activeExecs > 0);
    engine.retireConnections();
    await waitFor(() => closed.length === 1);
    expect(closed[0]).toBe(`127.0.0.1:${b.port}`);
    expect(await busy).toMatchObject({ stdout: 'finished\n', code: 0 }); // alice's finished its command
    await waitFor(() => closed.length === 2);
    expect(closed[1]).toBe(`127.0.0.1:${a.port}`);
    await engine.exec(on(a), 'true');
    expect(a.stats.connections - before).toBe(2);
    expect(credentials).toHaveBeenCalledTimes(3);
  });

  it('keepalives detect a peer that stopped answering', async () => {
    engine = makeEngine({ hostKeys, credentials: () => ({ password: PASSWORD }), keepaliveIntervalMs: 100, keepaliveCountMax: 2 });
    await engine.exec(on(b), 'true');
    const p = engine.exec(on(b), 'sleep 4').catch((e: unknown) => e);
    await waitFor(() => b.stats.activeExecs > 0);
    const t0 = Date.now();
    b.freezeConnections();
    expect(await p).toMatchObject({ code: 'SSH_CONNECTION_LOST' });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(engine.stats().connections).toBe(0);
    b.killConnections();
  });

  it('a long operation keeps its connection past the idle timeout', async () => {
    engine = makeEngine({ hostKeys, credentials: () => ({ password: PASSWORD }), idleTimeoutMs: 50 });
    expect((await engine.exec(on(a), 'sleep 0.3; echo done')).stdout).toBe('done\n');
  });

  it('a queued operation can be cancelled while it waits for a slot', async () => {
    engine = makeEngine({ hostKeys, credentials: () => ({ password: PASSWORD }), maxPerHost: 1 });
    const running = engine.exec(on(a), 'sleep 0.4');
    const ac = new AbortController();
    const queued = engine.exec(on(a), 'echo never', { signal: ac.signal });
    const cmdsBefore = a.stats.commands.length;
    setTimeout(() => ac.abort(), 50);
    await expectCode(queued, 'ABORTED', /waiting for a connection slot/);
    await running;
    expect(a.stats.commands.slice(cmdsBefore)).not.toContain('echo never');
  });

  it('dispose() closes every connection and refuses further work', async () => {
    engine = makeEngine({ hostKeys, credentials: () => ({ password: PASSWORD }), maxPerHost: 1 });
    await Promise.all([engine.exec(on(a), 'true'), engine.exec(on(b), 'true')]);
    const openA = a.stats.openConnections;
    const openB = b.stats.openConnections;
    expect(openA + openB).toBeGreaterThanOrEqual(2);
    const running = engine.exec(on(a), 'sleep 2').catch((e: unknown) => e);
    const queued = expectCode(engine.exec(on(a), 'echo queued'), 'ABORTED', /shut down/);
    await waitFor(() => a.stats.activeExecs > 0);
    await engine.dispose();
    await queued;
    expect(await running).toMatchObject({ code: 'ABORTED', message: expect.stringMatching(/shut down/) });
    await waitFor(() => a.stats.openConnections === openA - 1 && b.stats.openConnections === openB - 1);
    await expectCode(engine.exec(on(a), 'true'), 'ABORTED');
    engine = undefined;
  });
});
