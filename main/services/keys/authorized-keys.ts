/**
 * authorized_keys as a list of lines that round-trips byte for byte: editing touches only the
 * lines it adds or removes. Keys are matched by their blob (the decoded base64), never by
 * options or comment, so a key present as `from="..." ssh-ed25519 AAAA... old comment` is
 * the same key as `ssh-ed25519 AAAA... new comment`.
 */
import { keyInvalid } from './errors';
import { advancePastOptions, parseOptions, type AuthorizedKeyOption } from './authorized-keys-options';
import { FINGERPRINT_PATTERN, decodeBase64Blob, describeBlob, fingerprintOf } from './fingerprint';

export type { AuthorizedKeyOption } from './authorized-keys-options';

export type AuthorizedKeysLineKind = 'key' | 'comment' | 'blank' | 'invalid';

export interface AuthorizedKeyEntry {
  /** 1-based line number. */
  line: number;
  /** The line exactly as in the file, without its terminator. */
  raw: string;
  /** The terminator that followed it: '\n', '\r\n', or '' for a last line without one. */
  eol: '' | '\n' | '\r\n';
  kind: AuthorizedKeysLineKind;
  /** The option string as written ('' when none). */
  optionsText: string;
  /** The parsed options; null when the option string is not valid (sshd refuses the line). */
  options: AuthorizedKeyOption[] | null;
  /** Key type name (ssh-ed25519 ...), base64 blob and comment: set for kind 'key'. */
  type: string | null;
  keyBase64: string | null;
  comment: string | null;
  /** SHA256 fingerprint of the blob, for kind 'key'. */
  fingerprint: string | null;
  /** Why a line is 'invalid', or what is wrong with a key line's options. */
  problem: string | null;
}

/** Key types sshd accepts in authorized_keys (plain keys, FIDO keys and certificates). */
const KEY_TYPES = new Set([
  'ssh-ed25519',
  'ssh-rsa',
  'ssh-dss',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
  'ssh-ed25519-cert-v01@openssh.com',
  'ssh-rsa-cert-v01@openssh.com',
  'ssh-dss-cert-v01@openssh.com',
  'ecdsa-sha2-nistp256-cert-v01@openssh.com',
  'ecdsa-sha2-nistp384-cert-v01@openssh.com',
  'ecdsa-sha2-nistp521-cert-v01@openssh.com',
  'sk-ssh-ed25519-cert-v01@openssh.com',
  'sk-ecdsa-sha2-nistp256-cert-v01@openssh.com',
]);

interface KeyPart {
  type: string;
  keyBase64: string;
  blob: Buffer;
  comment: string;
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';

/** sshkey_read: `type base64 [comment]` at the start of `s`, or null. */
function readKey(s: string): KeyPart | null {
  const m = /^([^ \t]+)[ \t]+([^ \t]+)(?:[ \t]+([\s\S]*))?$/.exec(s);
  if (!m || !KEY_TYPES.has(m[1]!)) return null;
  const blob = decodeBase64Blob(m[2]!);
  if (!blob || describeBlob(blob)?.sshType !== m[1]) return null;
  return { type: m[1]!, keyBase64: m[2]!, blob, comment: m[3] ?? '' };
}

/** Why neither `s` nor what follows its option string is a key sshd would read. */
function whyNotAKey(s: string, afterOptions: string): string {
  const typed = [s, afterOptions].find((t) => KEY_TYPES.has(t.split(/[ \t]/, 1)[0]!));
  if (typed) return `the ${typed.split(/[ \t]/, 1)[0]} key is not valid base64 or does not match its type`;
  return 'not a key line (no key type such as ssh-ed25519 found)';
}

function classify(raw: string): Omit<AuthorizedKeyEntry, 'line' | 'raw' | 'eol'> & { blob: Buffer | null } {
  const none = { optionsText: '', options: null, type: null, keyBase64: null, comment: null, fingerprint: null, problem: null, blob: null };
  let i = 0;
  while (isBlank(raw[i])) i++;
  // stray CRs at the end (a CRLF file edited on Windows twice) are whitespace to sshd's base64
  const s = raw.slice(i).replace(/\r+$/, '');
  if (s === '') return { ...none, kind: 'blank' };
  if (s.startsWith('#')) return { ...none, kind: 'comment' };

  let key = readKey(s);
  let optionsText = '';
  if (!key) {
    const end = advancePastOptions(s);
    if (end === -1) return { ...none, kind: 'invalid', problem: 'a quote in the options is never closed' };
    optionsText = s.slice(0, end);
    let j = end;
    while (isBlank(s[j])) j++;
    key = readKey(s.slice(j));
    if (!key) return { ...none, kind: 'invalid', problem: whyNotAKey(s, s.slice(j)) };
  }
  const parsed = optionsText === '' ? { ok: true as const, options: [] } : parseOptions(optionsText);
  return {
    kind: 'key',
    optionsText,
    options: parsed.ok ? parsed.options : null,
    type: key.type,
    keyBase64: key.keyBase64,
    comment: key.comment,
    fingerprint: fingerprintOf(key.blob),
    problem: parsed.ok ? null : `sshd will refuse this line: ${parsed.problem}`,
    blob: key.blob,
  };
}

interface ParsedLine extends AuthorizedKeyEntry {
  blob: Buffer | null;
}

function parseLines(text: string): ParsedLine[] {
  const out: ParsedLine[] = [];
  let start = 0;
  let n = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    let raw = nl === -1 ? text.slice(start) : text.slice(start, nl);
    let eol: AuthorizedKeyEntry['eol'] = nl === -1 ? '' : '\n';
    if (eol === '\n' && raw.endsWith('\r')) {
      raw = raw.slice(0, -1);
      eol = '\r\n';
    }
    out.push({ line: ++n, raw, eol, ...classify(raw) });
    start = nl === -1 ? text.length : nl + 1;
  }
  return out;
}

