/**
 * What a control is: checks and plans are pure functions of a host's facts, so a plan touches
 * nothing and every rule is testable without a host. Applying is generic (apply-script.ts).
 */
import type { z } from '../../../shared/zod';
import type { HostFacts } from './facts';

export type CheckStatus = 'compliant' | 'drift' | 'not-applicable' | 'unknown';

export interface CheckResult {
  status: CheckStatus;
  /** What the status rests on, in words a person checks against the host ("sshd -T: passwordauthentication yes"). */
  evidence: string[];
}

/** How Bulwark itself is logged in to the host right now. */
export interface LoginFacts {
  user: string;
  port: number;
  /** The method the target hop authenticated with. */
  method: 'publickey' | 'agent' | 'password' | 'keyboard-interactive';
  /** Host key types Bulwark has pinned for this host ('ssh-ed25519', ...): it can verify only those. */
  pinnedKeyTypes: string[];
  /** Inventory hosts that reach SSH through this one (ProxyJump): forwarding must stay open for them. */
  jumpFor?: string[];
}

export interface ControlContext {
  facts: HostFacts;
  login: LoginFacts;
}

export interface ControlPlan {
  /** sshd settings for Bulwark's drop-in (keywords as sshd_config(5) spells them). */
  sshd: Map<string, string>;
  /** Other whole files this control owns: path -> new content (null: delete). */
  files: Array<{ path: string; content: string | null; mode?: number; owner?: string; group?: string }>;
  /** Files the commands change: backed up before and put back by a rollback. */
  touch: string[];
  validate: string[];
  commands: string[];
  /** Run after the commands, still inside the apply (e.g. `fail2ban-client status sshd`); a failure restores. */
  verify: string[];
  onRestore: string[];
  /** The change can cut Bulwark's access: arm the dead-man switch and verify from a fresh connection. */
  cutsAccess: boolean;
  notes: string[];
  /** Set when the control must not run on this host; nothing of the plan is applied. */
  refused?: { reason: string; fix: string };
}

export interface Control<P extends object = object> {
  id: string;
  title: string;
  /** Why, from the guide. */
  reason: string;
  params: z.ZodType<P>;
  /** 'check' controls only audit (exposure, containers). */
  kind: 'change' | 'check';
  check(ctx: ControlContext, params: P): CheckResult;
  plan(ctx: ControlContext, params: P): ControlPlan;
}

export function emptyPlan(): ControlPlan {
  return { sshd: new Map(), files: [], touch: [], validate: [], commands: [], verify: [], onRestore: [], cutsAccess: false, notes: [] };
}

/** `sshd -T` value of a keyword ("" when sshd -T did not run or does not print it). */
export function sshdValue(facts: HostFacts, keyword: string): string {
  return facts.sshd.effective.get(keyword.toLowerCase())?.[0] ?? '';
}

/**
 * Effective `sshd -T` values against wanted ones: whether any differs, and one evidence line
 * per keyword. `normal` maps both sides to a comparable spelling (sshd -T prints some values
 * differently from sshd_config).
 */
export function compareSshd(facts: HostFacts, wanted: ReadonlyMap<string, string>, normal: (keyword: string, v: string) => string = (_k, v) => v): { drift: boolean; evidence: string[] } {
  const evidence: string[] = [];
  let drift = false;
  for (const [k, v] of wanted) {
    const raw = sshdValue(facts, k);
    const ok = normal(k, raw) === normal(k, v);
    if (!ok) drift = true;
    const shown = raw.length > 80 ? `${raw.slice(0, 77)}...` : raw || '(not shown)';
    const want = v.length > 80 ? 'the strict value' : v;
    evidence.push(`sshd -T: ${k.toLowerCase()} ${shown}${ok ? '' : ` (want ${want})`}`);
  }
  return { drift, evidence };
}
