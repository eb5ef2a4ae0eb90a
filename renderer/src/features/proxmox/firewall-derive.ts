/**
 * The datacenter firewall panel's pure parts: the form's text turned into a pve:firewallPlan
 * request (with the errors the form can catch before asking main), and the texts and table
 * cells for a plan, an apply's outcome and its errors.
 */
import type { DatacenterFirewallParams, FirewallApplyResult, FirewallPlanView, FwRule } from '../../../../shared/domain/proxmox-firewall';
import type { FieldErrors } from '../../lib/errors';

/** The form as typed: lists are free text, comma or newline separated. */
export interface FirewallDraft {
  sshFrom: string;
  sshPort: string;
  internalCidr: string;
  webUiFrom: string;
  /** Bulwark's address as the node sees it; empty: the API connection's own local address. */
  self: string;
  /** The inventory host that is this node, logged into before the firewall is kept on. */
  sshHostId: string;
}

export const EMPTY_FIREWALL_DRAFT: FirewallDraft = { sshFrom: '', sshPort: '22', internalCidr: '', webUiFrom: '', self: '', sshHostId: '' };

/** What pve:firewallPlan takes besides the endpoint id; apply sends the same. */
export interface FirewallRequest {
  params: DatacenterFirewallParams;
  self?: string;
}

/** Addresses or CIDRs separated by commas, spaces or newlines; blanks and repeats dropped. */
export function parseAddressList(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).filter((item) => item.length > 0))];
}

/**
 * The request for a draft, or the errors by field name when it cannot be sent. Only what main
 * cannot say better is checked here (nothing listed, a port that is not a number); the
 * addresses themselves are validated by main, whose field errors the form shows the same way.
 */
export function buildFirewallRequest(draft: FirewallDraft): { request: FirewallRequest | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const sshFrom = parseAddressList(draft.sshFrom);
  if (sshFrom.length === 0) errors.sshFrom = 'List at least one address or CIDR allowed to SSH to the nodes.';
  const port = Number(draft.sshPort.trim() || '22');
  if (!Number.isInteger(port) || port < 1 || port > 65535) errors.sshPort = 'A port from 1 to 65535.';
  if (Object.keys(errors).length > 0) return { request: null, errors };
  const internalCidr = draft.internalCidr.trim();
  const self = draft.self.trim();
  const params: DatacenterFirewallParams = { sshPort: port, sshFrom, internalCidr: internalCidr || null, webUiFrom: parseAddressList(draft.webUiFrom) };
  return { request: self ? { params, self } : { params }, errors };
}

/** Why Apply cannot be pressed for this plan, or null when it can. */
export function applyBlocker(plan: FirewallPlanView, sshHostId: string): string | null {
  if (plan.refused) return 'The plan is refused: change the settings and plan again.';
  if (!sshHostId) return 'Choose the inventory host that is this node: Bulwark logs into it before keeping the firewall on.';
  return null;
}

/** The cells of a rules-table row: DIR, ACTION, PROTO, PORT, SOURCE, COMMENT. */
export function ruleCells(rule: FwRule): [string, string, string, string, string, string] {
  // a macro (e.g. "SSH") stands for its protocol and port
  const proto = rule.macro ? `macro ${rule.macro}` : (rule.proto ?? 'any');
  return [rule.type, rule.enable ? rule.action : `${rule.action} (off)`, proto, rule.dport ?? 'any', rule.source ?? 'any', rule.comment ?? ''];
}

export const RULE_OP_MARK = { add: '+', remove: '−', keep: '' } as const;

/** The outcome of an apply in one sentence, with its reason when it did not stay on. */
export function outcomeText(result: Pick<FirewallApplyResult, 'outcome' | 'reason'>): string {
  const why = result.reason ? `: ${result.reason}` : '.';
  switch (result.outcome) {
    case 'applied':
      return 'Applied: the firewall is on, and a fresh API call and SSH login to the node both succeeded.';
    case 'rolled back':
      return `Rolled back: the firewall was turned off again and Bulwark's additions taken back${why}`;
    case 'reverted by the safety net':
      return `Reverted by Proxmox's 60-second safety net (the API stopped answering), then cleaned up${why}`;
  }
}

/** A failed plan or apply in words; a stale plan says what to do about it. */
export function firewallErrorText(error: { code?: string; message: string }): string {
  if (error.code === 'PVE_DIGEST_MISMATCH') return `The firewall changed since this plan; plan again. (${error.message})`;
  return error.message;
}
