/**
 * Reading the datacenter firewall, and applying a plan without locking anyone out.
 *
 * Order: IPSet entries and rules first (they only open things), then the options. Turning the
 * firewall on uses Proxmox's own safety net: `enable` with a value above 1 is stored as a
 * timestamp and reads as off again after 60 seconds unless confirmed with enable=1
 * (pve-firewall). Between the two, Bulwark checks from fresh connections that the API and SSH
 * still answer; only then does it confirm. When a check fails it rolls back through the API,
 * and when the API no longer answers it waits for the safety net to turn the firewall off and
 * then removes what it added. Every write carries the digest it was planned against where the
 * API checks one, and no write is retried.
 */
import { BulwarkError, isBulwarkError } from '../../../shared/errors';
import { z } from '../../../shared/zod';
import type { PveClient } from './client';
import { type FirewallPlan, type FwRule, type FwState, isMine } from './firewall-plan';
import { pveBool } from './schemas';

const optionsSchema = z.looseObject({ enable: z.union([z.number(), z.string()]).optional(), policy_in: z.string().optional(), policy_out: z.string().optional(), digest: z.string() });
const rulesSchema = z.array(
  z.looseObject({
    pos: z.number().int(),
    type: z.string(),
    action: z.string(),
    enable: pveBool.optional(),
    macro: z.string().optional(),
    proto: z.string().optional(),
    dport: z.union([z.string(), z.number()]).optional(),
    source: z.string().optional(),
    dest: z.string().optional(),
    iface: z.string().optional(),
    comment: z.string().optional(),
    digest: z.string(),
  }),
);
const ipsetsSchema = z.array(z.looseObject({ name: z.string(), digest: z.string().optional() }));
const ipsetEntriesSchema = z.array(z.looseObject({ cidr: z.string(), comment: z.string().optional(), digest: z.string().optional() }));

export interface FirewallRead extends FwState {
  optionsDigest: string;
  rulesDigest: string | null;
}

export async function readFirewall(c: PveClient): Promise<FirewallRead> {
  const [options, rules, ipsets] = await Promise.all([
    c.get('/cluster/firewall/options', optionsSchema),
    c.get('/cluster/firewall/rules', rulesSchema),
    c.get('/cluster/firewall/ipset', ipsetsSchema),
  ]);
  const management = ipsets.some((s) => s.name === 'management') ? (await c.get('/cluster/firewall/ipset/management', ipsetEntriesSchema)).map((e) => e.cidr) : null;
  return {
    // a timestamp (> 1) is on until the safety net turns it off; Proxmox already reads an expired one as 0
    enable: Number(options.enable ?? 0) >= 1,
    policyIn: options.policy_in ?? 'DROP',
    policyOut: options.policy_out ?? 'ACCEPT',
    optionsDigest: options.digest,
    rules: rules
      .sort((a, b) => a.pos - b.pos)
      .map((r) => ({ type: r.type, action: r.action, enable: r.enable ?? false, macro: r.macro, proto: r.proto, dport: r.dport === undefined ? undefined : String(r.dport), source: r.source, dest: r.dest, iface: r.iface, comment: r.comment, pos: r.pos })),
    rulesDigest: rules[0]?.digest ?? null,
    management,
  };
}

export interface ApplyChecks {
  /** A fresh client (new connection) for the verification call. */
  freshClient(): PveClient;
  /** A fresh SSH login to the node; rejects or returns a reason string when it fails. */
  sshCheck(): Promise<string | null>;
  /** How long to wait for the safety net when the API stopped answering (Proxmox: 60 s). */
  safetyNetMs?: number;
  onStep?: (step: string) => void;
}

export interface ApplyResult {
  outcome: 'applied' | 'rolled back' | 'reverted by the safety net';
  steps: string[];
  /** Why it was rolled back. */
  reason: string | null;
}

/** What one apply added, to take back on a rollback. */
interface Added {
  rules: FwRule[];
  cidrs: string[];
  createdIpset: boolean;
}

