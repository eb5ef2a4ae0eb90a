/**
 * The link cut mid-apply: the guide baseline (sshd, UFW, fail2ban: a plan that can cut access)
 * goes onto a real host through the runner with a 30 s dead-man switch; the host's link goes
 * down the moment the apply script has reported success (the switch is armed then: the script
 * arms it before writing anything), so the fresh-connection check and the rollback through the
 * open session both fail. The run must say the host rolled back by the automatic rollback; and
 * once the link is back, every file the apply touched must be byte for byte what it was, with
 * sshd and UFW as before, reached from a fresh connection.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findProfile, selectionsOf } from '../../../main/services/hardening/profiles';
import { type RunAccess, type RunHostRef, type RunResult, runHardening } from '../../../main/services/hardening/runner';
import { HostLocks, SshEngine } from '../../../main/services/ssh';
import { shellQuote } from '../../../main/services/ssh/quote';
import type { FleetHost } from '../../fleet/fleet';
import { type Bed, startBed } from './bed';

const setup = inject('bulwarkFleet');
/**
 * The switch counts from when the script arms it, before it writes, validates and reloads: the
 * baseline's script took 11.7-12.4 s on this 2-core machine under load, so 15 s would leave the
 * fresh-connection check only ~3 s before the switch fires on its own.
 */
const DEADMAN_SECONDS = 30;
/** Where state is compared besides the files the plan names: anything else the commands wrote shows here. */
const WATCHED = ['/etc/ssh', '/etc/ufw', '/etc/default/ufw', '/etc/fail2ban'];

/**
 * `iptables -S` as it filters: policies and rules, with jumps into chains that hold no rule
 * dropped. `ufw disable` (which the restore runs when UFW was off) empties UFW's chains but leaves
 * the INPUT/OUTPUT/FORWARD jumps into them; those change nothing, so they are not a difference.
 */
function effectiveFilter(rules: string): string {
  const byChain = new Map<string, string[]>();
  const policies: string[] = [];
  for (const line of rules.split('\n').filter(Boolean)) {
    const [kind, chain] = line.split(' ');
    if (kind === '-P') policies.push(line);
    else if (kind === '-N') byChain.set(chain!, byChain.get(chain!) ?? []);
    else if (kind === '-A') byChain.set(chain!, [...(byChain.get(chain!) ?? []), line]);
  }
  // iptables refuses loops between chains, so this recursion ends
  const acts = (chain: string): boolean => (byChain.get(chain) ?? []).some((rule) => !noop(rule));
  const noop = (rule: string): boolean => {
    const jump = /^-A \S+ -j (\S+)$/.exec(rule)?.[1];
    return jump !== undefined && byChain.has(jump) && !acts(jump);
  };
  return [...policies, ...[...byChain.values()].flat().filter((rule) => !noop(rule))].join('\n');
}

