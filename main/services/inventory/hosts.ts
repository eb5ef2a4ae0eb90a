/**
 * The host inventory over the vault (kind 'host'). Names are unique case-insensitively because
 * they double as ssh_config aliases and Ansible inventory names, and users type them in either
 * case on the command line.
 */
import type { Host, HostFields, ImportReport } from '../../../shared/domain/host';
import { BulwarkError } from '../../../shared/errors';
import { newId } from '../vault';
import {
  HOST_KIND,
  claimedName,
  fieldsOf,
  issuesToReason,
  nameConflict,
  parseHostInput,
  requireHostInput,
  sameFields,
} from './host-fields';
import { HostIndex } from './host-index';
import { HOST_SECRET_KIND } from './host-secrets';
import type { ImportEntry, RecordStore } from './types';

/** The vault kind of SSH keys (owned by services/keys; named here to check login-key links). */
const SSH_KEY_KIND = 'ssh-key';

export interface HostSelection {
  names?: string[];
  tag?: string;
}

export class HostStore {
  private readonly index = new HostIndex();
  private readonly now: () => number;

  constructor(
    private readonly vault: RecordStore,
    options: { now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
    vault.onStateChange?.((state) => {
      if (state !== 'unlocked') this.index.clear();
    });
  }

  /** All hosts, sorted by name. */
  list(): Host[] {
    return this.index.sorted(this.rows());
  }

  get(id: string): Host | undefined {
    const h = this.vault.get<Host>(HOST_KIND, id);
    return h && withDefaults(h);
  }

  findByName(name: string): Host | undefined {
    const key = name.toLowerCase();
    return this.rows().find((h) => h.name.toLowerCase() === key);
  }

  create(input: unknown): Host {
    const fields = requireHostInput(input);
    if (this.findByName(fields.name)) throw nameConflict(fields.name);
    this.requireLoginKey(fields);
    const t = this.now();
    const host: Host = { id: newId(), ...fields, createdAt: t, updatedAt: t };
    this.vault.put(HOST_KIND, host.id, host);
    return host;
  }

  /** Replaces every field of host `id` (the form sends the whole host). */
  update(id: string, input: unknown): Host {
    const fields = requireHostInput(input);
    const prior = this.get(id);
    if (!prior) throw new BulwarkError('NOT_FOUND', `No host with id ${id}`);
    const clash = this.findByName(fields.name);
    if (clash && clash.id !== id) throw nameConflict(fields.name);
    this.requireLoginKey(fields);
    const host: Host = { ...fields, id, createdAt: prior.createdAt, updatedAt: this.now() };
    this.vault.put(HOST_KIND, id, host);
    return host;
  }

  /** Deletes the hosts and their secrets (sudo passwords) together. */
  delete(ids: string[]): number {
    return this.vault.transaction(() => {
      this.vault.delete(HOST_SECRET_KIND, ids);
      return this.vault.delete(HOST_KIND, ids);
    });
  }

  /** Hosts whose login key is `keyId` (deleting that key would cut Bulwark off from them). */
  usingLoginKey(keyId: string): Host[] {
    return this.list().filter((h) => h.loginKeyId === keyId);
  }

  /**
   * Hosts matching every whitespace-separated term of `query` (case-insensitive substring of
   * name, address, user, tags, notes or jump host). An empty query returns every host.
   */
  search(query: string): Host[] {
    return this.index.search(this.rows(), query);
  }

  selectByTag(tag: string): Host[] {
    const t = tag.trim().toLowerCase();
    return this.list().filter((h) => h.tags.includes(t));
  }

  /**
   * The hosts a fleet command acts on: the union of the named hosts and those carrying `tag`.
   * Refuses an empty selection rather than meaning "everything", and refuses unknown names or
   * an unused tag, because a typo must not silently shrink what a command touches.
   */
  select(selection: HostSelection): Host[] {
    const names = selection.names ?? [];
    if (names.length === 0 && selection.tag === undefined)
      throw new BulwarkError('BAD_REQUEST', 'Select hosts by name or by tag');
    const hosts = this.list();
    const byName = new Map(hosts.map((h) => [h.name.toLowerCase(), h]));
    const unknown = names.filter((n) => !byName.has(n.toLowerCase()));
    if (unknown.length)
      throw new BulwarkError('NOT_FOUND', `Unknown host${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, {
        names: `unknown: ${unknown.join(', ')}`,
      });
    const picked = new Set(names.map((n) => byName.get(n.toLowerCase())!.id));
    if (selection.tag !== undefined) {
      const tag = selection.tag.trim().toLowerCase();
      const tagged = hosts.filter((h) => h.tags.includes(tag));
      if (tagged.length === 0)
        throw new BulwarkError('NOT_FOUND', `No host is tagged "${tag}"`, { tag: `no host is tagged "${tag}"` });
      for (const h of tagged) picked.add(h.id);
    }
    return hosts.filter((h) => picked.has(h.id));
  }

  /**
   * Adds or updates hosts by name in ONE vault transaction. An existing host keeps every field
   * the entry does not state (so an ssh_config import never wipes tags set in Bulwark);
   * `defaults` only fill new hosts. Identical results are skipped as 'unchanged'.
   */
  upsertMany(entries: ImportEntry[]): ImportReport {
    const report: ImportReport = { added: [], updated: [], skipped: [] };
    const byName = new Map(this.rows().map((h) => [h.name.toLowerCase(), h]));
    const firstSeen = new Map<string, string>();
    const writes: { id: string; value: Host }[] = [];
    const t = this.now();

    for (const entry of entries) {
      const name = claimedName(entry.input);
      const key = name.toLowerCase();
      const earlier = firstSeen.get(key);
      if (earlier !== undefined) {
        report.skipped.push({ name, reason: `duplicate name: already imported from ${earlier} (${entry.source})` });
        continue;
      }
      const prior = byName.get(key);
      const stated = entry.input && typeof entry.input === 'object' ? entry.input : {};
      // Matching is by name, so the name is the key rather than a field: an existing host keeps
      // its spelling ("Web1" stays "Web1" when a file says "web1").
      const parsed = parseHostInput(
        prior ? { ...fieldsOf(prior), ...stated, name: prior.name } : { ...entry.defaults, ...stated },
      );
      if (!parsed.ok) {
        report.skipped.push({ name, reason: `${issuesToReason(parsed.issues)} (${entry.source})` });
        continue;
      }
      const fields: HostFields = parsed.fields;
      if (fields.loginKeyId !== null && !this.vault.get(SSH_KEY_KIND, fields.loginKeyId)) {
        report.skipped.push({ name, reason: `loginKeyId: no SSH key with id ${fields.loginKeyId} (${entry.source})` });
        continue;
      }
      firstSeen.set(key, entry.source);
      if (!prior) {
        const id = newId();
        writes.push({ id, value: { ...fields, id, createdAt: t, updatedAt: t } });
        report.added.push(fields.name);
      } else if (sameFields(fieldsOf(prior), fields)) {
        report.skipped.push({ name: fields.name, reason: 'unchanged' });
      } else {
        writes.push({ id: prior.id, value: { ...fields, id: prior.id, createdAt: prior.createdAt, updatedAt: t } });
        report.updated.push(fields.name);
      }
    }

    if (writes.length) {
      this.vault.transaction(() => this.vault.putMany(HOST_KIND, writes));
    }
    return report;
  }

  private requireLoginKey(fields: HostFields): void {
    if (fields.loginKeyId !== null && !this.vault.get(SSH_KEY_KIND, fields.loginKeyId)) {
      throw new BulwarkError('VALIDATION', `No SSH key with id ${fields.loginKeyId}`, { loginKeyId: 'is not a key in the vault' });
    }
  }

  private rows(): Host[] {
    if (this.vault.state() !== 'unlocked') this.index.clear();
    const rows = this.vault.list<Host>(HOST_KIND);
    return rows.some((h) => h.loginKeyId === undefined) ? rows.map(withDefaults) : rows;
  }
}

/** Fills fields added after a record was written (records are never rewritten just for that). */
function withDefaults(h: Host): Host {
  return h.loginKeyId === undefined ? { ...h, loginKeyId: null } : h;
}
