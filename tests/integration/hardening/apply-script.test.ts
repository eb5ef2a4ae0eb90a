/**
 * The apply script on a real Debian host: the dead-man switch restores sshd by itself when
 * nobody disarms it, and stays quiet once disarmed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyScript, disarmCommand } from '../../../main/services/hardening/apply-script';
import { HostKeyStore, SshEngine, type SshTarget } from '../../../main/services/ssh';
import { Vault } from '../../../main/services/vault';
import { startFleet, type Fleet } from '../../fleet/fleet';

const setup = inject('bulwarkFleet');
const DROPIN = '/etc/ssh/sshd_config.d/00-bulwark.conf';

describe.skipIf(!setup)('apply script on a real host', () => {
  let fleet: Fleet;
  let dir: string;
  let vault: Vault;
  let engine: SshEngine;
  let target: SshTarget;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bulwark-apply-it-'));
    vault = new Vault({ path: join(dir, 'vault.db'), kdf: { N: 1024, r: 8, p: 1 } });
    vault.create('granite orbit lantern 47 meadow');
    fleet = await startFleet({ count: 1, variant: 'journald' });
    const key = readFileSync(fleet.testKey.privateKeyPath, 'utf8');
    engine = new SshEngine({ hostKeys: new HostKeyStore(vault), credentials: () => ({ keys: [{ privateKey: key }] }), keepaliveIntervalMs: 0 });
    const h = fleet.hosts[0]!;
    engine.trust(h.address, 22, (await engine.probeHostKey(h.address, 22)).key);
    target = { host: h.address, user: 'root', name: h.name };
  }, 300_000);

  afterAll(async () => {
    await engine?.dispose();
    await fleet?.stop();
    vault?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const effective = async (kw: string) => (await engine.exec(target, `sshd -T | grep -i '^${kw} '`)).stdout.trim();
  const spec = (runId: string, seconds: number) => ({
    runId,
    files: [{ path: DROPIN, content: 'PasswordAuthentication no\n', mode: 0o644 }],
    validate: ['sshd -t'],
    commands: ['systemctl reload ssh'],
    onRestore: ['systemctl reload ssh'],
    deadmanSeconds: seconds,
  });

  it('restores by itself when the switch is not disarmed', async () => {
    const t0 = Date.now();
    const r = await engine.exec(target, 'sh -s', { stdin: applyScript(spec('deadman-1', 3)).script });
    console.log(`apply with switch: ${Date.now() - t0} ms`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await effective('passwordauthentication')).toBe('passwordauthentication no');
    await new Promise((res) => setTimeout(res, 4_500));
    expect(await effective('passwordauthentication')).toBe('passwordauthentication yes');
    expect((await engine.exec(target, `test -e ${DROPIN}; echo $?`)).stdout.trim()).toBe('1');
    expect((await engine.exec(target, 'cat /var/backups/bulwark/deadman-1/log')).stdout).toMatch(/^applied .*\nrestored .*\n$/);
  }, 60_000);

  it('keeps the change once disarmed', async () => {
    expect((await engine.exec(target, 'sh -s', { stdin: applyScript(spec('deadman-2', 3)).script })).code).toBe(0);
    const t0 = Date.now();
    expect((await engine.exec(target, disarmCommand('deadman-2'))).code).toBe(0);
    console.log(`disarm: ${Date.now() - t0} ms`);
    await new Promise((res) => setTimeout(res, 4_500));
    expect(await effective('passwordauthentication')).toBe('passwordauthentication no');
    expect((await engine.exec(target, 'cat /var/backups/bulwark/deadman-2/log')).stdout).toMatch(/^applied .*\nconfirmed .*\n$/);
  }, 60_000);

  it('refuses a directive sshd rejects and leaves sshd as it was', async () => {
    const bad = { ...spec('badline-1', 30), files: [{ path: DROPIN, content: 'PasswordAuthentication maybe\n', mode: 0o644 }] };
    const r = await engine.exec(target, 'sh -s', { stdin: applyScript(bad).script });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/validation failed.*unsupported option "maybe"/i);
    expect(await effective('passwordauthentication')).toBe('passwordauthentication no');
    expect((await engine.exec(target, `cat ${DROPIN}`)).stdout).toBe('PasswordAuthentication no\n');
    expect((await engine.exec(target, 'systemctl list-timers --all --no-legend | grep -c bulwark-rollback-badline-1 || true')).stdout.trim()).toBe('0');
  }, 60_000);
});
