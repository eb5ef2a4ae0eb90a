/**
 * Host selection shared by every command that acts on hosts (`--hosts a,b`, `--tag T`).
 */
import type { Host } from '../../shared/domain/host';
import { usageError } from './errors';

export interface HostSelection {
  /** Comma-separated inventory names, e.g. "pve1,web-2" (case-insensitive). */
  hosts?: string | undefined;
  /** A tag; every host carrying it is selected. */
  tag?: string | undefined;
}

/** The part of HostStore that selection needs. */
export interface HostSelector {
  select(selection: { names?: string[]; tag?: string }): Host[];
}

export function parseNameList(names: string): string[] {
  return [...new Set(names.split(',').map((n) => n.trim()).filter((n) => n !== ''))];
}

/**
 * The named hosts plus every host tagged `tag` (union, each host once, sorted by name).
 * Never an empty or accidental selection: giving neither is a usage error, unknown names
 * (all listed) and a tag no host carries are NOT_FOUND, so a typo can neither shrink what a
 * command touches nor widen it to everything.
 */
export function selectHosts(store: HostSelector, selection: HostSelection): Host[] {
  const names = selection.hosts !== undefined ? parseNameList(selection.hosts) : [];
  const tag = selection.tag?.trim();
  if (names.length === 0 && !tag) throw usageError('choose hosts with --hosts NAME[,NAME...] and/or --tag TAG');
  return store.select(tag ? { names, tag } : { names });
}