/** The rule as read is the one Bulwark planned or added (positions move; comment and match do not). */
const sameMineRule = (read: FwRule, r: FwRule) => isMine(read) && read.comment === r.comment && read.source === r.source && read.dport === r.dport;

const ruleParams = (r: FwRule) => ({ type: r.type, action: r.action, enable: r.enable ? 1 : 0, proto: r.proto, dport: r.dport, source: r.source, dest: r.dest, macro: r.macro, iface: r.iface, comment: r.comment });

export async function applyFirewallPlan(c: PveClient, plan: FirewallPlan, planned: FirewallRead, checks: ApplyChecks): Promise<ApplyResult> {
  if (plan.refused) throw new BulwarkError('VALIDATION', plan.refused);
  const steps: string[] = [];
  const step = (s: string) => {
    steps.push(s);
    checks.onStep?.(s);
  };
  const added: Added = { rules: [], cidrs: [], createdIpset: false };
  const turnOn = plan.options.some((o) => o.key === 'enable');
  const now = await readFirewall(c);
  if (now.optionsDigest !== planned.optionsDigest || now.rulesDigest !== planned.rulesDigest) {
    throw new BulwarkError('PVE_DIGEST_MISMATCH', 'The datacenter firewall changed since it was planned. Nothing was written; plan again.');
  }
  try {
    // 1. the management IPSet and its entries (they only let people in)
    const adds = plan.management.filter((m) => m.op === 'add');
    if (adds.length && now.management === null) {
      await c.write('POST', '/cluster/firewall/ipset', { name: 'management', comment: 'hosts allowed to reach the web UI and SSH' }, z.unknown());
      added.createdIpset = true;
      step('created the management IPSet');
    }
    for (const m of adds) {
      await c.write('POST', '/cluster/firewall/ipset/management', { cidr: m.cidr, comment: 'bulwark: web UI' }, z.unknown());
      added.cidrs.push(m.cidr);
      step(`added ${m.cidr} to the management IPSet`);
    }
    // 2. Bulwark's stale rules out (from the bottom: positions above stay put), its new rules in
    for (const r of plan.rules.filter((x) => x.op === 'remove').map((x) => x.rule).sort((a, b) => (b.pos ?? 0) - (a.pos ?? 0))) {
      const current = await readFirewall(c);
      const at = current.rules[r.pos ?? -1];
      if (!at || !sameMineRule(at, r)) throw new BulwarkError('PVE_DIGEST_MISMATCH', `The rule "${r.comment ?? ''}" moved since it was planned; stopped before removing anything else.`);
      await c.write('DELETE', `/cluster/firewall/rules/${r.pos}`, { digest: current.rulesDigest ?? undefined }, z.unknown());
      step(`removed rule "${r.comment ?? ''}"`);
    }
    for (const r of plan.rules.filter((x) => x.op === 'add').map((x) => x.rule).reverse()) {
      await c.write('POST', '/cluster/firewall/rules', ruleParams(r), z.unknown());
      added.rules.push(r);
      step(`added rule "${r.comment ?? ''}"`);
    }
    // 3. options, with the safety net armed when the firewall goes on
    const opts = await c.get('/cluster/firewall/options', optionsSchema);
    if (opts.digest !== now.optionsDigest) throw new BulwarkError('PVE_DIGEST_MISMATCH', 'The firewall options changed while applying; stopped before changing them.');
    const set: Record<string, string | number> = {};
    for (const o of plan.options) set[o.key] = o.key === 'enable' ? 2 : o.to;
    if (Object.keys(set).length) {
      await c.write('PUT', '/cluster/firewall/options', { ...set, digest: opts.digest }, z.unknown());
      step(turnOn ? 'turned the firewall on for 60 seconds (Proxmox turns it off again unless confirmed)' : `set ${Object.keys(set).join(', ')}`);
    }
  } catch (e) {
    await undo(c, added, step);
    throw e;
  }

  // 4. fresh connections must still get in
  const reason = await verify(checks);
  if (reason) {
    step(`check failed: ${reason}`);
    const how = await rollBack(c, checks, added, turnOn, now, step);
    return { outcome: how, steps, reason };
  }
  step('a fresh API call and a fresh SSH login succeeded');
  if (turnOn) {
    const o = await c.get('/cluster/firewall/options', optionsSchema);
    await c.write('PUT', '/cluster/firewall/options', { enable: 1, digest: o.digest }, z.unknown());
    step('confirmed: the firewall stays on');
  }
  return { outcome: 'applied', steps, reason: null };
}

