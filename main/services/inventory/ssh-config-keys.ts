/**
 * The ssh_config import with keys: each host's IdentityFiles are expanded, each file is read
 * once however many hosts name it, its key goes into the vault (or the stored key with the same
 * fingerprint is reused), and the first IdentityFile whose key is in the vault becomes the
 * host's login key, as ssh would offer it first.
 *
 * It runs in two steps so a caller can ask for passphrases in between without reading a file
 * twice: prepareSshConfigImport() parses the config and reads every key file without writing
 * anything; unlock() decrypts the encrypted ones it has a passphrase for; apply() writes the keys
 * and the hosts in one vault transaction and returns the report. Passphrases are used once and
 * never kept (the vault stores keys decrypted, see keys/store.ts).
 *
 * When no IdentityFile is given, ssh tries ~/.ssh/id_* on its own; those are not imported: the
 * config never named them, and a host without a login key already tries every vault key and then
 * the agent. Files ending in .pub are read like any other and reported as public keys.
 */
import { homedir, userInfo } from 'node:os';
import { basename, join } from 'node:path';
import type { SshConfigImportReport } from '../../../shared/domain/ssh-config-import';
import { HOST_NAME_PATTERN } from '../../../shared/domain/validators';
import { isBulwarkError } from '../../../shared/errors';
import { fingerprintOf } from '../keys/fingerprint';
import { importPrivateKey, type ImportedKey } from '../keys/import';
import { readOpenSshEnvelope } from '../keys/openssh-private';
import type { KeyStore } from '../keys/store';
import type { HostStore } from './hosts';
import { nodeKeyFiles, type KeyFileReader } from './key-files';
import { expandIdentityFile, type ExpandedIdentity, type IdentityContext } from './ssh-config-identity';
import { parseSshConfig, type SshConfigEntry, type SshConfigImportOptions } from './ssh-config-import';
import type { RecordStore } from './types';

export interface SshConfigKeysOptions extends SshConfigImportOptions {
  /** Defaults to nodeKeyFiles(). */
  keyFiles?: KeyFileReader;
  /** %u; defaults to the local login name. */
  localUser?: string;
  /** For ${VAR} in IdentityFile; defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface SshConfigStores {
  hosts: HostStore;
  keys: KeyStore;
  /** For the one transaction that writes keys and hosts together. */
  vault: Pick<RecordStore, 'transaction'>;
}

/** What became of one key file. `locked` = encrypted and not (yet) opened. */
type FileState =
  | { kind: 'failed'; reason: string; warnings: string[] }
  | { kind: 'stored'; fingerprint: string; warnings: string[] }
  | { kind: 'ready'; key: ImportedKey; warnings: string[] }
  | { kind: 'locked'; text: string; wrong: boolean; warnings: string[] };

export type UnlockOutcome = 'imported' | 'wrong-passphrase' | 'failed' | 'not-needed';

export interface PreparedSshConfigImport {
  /** Encrypted key files still waiting for a passphrase, in the order the config names them. */
  needPassphrase(): string[];
  /** Tries `passphrase` on the encrypted file at `path`; a wrong one leaves it waiting. */
  unlock(path: string, passphrase: string): UnlockOutcome;
  /** Writes keys and hosts (one transaction) and reports. */
  apply(): SshConfigImportReport;
}

export function prepareSshConfigImport(stores: SshConfigStores, text: string, options: SshConfigKeysOptions = {}): PreparedSshConfigImport {
  const parsed = parseSshConfig(text, options);
  const home = options.home ?? homedir();
  const ctx = {
    home,
    baseDir: options.baseDir ?? join(home, '.ssh'),
    localUser: options.localUser ?? localLoginName(),
    uid: process.getuid?.(),
    env: options.env ?? process.env,
  };
  const defaultUser = (e: SshConfigEntry) => String((e.defaults ?? {}).user ?? 'root');
  const identities = new Map<SshConfigEntry, ExpandedIdentity[]>(
    parsed.entries.map((e) => [e, e.identityFiles.map((raw) => expandIdentityFile(raw, { ...ctx, ...hostTokens(e, defaultUser(e)) }))]),
  );

  // every file once, in the order ssh would meet them
  const files = new Map<string, FileState>();
  const reader = options.keyFiles ?? nodeKeyFiles();
  for (const list of identities.values()) {
    for (const id of list) if ('path' in id && !files.has(id.path)) files.set(id.path, readKey(id.path, reader, stores.keys));
  }

  return {
    needPassphrase: () => [...files].filter(([, s]) => s.kind === 'locked' && !s.wrong).map(([p]) => p),
    unlock(path, passphrase) {
      const state = files.get(path);
      if (state?.kind !== 'locked') return 'not-needed';
      const next = decrypt(state, passphrase);
      files.set(path, next);
      return next.kind === 'ready' ? 'imported' : next.kind === 'locked' ? 'wrong-passphrase' : 'failed';
    },
    apply: () => stores.vault.transaction(() => applyImport(stores, parsed.skipped, identities, files)),
  };
}

/** The tokens that differ per host (see ssh-config-identity.ts). */
function hostTokens(e: SshConfigEntry, defaultUser: string): Pick<IdentityContext, 'alias' | 'hostName' | 'remoteUser' | 'port'> {
  const input = e.input as { name: string; address?: string; user?: string; port?: number };
  return {
    alias: input.name,
    hostName: input.address ?? input.name.toLowerCase(),
    remoteUser: input.user ?? defaultUser,
    port: input.port ?? 22,
  };
}

