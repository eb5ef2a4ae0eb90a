/**
 * One host or one key by the name the user typed (case-insensitive), or NOT_FOUND saying where
 * to look.
 */
import type { Host } from '../../shared/domain/host';
import { BulwarkError } from '../../shared/errors';
import { usageError } from './errors';
import type { SshKeyView } from '../services/keys';

export function requireHost(store: { findByName(name: string): Host | undefined }, name: string): Host {
  if (name.trim() === '') throw usageError('name the host');
  const host = store.findByName(name.trim());
  if (!host) throw new BulwarkError('NOT_FOUND', `no host named "${name}" (see "bulwark hosts list")`);
  return host;
}

export function requireKey(store: { findByName(name: string): SshKeyView | undefined }, name: string): SshKeyView {
  if (name.trim() === '') throw usageError('name the key');
  const key = store.findByName(name);
  if (!key) throw new BulwarkError('NOT_FOUND', `no key named "${name}" (see "bulwark keys list")`);
  return key;
}