async function verify(checks: ApplyChecks): Promise<string | null> {
  const fresh = checks.freshClient();
  try {
    await fresh.get('/cluster/firewall/options', optionsSchema);
  } catch (e) {
    return `a fresh API connection failed: ${(e as Error).message}`;
  } finally {
    await fresh.close();
  }
  try {
    return await checks.sshCheck();
  } catch (e) {
    return `a fresh SSH login failed: ${(e as Error).message}`;
  }
}

async function rollBack(c: PveClient, checks: ApplyChecks, added: Added, turnedOn: boolean, before: FirewallRead, step: (s: string) => void): Promise<ApplyResult['outcome']> {
  // through the API while it answers; the options first (that is what can lock out)
  try {
    const o = await c.get('/cluster/firewall/options', optionsSchema);
    await c.write('PUT', '/cluster/firewall/options', { enable: before.enable ? 1 : 0, policy_in: before.policyIn, policy_out: before.policyOut, digest: o.digest }, z.unknown());
    step('restored the firewall options');
    await undo(c, added, step);
    return 'rolled back';
  } catch (e) {
    if (!turnedOn || (isBulwarkError(e) && e.code === 'PVE_DIGEST_MISMATCH')) throw e;
  }
  // the API is cut off: the safety net turns the firewall off by itself
  step('the API no longer answers: waiting for Proxmox to turn the firewall off (safety net)');
  const deadline = Date.now() + (checks.safetyNetMs ?? 60_000) + 30_000;
  for (;;) {
    await new Promise((r) => setTimeout(r, 2_000));
    const probe = checks.freshClient();
    try {
      await probe.get('/cluster/firewall/options', optionsSchema);
      break;
    } catch (e) {
      if (Date.now() > deadline) throw new BulwarkError('PVE_UNREACHABLE', `The firewall change cut the API off and it did not come back after the safety net: ${(e as Error).message}. Check the node's console.`);
    } finally {
      await probe.close();
    }
  }
  step('the safety net turned the firewall off; the API answers again');
  const back = checks.freshClient();
  try {
    const o = await back.get('/cluster/firewall/options', optionsSchema);
    await back.write('PUT', '/cluster/firewall/options', { enable: 0, policy_in: before.policyIn, policy_out: before.policyOut, digest: o.digest }, z.unknown());
    await undo(back, added, step);
  } finally {
    await back.close();
  }
  return 'reverted by the safety net';
}

/** Removes what this apply added, newest first; each removal re-reads its digest. */
async function undo(c: PveClient, added: Added, step: (s: string) => void): Promise<void> {
  for (const r of [...added.rules].reverse()) {
    const current = await readFirewall(c);
    const pos = current.rules.findIndex((x) => sameMineRule(x, r));
    if (pos < 0) continue;
    await c.write('DELETE', `/cluster/firewall/rules/${pos}`, { digest: current.rulesDigest ?? undefined }, z.unknown());
    step(`removed the added rule "${r.comment ?? ''}"`);
  }
  for (const cidr of added.cidrs) {
    await c.write('DELETE', `/cluster/firewall/ipset/management/${encodeURIComponent(cidr)}`, {}, z.unknown());
    step(`removed ${cidr} from the management IPSet`);
  }
  if (added.createdIpset) {
    await c.write('DELETE', '/cluster/firewall/ipset/management', {}, z.unknown());
    step('removed the management IPSet');
  }
  added.rules = [];
  added.cidrs = [];
  added.createdIpset = false;
}
