/**
 * External judges of Strict SSH, both Debian packages, on a real host: ssh-audit (run from this
 * machine against the host) must report no failure where the stock host has several, and
 * Lynis's SSH tests (`lynis audit system --tests-from-group ssh`, run ON the host: it reads
 * `sshd -T` there) must give a hardening index of at least 90, above the stock host's. Bulwark
 * must still get in afterwards (the fresh-connection check inside the apply proves that).
 *
 * Lynis is not on the fleet's image: its files (a shell program, no binaries) are copied from
 * this machine's package onto the host while root may still log in by key.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyOnHost } from '../../../main/services/hardening/apply-host';
import { findProfile, selectionsOf } from '../../../main/services/hardening/profiles';
import type { FleetHost } from '../../fleet/fleet';
import { type Bed, startBed } from './bed';

const setup = inject('bulwarkFleet');
const LYNIS_FILES = ['usr/sbin/lynis', 'usr/share/lynis', 'etc/lynis'];

interface LynisResult {
  index: number;
  /** `TEST|text|details` of each suggestion, e.g. `SSH-7408|Consider hardening SSH configuration|Port (set 22 to )`. */
  suggestions: string[];
}

describe.skipIf(!setup)('Strict SSH judged by ssh-audit and Lynis', () => {
  let bed: Bed;
  let h: FleetHost;
  let stock: LynisResult;

  const sshAudit = (address: string) => {
    const r = spawnSync('ssh-audit', ['-n', '-l', 'fail', address], { encoding: 'utf8', timeout: 60_000 });
    if (r.error) throw new Error(`ssh-audit is needed (bash tests/install-prereqs.sh installs it): ${r.error.message}`);
    return r.stdout;
  };

  /**
   * --no-plugins: Debian's plugin would add its package checks (libpam-tmpdir, apt-listbugs,
   * apt-listchanges, needrestart: 9 points no SSH setting earns) to the index of the SSH tests.
   * Measured on the stock host: 46 with them, 51 without. Lynis takes 25-60 s here.
   */
  const lynis = async (): Promise<LynisResult> => {
    const command = 'rm -f /var/log/lynis-report.dat; lynis audit system --tests-from-group ssh --no-plugins --quick --no-colors >/dev/null 2>&1; rc=$?; cat /var/log/lynis-report.dat || exit 99; exit $rc';
    const r = await bed.fleet.ssh(h, `sudo -S -p '' sh -c '${command}'`, { user: 'admin', input: `${h.adminPassword}\n`, timeoutMs: 240_000 });
    expect(r.code, `lynis: ${r.stderr}`).toBe(0);
    const index = /^hardening_index=(\d+)$/m.exec(r.stdout);
    expect(index, 'lynis-report.dat has no hardening_index').not.toBeNull();
    const tests = [...r.stdout.matchAll(/^tests_executed=(.*)$/gm)].map((m) => m[1]).join('|');
    expect(tests).toContain('SSH-7408');
    return { index: Number(index![1]), suggestions: [...r.stdout.matchAll(/^suggestion\[\]=(SSH-.*)$/gm)].map((m) => m[1]!) };
  };

  beforeAll(async () => {
    bed = await startBed({ count: 1, variant: 'journald' });
    h = bed.fleet.hosts[0]!;
    const tarball = execFileSync('tar', ['-C', '/', '-cz', ...LYNIS_FILES]).toString('base64');
    const copied = await bed.fleet.ssh(h, 'base64 -d | tar -C / -xz && lynis --version', { input: tarball });
    expect(copied.code, copied.stderr).toBe(0);
  }, 300_000);
  afterAll(() => bed?.close());

  it('the stock host: ssh-audit fails it and Lynis gives it a low SSH index', async () => {
    expect(sshAudit(h.address)).toMatch(/\[fail\]/);
    stock = await lynis();
    console.log(`lynis on stock Debian 12: hardening index ${stock.index}; ${stock.suggestions.length} SSH suggestions:\n  ${stock.suggestions.join('\n  ')}`);
    expect(stock.index).toBeLessThan(90);
  }, 180_000);

  it('after Strict SSH: ssh-audit has no failure and the Lynis SSH index is at least 90, above stock', async () => {
    const r = await applyOnHost(bed.access(h), selectionsOf(findProfile('strict-ssh')), 'it-judges-0001');
    console.log(`apply strict-ssh: ${JSON.stringify(r.timings)}`);
    expect(r.reason).toBeUndefined();
    expect(r.status).toBe('applied');
    expect(r.after?.filter((c) => c.check.status === 'drift').map((c) => c.id)).toEqual([]);

    const audit = sshAudit(h.address);
    console.log(audit.split('\n').filter((l) => /\[(fail|warn)\]/.test(l)).join('\n') || 'ssh-audit: no fail lines');
    expect(audit.split('\n').filter((l) => l.includes('[fail]'))).toEqual([]);

    const after = await lynis();
    console.log(`lynis after strict-ssh: hardening index ${after.index} (stock ${stock?.index}); SSH suggestions left:\n  ${after.suggestions.join('\n  ')}`);
    expect(after.index, `Lynis SSH suggestions left:\n${after.suggestions.join('\n')}`).toBeGreaterThanOrEqual(90);
    expect(after.index).toBeGreaterThan(stock.index);
  }, 300_000);
});