function readKey(path: string, reader: KeyFileReader, keys: KeyStore): FileState {
  const file = reader.read(path);
  if (!file.ok) return { kind: 'failed', reason: file.reason, warnings: [] };
  // An OpenSSH file carries its public key unencrypted: a key already in the vault is
  // recognised without its passphrase, so re-importing an encrypted key asks for nothing.
  const known = peekFingerprint(file.text);
  if (known && keys.findByFingerprint(known)) return { kind: 'stored', fingerprint: known, warnings: file.warnings };
  return parseKey(file.text, undefined, file.warnings);
}

function decrypt(state: Extract<FileState, { kind: 'locked' }>, passphrase: string): FileState {
  return parseKey(state.text, passphrase, state.warnings);
}

function parseKey(text: string, passphrase: string | undefined, warnings: string[]): FileState {
  try {
    const key = importPrivateKey(text, passphrase === undefined ? {} : { passphrase });
    return { kind: 'ready', key, warnings: [...warnings, ...key.warnings] };
  } catch (e) {
    if (isBulwarkError(e) && e.code === 'KEY_PASSPHRASE_REQUIRED') return { kind: 'locked', text, wrong: false, warnings };
    if (isBulwarkError(e) && e.code === 'KEY_WRONG_PASSPHRASE') return { kind: 'locked', text, wrong: true, warnings };
    // one unreadable file must not stop the hosts or the other keys; its reason is reported
    const reason = isBulwarkError(e) ? e.message : `cannot be read: ${(e as Error).message}`;
    return { kind: 'failed', reason, warnings };
  }
}

function peekFingerprint(text: string): string | null {
  const block = /-----BEGIN OPENSSH PRIVATE KEY-----[\s\S]*?-----END OPENSSH PRIVATE KEY-----/.exec(text);
  if (!block) return null;
  const env = readOpenSshEnvelope(block[0]);
  return typeof env === 'string' ? null : fingerprintOf(env.publicBlobs[0]!);
}

function applyImport(
  stores: SshConfigStores,
  parserSkipped: SshConfigImportReport['skipped'],
  identities: Map<SshConfigEntry, ExpandedIdentity[]>,
  files: Map<string, FileState>,
): SshConfigImportReport {
  const keys: SshConfigImportReport['keys'] = { imported: [], reused: [], needPassphrase: [], failed: [], warnings: [], linked: [] };
  const taken = new Set(stores.keys.list().map((k) => k.name.toLowerCase()));
  const keyAt = new Map<string, { id: string; name: string }>();

  for (const [path, state] of files) {
    for (const message of state.warnings) keys.warnings.push({ path, message });
    if (state.kind === 'failed') keys.failed.push({ path, reason: state.reason });
    else if (state.kind === 'locked' && state.wrong) keys.failed.push({ path, reason: 'wrong passphrase' });
    else if (state.kind === 'locked') keys.needPassphrase.push(path);
    else {
      const fingerprint = state.kind === 'stored' ? state.fingerprint : state.key.fingerprint;
      // also catches one key at two paths (a copy, a symlink) within this import
      const existing = stores.keys.findByFingerprint(fingerprint);
      if (existing) {
        keys.reused.push({ path, name: existing.name });
        keyAt.set(path, existing);
      } else if (state.kind === 'ready') {
        const name = uniqueName(keyNameFor(path), taken);
        const { key } = stores.keys.import({ name, text: state.key.privateKey, source: 'ssh-config' });
        keys.imported.push({ path, name: key.name, fingerprint: key.fingerprint });
        keyAt.set(path, key);
      }
    }
  }
  const failedRaw = new Set<string>();
  const entries = [...identities].map(([entry, ids]) => {
    for (const [i, id] of ids.entries()) {
      const raw = entry.identityFiles[i]!;
      if ('problem' in id && !failedRaw.has(raw)) {
        failedRaw.add(raw);
        keys.failed.push({ path: raw, reason: `IdentityFile ${id.problem}` });
      }
    }
    const first = ids.find((id): id is { path: string } => 'path' in id && keyAt.has(id.path));
    if (!first) return { entry, link: null };
    const key = keyAt.get(first.path)!;
    return { entry: { ...entry, input: { ...(entry.input as object), loginKeyId: key.id } }, link: { key: key.name, path: first.path } };
  });

  const hostReport = stores.hosts.upsertMany(entries.map((e) => e.entry));
  // a host the store refused (invalid values) is not linked to anything
  const refused = new Set(hostReport.skipped.filter((s) => s.reason !== 'unchanged').map((s) => s.name.toLowerCase()));
  for (const { entry, link } of entries) {
    const host = (entry.input as { name: string }).name;
    if (link && !refused.has(host.toLowerCase())) keys.linked.push({ host, ...link });
  }
  return { ...hostReport, skipped: [...parserSkipped, ...hostReport.skipped], keys };
}

/** The file name as a vault key name: "id_ed25519" stays, anything outside the name alphabet becomes "-". */
export function keyNameFor(path: string): string {
  const cleaned = basename(path)
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 56);
  return HOST_NAME_PATTERN.test(cleaned) ? cleaned : 'key';
}

/** "name", else "name-2", "name-3"... (names are unique case-insensitively). */
function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}-${n}`;
  taken.add(name.toLowerCase());
  return name;
}

function localLoginName(): string {
  try {
    return userInfo().username;
  } catch {
    // no passwd entry (some containers): what the shell says
    return process.env.USER ?? '';
  }
}
