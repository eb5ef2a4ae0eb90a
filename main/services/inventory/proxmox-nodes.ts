/**
 * Proxmox VE API endpoints (kind 'pve-node'). The token secret is stored in the vault like
 * everything else but never leaves this class except through getWithSecret, which only the
 * main-process Proxmox client calls; list/create return views for IPC.
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

export function toView(node: ProxmoxNode): ProxmoxNodeView {
  const { tokenSecret, ...rest } = node;
  return { ...rest, hasSecret: tokenSecret.length > 0 };
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

  create(input: unknown): ProxmoxNodeView {
    const fields = this.validate(input);
    const t = this.now();
    const node: ProxmoxNode = { id: newId(), ...fields, createdAt: t, updatedAt: t };
    this.vault.put(PVE_NODE_KIND, node.id, node);
    return toView(node);
  }

  /** Returns how many were deleted (0 when the id was unknown, as for hosts). */
  delete(id: string): number {
    return this.vault.delete(PVE_NODE_KIND, [id]);
  }

  /** For the main-process Proxmox client only: the record including the token secret. */
  getWithSecret(id: string): ProxmoxNode {
    const node = this.vault.get<ProxmoxNode>(PVE_NODE_KIND, id);
    if (!node) throw new BulwarkError('NOT_FOUND', `No Proxmox node with id ${id}`);
    return node;
  }

  private rows(): ProxmoxNode[] {
    return this.vault.list<ProxmoxNode>(PVE_NODE_KIND);
  }
}
