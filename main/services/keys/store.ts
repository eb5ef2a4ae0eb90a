/**
 * SSH keys in the vault (kind 'ssh-key').
 *
 * Storage decision: the private key is stored UNENCRYPTED (OpenSSH text, cipher "none") inside
 * the vault record. The vault's AES-256-GCM record encryption under the vault key is the
 * protection, exactly as for Proxmox token secrets; a second passphrase per key would make
 * every fleet operation prompt, and a passphrase remembered next to the key protects nothing.
 * Keys imported with a passphrase are decrypted once at import. exportPrivate() re-encrypts on
 * the way out when given a passphrase (aes256-ctr + bcrypt, 16 rounds, as ssh-keygen does).
 * The private key leaves this class only through getPrivate()/exportPrivate(), which the main
 * process calls; list()/get() return views without it.
 */
import { BulwarkError, validationError } from '../../../shared/errors';
import type { z } from '../../../shared/zod';
import type { RecordStore } from '../inventory/types';
import { newId } from '../vault';
import { fingerprintLine, parsePublicKeyLine } from './fingerprint';
import { generateKeyPair, keyPairText } from './generate';
import { importPrivateKey, readStoredKey } from './import';
import {
  exportPrivateOptionsSchema,
  generateKeyInputSchema,
  importKeyInputSchema,
  renameKeyInputSchema,
  type GenerateKeyInput,
  type ImportKeyInput,
} from '../../../shared/domain/keys';
import type { KeyPairText, KeySource, SshKeyRecord, SshKeyView } from './types';

export const SSH_KEY_KIND = 'ssh-key';

export function toKeyView(r: SshKeyRecord): SshKeyView {
  const { privateKey: _private, ...rest } = r;
  const sshType = r.publicKey.slice(0, r.publicKey.indexOf(' '));
  return { ...rest, fingerprintLine: fingerprintLine(r.bits, r.fingerprint, r.comment, sshType) };
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw validationError(r.error.issues);
  return r.data;
}

export interface ImportResult {
  key: SshKeyView;
  format: string;
  warnings: string[];
}

export class KeyStore {
  private readonly now: () => number;

  private readonly loginKeyOf: (keyId: string) => string[];

  constructor(
    private readonly vault: RecordStore,
    options: {
      now?: () => number;
      /** Names of the hosts that use the key as their login key (delete refuses those). */
      loginKeyOf?: (keyId: string) => string[];
    } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.loginKeyOf = options.loginKeyOf ?? (() => []);
  }

