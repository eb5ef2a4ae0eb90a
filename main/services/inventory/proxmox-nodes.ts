/**
 * Proxmox VE API endpoints (kind 'pve-node'). The secret (a token secret or a password) is
 * stored in the vault like everything else but never leaves this class except through
 * getWithSecret, which only the main-process Proxmox client calls; list/create return views
 * for IPC.
 */
import {
  proxmoxNodeInputSchema,
  type ProxmoxNode,
  type ProxmoxNodeFields,
  type ProxmoxNodeView,
} from '../../../shared/domain/proxmox';
import { BulwarkError, validationError } from '../../../shared/errors';
import { newId } from '../vault';
import type { RecordStore } from './types';

export const PVE_NODE_KIND = 'pve-node';

/** What Bulwark trusts for an endpoint: one certificate, or the cluster CA (with its PEM). */
export interface EndpointPin {
  sha256: string;
  caPem: string | null;
}

export function toView(node: ProxmoxNode): ProxmoxNodeView {
  const { secret, caPem, ...rest } = node;
  return { ...rest, hasSecret: secret.length > 0, pin: caPem ? 'ca' : 'certificate' };
}

export class ProxmoxNodeStore {
  private readonly now: () => number;

  constructor(
    private readonly vault: RecordStore,
    options: { now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  list(): ProxmoxNodeView[] {
    return this.rows()
      .map(toView)
      .sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
  }

  /** The checked fields of a new node, or the errors create() would throw; stores nothing. */
  validate(input: unknown): ProxmoxNodeFields {
    const r = proxmoxNodeInputSchema.safeParse(input);
    if (!r.success) throw validationError(r.error.issues);
    const key = r.data.name.toLowerCase();
    if (this.rows().some((n) => n.name.toLowerCase() === key))
      throw new BulwarkError('CONFLICT', `A Proxmox node named "${r.data.name}" already exists`, {
        name: 'is already used by another Proxmox node',
      });
    return r.data;
  }

  /** Stores a checked endpoint with the pin its first connection established. */
  create(input: unknown, pin: EndpointPin): ProxmoxNodeView {
    const { pin: _wanted, ...fields } = this.validate(input);
    const t = this.now();
    const node: ProxmoxNode = { id: newId(), ...fields, fingerprint: pin.sha256, caPem: pin.caPem, createdAt: t, updatedAt: t };
    this.vault.put(PVE_NODE_KIND, node.id, node);
    return toView(node);
  }

  /** Replaces the pin of an endpoint whose certificate changed (the user compared the new one). */
  repin(id: string, pin: EndpointPin): ProxmoxNodeView {
    const node: ProxmoxNode = { ...this.getWithSecret(id), fingerprint: pin.sha256, caPem: pin.caPem, updatedAt: this.now() };
    this.vault.put(PVE_NODE_KIND, id, node);
    return toView(node);
  }

  /** Returns how many were deleted (0 when the id was unknown, as for hosts). */
  delete(id: string): number {
    return this.vault.delete(PVE_NODE_KIND, [id]);
  }

  /** For the main-process Proxmox client only: the record including its secret. */
  getWithSecret(id: string): ProxmoxNode {
    const node = this.vault.get<ProxmoxNode>(PVE_NODE_KIND, id);
    if (!node) throw new BulwarkError('NOT_FOUND', `No Proxmox node with id ${id}`);
    return node;
  }

  private rows(): ProxmoxNode[] {
    return this.vault.list<ProxmoxNode>(PVE_NODE_KIND);
  }
}
