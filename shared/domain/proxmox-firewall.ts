/**
 * The datacenter firewall step as it crosses IPC: its settings, the plan (options, rules and
 * IPSet changes as tables, and how each guarded address still gets in), and an apply's outcome.
 */
import { z } from '../zod';
import { portSchema } from './host';

export const firewallParamsSchema = z.object({
  /** The nodes' real SSH port. */
  sshPort: portSchema.default(22),
  /** Addresses or CIDRs allowed to SSH to the nodes. */
  sshFrom: z.array(z.string().max(64)).max(256),
  /** The internal network, allowed everything inbound (null: no such rule). */
  internalCidr: z.string().max(64).nullable().default(null),
  /** Addresses that must keep the web UI and SSH: added to the management IPSet. */
  webUiFrom: z.array(z.string().max(64)).max(256).default([]),
});
export type DatacenterFirewallParams = z.output<typeof firewallParamsSchema>;

export const fwRuleSchema = z.object({
  type: z.string(),
  action: z.string(),
  enable: z.boolean(),
  macro: z.string().optional(),
  proto: z.string().optional(),
  dport: z.string().optional(),
  source: z.string().optional(),
  dest: z.string().optional(),
  iface: z.string().optional(),
  comment: z.string().optional(),
  /** Position in the list as read (absent on rules to add). */
  pos: z.number().int().optional(),
});
export type FwRule = z.output<typeof fwRuleSchema>;

export const guardCheckSchema = z.object({
  address: z.string(),
  /** Why it is checked: "Bulwark" or "web UI". */
  who: z.string(),
  port: z.number().int(),
  allowed: z.boolean(),
  /** What lets it in or stops it, in words. */
  by: z.string(),
});
export type GuardCheck = z.output<typeof guardCheckSchema>;

export const firewallPlanSchema = z.object({
  options: z.array(z.object({ key: z.enum(['enable', 'policy_in', 'policy_out']), from: z.string(), to: z.string() })),
  rules: z.array(z.object({ op: z.enum(['add', 'remove', 'keep']), rule: fwRuleSchema, mine: z.boolean() })),
  management: z.array(z.object({ op: z.enum(['add', 'keep']), cidr: z.string() })),
  guard: z.array(guardCheckSchema),
  /** Why the plan must not be applied (a guarded address would be cut off); null when safe. */
  refused: z.string().nullable(),
  /** Nothing to change. */
  compliant: z.boolean(),
});
export type FirewallPlan = z.output<typeof firewallPlanSchema>;

/** A plan as shown to the user: the address it was planned for and the digests it was read at. */
export const firewallPlanViewSchema = firewallPlanSchema.extend({
  self: z.string(),
  /** The node's own subnet, which Proxmox lets reach 8006 and SSH implicitly; null when not read. */
  localNetwork: z.string().nullable(),
  digests: z.object({ options: z.string(), rules: z.string().nullable() }),
});
export type FirewallPlanView = z.output<typeof firewallPlanViewSchema>;

export const firewallApplyResultSchema = z.object({
  outcome: z.enum(['applied', 'rolled back', 'reverted by the safety net']),
  steps: z.array(z.string()),
  reason: z.string().nullable(),
  plan: firewallPlanSchema,
});
export type FirewallApplyResult = z.output<typeof firewallApplyResultSchema>;