/** Every line of `text`; joining raw + eol of all entries gives `text` back exactly. */
export function parseAuthorizedKeys(text: string): AuthorizedKeyEntry[] {
  return parseLines(text).map(({ blob: _blob, ...entry }) => entry);
}

/**
 * Which key a removal or lookup means: a `SHA256:...` fingerprint, a public key line (with or
 * without options), a bare base64 blob, or the blob bytes.
 */
export type KeyTarget = string | Buffer;

function matcher(target: KeyTarget): (l: ParsedLine) => boolean {
  if (Buffer.isBuffer(target)) return (l) => l.blob !== null && l.blob.equals(target);
  const t = target.trim();
  if (FINGERPRINT_PATTERN.test(t)) return (l) => l.fingerprint === t;
  const blob = blobOfLine(t) ?? decodeBase64Blob(t);
  if (!blob || !describeBlob(blob)) throw keyInvalid('Name the key by its SHA256 fingerprint, its public key line, or its base64 blob.');
  return (l) => l.blob !== null && l.blob.equals(blob);
}

function blobOfLine(line: string): Buffer | null {
  if (/[\r\n]/.test(line)) return null;
  const [entry] = parseLines(line);
  return entry?.kind === 'key' ? entry.blob : null;
}

/** The key lines of `text` that hold `target`. */
export function findKey(text: string, target: KeyTarget): AuthorizedKeyEntry[] {
  return parseLines(text)
    .filter(matcher(target))
    .map(({ blob: _blob, ...entry }) => entry);
}

/**
 * Checks a line to be added: one line, a key sshd will read, options included. Returns the
 * trimmed line and its blob. KEY_INVALID otherwise.
 */
export function checkAuthorizedKeyLine(line: string): { line: string; blob: Buffer; fingerprint: string; keyBase64: string } {
  if (typeof line !== 'string') throw keyInvalid('The key line must be text.');
  const t = line.trim();
  if (/[\r\n\0]/.test(t)) throw keyInvalid('The key line must be a single line.');
  if (t.length > 16 * 1024) throw keyInvalid('The key line is longer than 16 KiB.');
  const [entry] = parseLines(t);
  if (!entry || entry.kind !== 'key') {
    throw keyInvalid(`Not an authorized_keys key line${entry?.problem ? `: ${entry.problem}` : ''}. Expected "[options] type base64 [comment]".`);
  }
  if (entry.options === null) throw keyInvalid(`The key line's options are invalid: ${entry.problem}`);
  return { line: t, blob: entry.blob!, fingerprint: entry.fingerprint!, keyBase64: entry.keyBase64! };
}

/**
 * Appends `publicKeyLine` unless its key is already there (with any options or comment).
 * A file without a final newline gets one first; nothing else changes. New lines end in '\n'
 * even in a CRLF file (sshd reads both; existing CRLF lines are kept as they are).
 */
export function addKey(text: string, publicKeyLine: string): { text: string; changed: boolean } {
  const { line, blob } = checkAuthorizedKeyLine(publicKeyLine);
  const lines = parseLines(text);
  if (lines.some((l) => l.blob !== null && l.blob.equals(blob))) return { text, changed: false };
  // '\n' even in a CRLF file: what sshd reads everywhere, and what the remote script writes
  const head = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  return { text: `${head}${line}\n`, changed: true };
}

/** Removes every key line holding `target`; other lines stay byte for byte. */
export function removeKey(text: string, target: KeyTarget): { text: string; removed: number } {
  const match = matcher(target);
  const lines = parseLines(text);
  const kept = lines.filter((l) => !match(l));
  if (kept.length === lines.length) return { text, removed: 0 };
  return { text: kept.map((l) => l.raw + l.eol).join(''), removed: lines.length - kept.length };
}
