/**
 * The apply script on a real Debian host: the dead-man switch restores sshd by itself when
 * nobody disarms it, and stays quiet once disarmed.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyScript, disarmCommand } from '../../../main/services/hardening/apply-script';
import type { SshEngine, SshTarget } from '../../../main/services/ssh';
import { type Bed, startBed } from './bed';

const setup = inject('bulwarkFleet');
const DROPIN = '/etc/ssh/sshd_config.d/00-bulwark.conf';

describe.skipIf(!setup)('apply script on a real host', () => {
  let bed: Bed;
  let engine: SshEngine;
  let target: SshTarget;

  beforeAll(async () => {
    bed = await startBed({ count: 1, variant: 'journald' });
    engine = bed.engine();
    const h = bed.fleet.hosts[0]!;
    target = { host: h.address, user: 'root', name: h.name };
  }, 300_000);
  afterAll(() => bed?.close());

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
