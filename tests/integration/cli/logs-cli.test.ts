/**
 * `bulwark logs tail` and `logs query` as child processes on one vault, against a real auth.log
 * host and a real journald host under a real attack from the attacker namespace.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type StoredLogEvent, storedLogEventSchema } from '../../../shared/domain/logs';
import { startFleet, type Fleet } from '../../fleet/fleet';
import { PASSPHRASE, type RunResult, runChild, startChild } from '../../unit/cli/harness';

const setup = inject('bulwarkFleet');

describe.skipIf(!setup)('bulwark logs tail|query on real hosts', () => {
  let fleet: Fleet;
  let dir: string;
  let env: Record<string, string>;
  const bulwark = (args: string[], stdin = ''): Promise<RunResult> => runChild(args, env, stdin);
  const ok = async (args: string[], stdin = ''): Promise<string> => {
    const r = await bulwark(args, stdin);
    if (r.code !== 0) throw new Error(`bulwark ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bulwark-logs-cli-'));
    env = { BULWARK_VAULT: join(dir, 'vault.db'), BULWARK_PASSPHRASE: PASSPHRASE };
    fleet = await startFleet({ count: 2, variant: 'mixed' });
    await ok(['vault', 'init']);
    await ok(['keys', 'import', fleet.testKey.privateKeyPath, '--name', 'fleet-login']);
    for (const h of fleet.hosts) {
      await ok(['hosts', 'add', h.name, '--address', h.address, '--user', 'admin', '--tag', 'fleet']);
      await ok(['hosts', 'set-sudo-password', h.name], `${h.adminPassword}\n`);
    }
    await ok(['ssh', 'trust', ...fleet.hosts.map((h) => h.name)]);
  }, 300_000);

  afterAll(async () => {
    await fleet?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('tail --json prints one typed event per line for each host under attack; query finds them afterwards', async () => {
    const tail = startChild(['--json', 'logs', 'tail', '--tag', 'fleet', '--kind', 'auth.failed_password', '--count', '2'], env);
    tail.child.stdin.end();
    // attack both hosts every second until tail has its two events
    let exited = false;
    void tail.done.then(() => (exited = true));
    for (let i = 0; i < 40 && !exited; i++) {
      if (/streaming/.test(tail.stderr())) await Promise.all(fleet.hosts.map((h) => fleet.attacker.tryPassword(h, 'root', `wrong-${i}`)));
      await new Promise((r) => setTimeout(r, 1000));
    }
    const r = await tail.done;
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    const events: StoredLogEvent[] = lines.map((l) => storedLogEventSchema.parse(JSON.parse(l)));
    for (const e of events) expect(e).toMatchObject({ kind: 'auth.failed_password', ip: fleet.attacker.address, user: 'root' });
    expect(r.stderr).toMatch(/fleet-0[12]: streaming (auth\.log|journald)/);

    const stored = JSON.parse(await ok(['--json', 'logs', 'query', '--kind', 'auth.failed_password', '--ip', fleet.attacker.address])) as StoredLogEvent[];
    expect(stored.length).toBeGreaterThanOrEqual(2);
    expect(new Set(stored.map((e) => e.host)).size).toBeGreaterThanOrEqual(1);
    const text = await ok(['logs', 'query', '--hosts', fleet.hosts[0]!.name, '--limit', '1']);
    expect(text).toMatch(new RegExp(`${fleet.hosts[0]!.name}  \\S+`));
  }, 120_000);

  it('names what is wrong with bad options', async () => {
    const r = await bulwark(['logs', 'query', '--kind', 'auth.nonsense']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/unknown event kind auth\.nonsense; kinds are: auth\.failed_password/);
    const t = await bulwark(['logs', 'tail']);
    expect(t.stderr).toMatch(/choose hosts with --hosts/);
  });
});