describe.skipIf(!setup)('link cut mid-apply: the dead-man switch restores the host by itself', () => {
  let bed: Bed;
  let h: FleetHost;
  const engines: SshEngine[] = [];

  beforeAll(async () => {
    bed = await startBed({ count: 1, variant: 'journald' });
    h = bed.fleet.hosts[0]!;
  }, 300_000);
  afterAll(async () => {
    for (const e of engines) await e.dispose();
    await bed?.close();
  });

  /** Mode, owner and sha256 of each path ("absent" when missing), and of every file under WATCHED. */
  const snapshot = async (paths: readonly string[]) => {
    const script = [
      `for f in ${paths.map(shellQuote).join(' ')}; do if [ -e "$f" ]; then printf '%s %s %s\\n' "$f" "$(stat -c '%a %U:%G' "$f")" "$(sha256sum < "$f" | cut -d' ' -f1)"; else printf '%s absent\\n' "$f"; fi; done`,
      `find ${WATCHED.join(' ')} -xdev \\( -type f -o -type l \\) -printf '%p %m %u:%g %l\\n' | sort`,
      `find ${WATCHED.join(' ')} -xdev -type f -print0 | sort -z | xargs -0 sha256sum`,
    ].join('\n');
    const r = await bed.asRoot(h, script);
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  };
  /**
   * What decides who gets in: sshd's effective config for the login Bulwark uses, UFW's status,
   * and the packet filter as it acts (see effectiveFilter).
   */
  const accessState = async () => {
    const r = await bed.asRoot(h, 'mkdir -p /run/sshd; sshd -T -C user=admin,host=x,addr=10.0.0.1 | sort; ufw status verbose; echo ---; iptables -S; echo ---; ip6tables -S');
    expect(r.code, r.stderr).toBe(0);
    const [config, v4, v6] = r.stdout.split('---\n');
    return `${config}${effectiveFilter(v4!)}\n---\n${effectiveFilter(v6!)}`;
  };

  it('rolls back by itself after the link drops between the apply and the fresh-connection check', async () => {
    const selections = selectionsOf(findProfile('guide-baseline'));
    // Bulwark's session notices a dead link after ~2 s of unanswered keepalives instead of waiting out a timeout
    const session = new SshEngine({ hostKeys: bed.hostKeys, credentials: bed.byKey, keepaliveIntervalMs: 1_000, keepaliveCountMax: 2, readyTimeoutMs: 5_000 });
    engines.push(session);
    const access: RunAccess = { engine: () => session, freshEngine: () => bed.engine(), sudoPasswordFor: () => h.adminPassword, locks: new HostLocks() };
    const hosts: RunHostRef[] = [{ name: h.name, address: h.address, port: 22, user: 'admin', jumpHost: '' }];

    const plan = await runHardening(access, hosts, { mode: 'plan', selections });
    const planned = plan.results[0]!.plan!;
    expect(planned.cutsAccess).toBe(true);
    const touched = [...new Set([...planned.files.map((f) => f.path), ...(planned.apply?.touch ?? [])])];
    expect(touched).toEqual(expect.arrayContaining(['/etc/ssh/sshd_config.d/00-bulwark.conf', '/etc/ufw/user.rules', '/etc/ufw/ufw.conf']));
    const filesBefore = await snapshot(touched);
    const accessBefore = await accessState();
    expect(accessBefore).toMatch(/^passwordauthentication yes$/m);
    expect(accessBefore).toMatch(/^Status: inactive$/m);

    const phases: string[] = [];
    let cutAt = 0;
    let applyingAt = 0;
    let r: RunResult | undefined;
    try {
      r = await runHardening(access, hosts, {
        mode: 'apply',
        selections,
        deadmanSeconds: DEADMAN_SECONDS,
        onProgress: (e) => {
          phases.push(e.phase);
          if (e.phase === 'applying') applyingAt = Date.now();
          // 'verifying' is emitted after the apply script reported success and before the fresh
          // connection starts; taking the link down synchronously here means no connection can
          // slip through first (an async cut would race the fresh login)
          if (e.phase === 'verifying' && !cutAt) {
            execFileSync('ip', ['link', 'set', h.veth, 'down']);
            cutAt = Date.now();
          }
        },
      });
    } finally {
      // the switch fires on the host whether or not the link is up; wait for it with the link down
      // so nothing but the switch can have restored the host
      if (cutAt) {
        const firesAt = cutAt + DEADMAN_SECONDS * 1000 + 2_000;
        if (Date.now() < firesAt) await new Promise((res) => setTimeout(res, firesAt - Date.now()));
      }
      await bed.fleet.restore(h.name);
    }
    const result = r!.results[0]!;
    console.log(`cut-off apply: ${result.status} after ${result.durationMs} ms (${JSON.stringify(result.timings)}); ${result.reason}`);
    expect(phases).toEqual(['queued', 'facts', 'applying', 'verifying', 'restoring', 'failed']);
    expect(result.status).toBe('rolled-back');
    expect(result.reason).toMatch(new RegExp(`^a fresh connection failed after the change: .*; the session was lost too, so the automatic rollback restores the host within ${DEADMAN_SECONDS} s`));
    expect(r!.summary.failed).toBe(1);

    // the host's own record: applied, then restored by the timer; never confirmed
    const logPath = `/var/backups/bulwark/${r!.runId}/log`;
    let log = '';
    const deadline = Date.now() + 60_000;
    while (!/^restored /m.test(log) && Date.now() < deadline) {
      try {
        log = (await bed.asRoot(h, `cat ${shellQuote(logPath)}`)).stdout;
      } catch {
        // the link just came back: ARP and the first SYN may still be on their way
      }
      if (!/^restored /m.test(log)) await new Promise((res) => setTimeout(res, 500));
    }
    expect(log).toMatch(/^applied (\S+)\nrestored (\S+)\n$/);
    // the switch was armed between 'applying' and the cut (the containers share this machine's
    // clock; the log has whole seconds), so it fired 15 s after a moment in that window
    const [, appliedAt, restoredAt] = /^applied (\S+)\nrestored (\S+)\n$/.exec(log)!;
    const restored = Date.parse(restoredAt!);
    console.log(`dead-man switch: apply started ${new Date(applyingAt).toISOString()}, script done ${appliedAt}, link cut ${new Date(cutAt).toISOString()}, restored ${restoredAt}`);
    expect(restored).toBeGreaterThanOrEqual(applyingAt + DEADMAN_SECONDS * 1000 - 1_000);
    expect(restored).toBeLessThanOrEqual(cutAt + DEADMAN_SECONDS * 1000 + 3_000);
    const timers = await bed.asRoot(h, "systemctl list-units --all --no-legend 'bulwark-rollback-*' | wc -l");
    expect(timers.stdout.trim()).toBe('0');

    // a fresh connection as Bulwark makes it; the host is as it was
    const fresh = bed.engine();
    expect((await fresh.exec({ host: h.address, user: 'admin', name: h.name }, 'echo reachable')).stdout).toBe('reachable\n');
    expect(await snapshot(touched)).toBe(filesBefore);
    expect(await accessState()).toBe(accessBefore);
    // root may log in again, as before the apply (PermitRootLogin yes is back in force)
    expect((await bed.fleet.ssh(h, 'id -u')).stdout.trim()).toBe('0');
  }, 240_000);
});
