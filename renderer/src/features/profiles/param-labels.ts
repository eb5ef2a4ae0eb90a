/**
 * How parameters are named on screen. JSON Schema carries no labels, so the controls' known
 * parameters get the names people know them by (sshd's directive names where they match);
 * a parameter added later still gets a readable label from its key.
 */
import type { ParamField } from './param-schema';

const LABELS: Record<string, string> = {
  permitRootLogin: 'PermitRootLogin',
  port: 'New SSH port',
  kex: 'Key exchange algorithms',
  ciphers: 'Ciphers',
  macs: 'MACs',
  hostKeyAlgorithms: 'Host key algorithms',
  hostKeys: 'Host keys kept',
  removeSmallModuli: 'Remove DH moduli under 3072 bits',
  maxAuthTries: 'MaxAuthTries',
  loginGraceTime: 'LoginGraceTime (seconds)',
  clientAliveInterval: 'ClientAliveInterval (seconds)',
  clientAliveCountMax: 'ClientAliveCountMax',
  allowAgentForwarding: 'Allow agent forwarding',
  allowTcpForwarding: 'Allow TCP forwarding',
  sshFrom: 'SSH allowed from',
  lanCidr: 'Allow everything from the LAN',
  maxretry: 'Max retries',
  bantime: 'Ban time (seconds)',
  findtime: 'Find time (seconds)',
  allowedPorts: 'Allowed ports',
};

const HINTS: Record<string, string> = {
  port: 'Empty: sshd keeps its current port. A change is staged: the new port is opened and verified before the old one closes.',
  sshFrom: 'A CIDR such as 192.168.1.0/24, or a single address.',
  lanCidr: 'A CIDR such as 192.168.1.0/24. Empty: no LAN rule.',
  maxretry: 'Failed logins within the find time that trigger a ban.',
  allowedPorts: 'Ports not flagged, separated by commas.',
  kex: 'Must keep curve25519-sha256: Bulwark itself connects with it.',
};

/** Labels for a choice's literals ("anywhere") and its free-text option. */
const CHOICE_LABELS: Record<string, { literals?: Record<string, string>; other: string }> = {
  sshFrom: { literals: { anywhere: 'Anywhere' }, other: 'Only from an address or subnet' },
};

/** "clientAliveInterval" -> "Client alive interval". */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function paramLabel(key: string): string {
  return LABELS[key] ?? humanize(key);
}

/** The field's hint: what it is for, and what an empty value means. */
export function paramHint(field: ParamField): string | undefined {
  const known = HINTS[field.key];
  if (known) return known;
  const { spec } = field;
  if (spec.kind === 'list' && spec.item.kind !== 'enum') return 'Separate items with commas.';
  if (spec.kind === 'json') return 'JSON.';
  if (field.nullable && (spec.kind === 'string' || spec.kind === 'integer' || spec.kind === 'number')) return 'Empty: none.';
  if (field.optional && (spec.kind === 'string' || spec.kind === 'integer' || spec.kind === 'number')) return 'Empty: not set.';
  return undefined;
}

export function choiceLabel(key: string, literal: string): string {
  return CHOICE_LABELS[key]?.literals?.[literal] ?? literal;
}

export function otherLabel(key: string): string {
  return CHOICE_LABELS[key]?.other ?? 'Other value';
}