  /** All keys without their private halves, sorted by name (case-insensitively). */
  list(): SshKeyView[] {
    return this.rows()
      .map(toKeyView)
      .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || a.name.localeCompare(b.name));
  }

  get(id: string): SshKeyView | undefined {
    const r = this.vault.get<SshKeyRecord>(SSH_KEY_KIND, id);
    return r ? toKeyView(r) : undefined;
  }

  findByName(name: string): SshKeyView | undefined {
    const r = this.recordByName(name);
    return r ? toKeyView(r) : undefined;
  }

  findByFingerprint(fingerprint: string): SshKeyView | undefined {
    const r = this.rows().find((k) => k.fingerprint === fingerprint);
    return r ? toKeyView(r) : undefined;
  }

  /** Main process only (the SSH engine): the record including the unencrypted private key. */
  getPrivate(id: string): SshKeyRecord {
    const r = this.vault.get<SshKeyRecord>(SSH_KEY_KIND, id);
    if (!r) throw new BulwarkError('NOT_FOUND', `No SSH key with id ${id}`);
    return r;
  }

  /** Generates and stores a key. The comment defaults to "<name>@bulwark". */
  async generate(input: GenerateKeyInput): Promise<SshKeyView> {
    const o = parse(generateKeyInputSchema, input);
    this.refuseTakenName(o.name);
    const pair = await generateKeyPair({ type: o.type, comment: o.comment ?? `${o.name}@bulwark`, ...(o.bits ? { bits: o.bits } : {}) });
    // RSA generation is asynchronous: check again in the synchronous section that writes
    return this.store(o.name, pair, 'generated');
  }

  /** Imports a private key (any format importPrivateKey reads); it is stored decrypted. */
  import(input: ImportKeyInput): ImportResult {
    const o = parse(importKeyInputSchema, input);
    this.refuseTakenName(o.name);
    const imported = importPrivateKey(o.text, {
      ...(o.passphrase !== undefined ? { passphrase: o.passphrase } : {}),
      ...(o.comment !== undefined ? { comment: o.comment } : {}),
    });
    const key = this.store(o.name, imported, o.source);
    return { key, format: imported.format, warnings: imported.warnings };
  }

  rename(id: string, name: string): SshKeyView {
    const o = parse(renameKeyInputSchema, { name });
    const r = this.getPrivate(id);
    const clash = this.recordByName(o.name);
    if (clash && clash.id !== id) throw nameConflict(o.name);
    if (r.name === o.name) return toKeyView(r);
    const next: SshKeyRecord = { ...r, name: o.name, updatedAt: this.now() };
    this.vault.put(SSH_KEY_KIND, id, next);
    return toKeyView(next);
  }

  /**
   * How many were deleted (0 for an unknown id). Removing it from hosts is the fleet's job.
   * Refuses (CONFLICT) while hosts log in with it: Bulwark would lose its way in to them.
   */
  delete(id: string): number {
    const users = this.loginKeyOf(id);
    if (users.length) {
      const r = this.get(id);
      const shown = users.slice(0, 5).join(', ') + (users.length > 5 ? ` and ${users.length - 5} more` : '');
      throw new BulwarkError(
        'CONFLICT',
        `"${r?.name ?? id}" is the login key of ${users.length} host${users.length === 1 ? '' : 's'} (${shown}); give them another login key first`,
        { id: 'in use as a login key' },
      );
    }
    return this.vault.delete(SSH_KEY_KIND, [id]);
  }

  /** The `type base64 comment` line, for authorized_keys or a .pub file. */
  exportPublic(id: string): string {
    return this.getPrivate(id).publicKey;
  }

  /** OpenSSH private key text; encrypted (aes256-ctr, bcrypt, 16 rounds) when a passphrase is given. */
  exportPrivate(id: string, options: { passphrase?: string } = {}): string {
    const o = parse(exportPrivateOptionsSchema, options);
    const r = this.getPrivate(id);
    if (o.passphrase === undefined) return r.privateKey;
    const { material } = readStoredKey(r.privateKey);
    const out = keyPairText(material, r.comment, o.passphrase);
    if (!out.pair) throw new BulwarkError('INTERNAL', `The encrypted export of key "${r.name}" failed its self-test: ${out.problem}`);
    return out.pair.privateKey;
  }

  private store(name: string, pair: KeyPairText, source: KeySource): SshKeyView {
    if (pair.encrypted) throw new Error('KeyStore stores private keys decrypted');
    // normalised through the same parser authorized_keys editing uses
    const pub = parsePublicKeyLine(pair.publicKey);
    this.refuseTakenName(name);
    const same = this.rows().find((k) => k.fingerprint === pub.fingerprint);
    if (same) {
      throw new BulwarkError('CONFLICT', `This key is already stored as "${same.name}" (${same.fingerprint})`, {
        text: `already stored as "${same.name}"`,
      });
    }
    const t = this.now();
    const record: SshKeyRecord = {
      id: newId(),
      name,
      type: pair.type,
      bits: pair.bits,
      publicKey: pair.publicKey,
      fingerprint: pair.fingerprint,
      privateKey: pair.privateKey,
      comment: pair.comment,
      source,
      createdAt: t,
      updatedAt: t,
    };
    this.vault.put(SSH_KEY_KIND, record.id, record);
    return toKeyView(record);
  }

  private refuseTakenName(name: string): void {
    if (this.recordByName(name)) throw nameConflict(name);
  }

  private recordByName(name: string): SshKeyRecord | undefined {
    const key = name.toLowerCase();
    return this.rows().find((k) => k.name.toLowerCase() === key);
  }

  private rows(): SshKeyRecord[] {
    return this.vault.list<SshKeyRecord>(SSH_KEY_KIND);
  }
}

function nameConflict(name: string): BulwarkError {
  return new BulwarkError('CONFLICT', `A key named "${name}" already exists`, {
    name: 'is already used by another key (names are case-insensitive)',
  });
}
