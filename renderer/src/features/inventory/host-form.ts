import type { GuestLink, Host, HostInput } from '../../../../shared/domain/host';
import { addressProblem, hostNameProblem, jumpHostProblem, portProblem, tagProblem, usernameProblem } from '../../../../shared/domain/validators';
import type { FieldErrors } from '../../lib/errors';

export const HOST_FIELDS = ['name', 'address', 'port', 'user', 'jumpHost', 'tags', 'notes', 'loginKeyId'] as const;
export type HostField = (typeof HOST_FIELDS)[number];
export type HostFormValues = Record<HostField, string>;

export const FIELD_LABELS: Record<HostField, string> = {
  name: 'Name',
  address: 'Address',
  port: 'Port',
  user: 'User',
  jumpHost: 'Jump host',
  tags: 'Tags',
  notes: 'Notes',
  loginKeyId: 'Login key',
};

export function emptyValues(): HostFormValues {
  // loginKeyId '' = none: every vault key, then the ssh-agent
  return { name: '', address: '', port: '22', user: 'root', jumpHost: '', tags: '', notes: '', loginKeyId: '' };
}

export function valuesOf(host: Host): HostFormValues {
  return {
    name: host.name,
    address: host.address,
    port: String(host.port),
    user: host.user,
    jumpHost: host.jumpHost,
    tags: host.tags.join(', '),
    notes: host.notes,
    loginKeyId: host.loginKeyId ?? '',
  };
}

export function parseTags(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

export function isHostField(key: string): key is HostField {
  return (HOST_FIELDS as readonly string[]).includes(key);
}

/** "is required" under a field reads better as "Name is required". */
export function fieldMessage(field: HostField, message: string): string {
  return /^[a-z]/.test(message) ? `${FIELD_LABELS[field]} ${message}` : message;
}

const MAX_TAGS = 64;
const MAX_NOTES = 10_000;

/**
 * Turns the form into a HostInput and checks it with the pure validators behind main's zod
 * schema (shared/domain/validators), so each message lands under its field with main's wording.
 * Two reasons not to run the zod schema here: the preload's request check returns BAD_REQUEST
 * without per-field data, and constructing zod object schemas probes eval(), which the CSP
 * refuses and reports. `guest` is carried through so an edit keeps the Proxmox link, and
 * `loginKeyId` is always sent: hosts:update replaces the whole host, so leaving it out would
 * silently reset it to none.
 */
export function toInput(values: HostFormValues, guest: GuestLink | null): { input: HostInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const portText = values.port.trim();
  const port = portText === '' ? 22 : Number(portText);
  const tags = parseTags(values.tags).map((t) => t.toLowerCase());
  const input: HostInput = {
    // Stray spaces from copy-paste are never meaningful in these fields.
    name: values.name.trim(),
    address: values.address.trim(),
    port,
    user: values.user.trim() || 'root',
    jumpHost: values.jumpHost.trim(),
    tags,
    notes: values.notes,
    guest,
    loginKeyId: values.loginKeyId || null,
  };
  const problems: Record<HostField, string | null> = {
    name: hostNameProblem(input.name),
    address: addressProblem(input.address),
    port: portText !== '' && !/^[0-9]+$/.test(portText) ? 'must be a whole number' : portProblem(port),
    user: usernameProblem(input.user ?? ''),
    jumpHost: jumpHostProblem(input.jumpHost ?? ''),
    tags: tags.length > MAX_TAGS ? `at most ${MAX_TAGS} tags` : (tags.map(tagProblem).find((p) => p !== null) ?? null),
    notes: values.notes.length > MAX_NOTES ? 'must be at most 10,000 characters' : null,
    // chosen from the vault's keys; main refuses an id it does not know
    loginKeyId: null,
  };
  for (const field of HOST_FIELDS) {
    const problem = problems[field];
    if (problem) errors[field] = problem;
  }
  return { input, errors };
}
