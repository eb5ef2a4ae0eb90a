/**
 * POSIX sh scripts that add or remove one key in an account's ~/.ssh/authorized_keys on a
 * host. Pure string building: the SSH engine runs the text with `sh -s` (or `sh -c`) later.
 *
 * How they stay safe and idempotent:
 * - Every value is validated here and reaches the shell single-quoted.
 * - The key is "present" when a line sshd would read as a key (options first or not) carries
 *   its type and blob: the same rule as authorized-keys.ts, in awk. `grep -F` on the blob would
 *   also match a commented-out copy, a line sshd refuses, or the blob quoted in another line's
 *   options or comment, and then skip a deploy that was needed.
 * - The file is rewritten through a temporary file in ~/.ssh: copy (`cp -p`, keeping mode),
 *   append (after a newline if the file lacks a final one), check the byte count, fsync,
 *   then `mv` over the original. A full disk or read-only directory fails before the `mv`,
 *   leaving the original untouched and no temporary file behind.
 * - Run as root for another account, the script creates ~/.ssh if needed (mkdir, then
 *   `chown -h`, which never follows a symlink) and then drops to the account (setpriv, runuser
 *   or su) for every file operation. Editing a user-controlled directory as root by path is
 *   racy: the user could swap in symlinks between a check and a write, and turn root's write
 *   into one on /root/.ssh or root's read into a leak of /etc/shadow. As the account, the
 *   worst a race can do is damage the account's own file.
 * - A symlinked ~/.ssh or authorized_keys is refused (exit 4), never followed or replaced.
 *
 * Not handled: an AuthorizedKeysFile other than ~/.ssh/authorized_keys; a root-owned ~/.ssh
 * the account cannot write (refused with exit 5); another program editing the file between
 * the copy and the rename (its change is lost: Bulwark should run one key job per host at a
 * time). A run killed with SIGKILL can leave a .authorized_keys.bulwark-* file in ~/.ssh.
 */
import { randomBytes } from 'node:crypto';
import { BulwarkError } from '../../../shared/errors';
import { USERNAME_PATTERN } from '../../../shared/domain/validators';
import { shellQuote } from '../ssh/quote';
import { checkAuthorizedKeyLine } from './authorized-keys';
import { FINGERPRINT_PATTERN, decodeBase64Blob, describeBlob, fingerprintOf } from './fingerprint';
import { keyInvalid } from './errors';

/** Exit statuses of the scripts, for the SSH engine to map to messages. */
export const KEY_SCRIPT_EXIT = {
  OK: 0,
  FAILED: 1,
  /** The account does not exist, has no home directory, or the caller may not act for it. */
  ACCOUNT: 3,
  /** ~/.ssh or authorized_keys is a symlink or not a directory/regular file. */
  UNSAFE_PATH: 4,
  /** Could not read, write or flush (read-only, disk full, permissions); nothing was changed. */
  WRITE_FAILED: 5,
  INTERRUPTED: 130,
} as const;

/** What the script printed on its last line of stdout. */
export type KeyScriptOutcome = { result: 'added' | 'unchanged' | 'absent' } | { result: 'removed'; lines: number };

export interface DeployScriptOptions {
  /** The account whose authorized_keys receives the key. */
  account: string;
  /** `[options] type base64 [comment]`, one line. */
  publicKeyLine: string;
  /** Its home directory when it is not the account's passwd entry (tests, odd setups). */
  home?: string;
}

export interface RemoveScriptOptions {
  account: string;
  /** The public key line (options allowed) or the bare base64 blob. Fingerprints cannot be matched in sh. */
  key: string;
  home?: string;
}

function checkAccount(account: string): void {
  if (typeof account !== 'string' || !USERNAME_PATTERN.test(account)) {
    throw new BulwarkError('VALIDATION', `"${String(account).slice(0, 40)}" is not a valid account name`, { account: 'invalid' });
  }
}

function checkHome(home: string | undefined): void {
  if (home === undefined) return;
  // eslint-disable-next-line no-control-regex
  if (typeof home !== 'string' || !home.startsWith('/') || /[\x00-\x1f\x7f]/.test(home) || home.length > 4096) {
    throw new BulwarkError('VALIDATION', 'The home directory must be an absolute path on one line', { home: 'invalid' });
  }
}

interface BlobKey {
  base64: string;
  /** The type name inside the blob, which must precede it on the line. */
  type: string;
  fingerprint: string;
}

function blobKey(base64: string): BlobKey {
  const blob = decodeBase64Blob(base64)!;
  return { base64, type: describeBlob(blob)!.sshType, fingerprint: fingerprintOf(blob) };
}

function keyOf(key: string): BlobKey {
  const t = typeof key === 'string' ? key.trim() : '';
  if (FINGERPRINT_PATTERN.test(t)) {
    throw keyInvalid('A remote script cannot match a fingerprint: give the public key line (the vault has it for Bulwark keys).');
  }
  const bare = decodeBase64Blob(t);
  if (bare && describeBlob(bare)) return blobKey(t);
  return blobKey(checkAuthorizedKeyLine(t).keyBase64);
}

/**
 * awk functions deciding whether a line is an active key line for blob `b` of type `kt`, the
 * way sshd reads authorized_keys: skip blanks and comments; the key is at the start, or after
 * an option string that ends at the first unquoted blank (`\"` escapes a quote; an unclosed
 * quote makes the line invalid). Trailing CRs are ignored, as sshd's base64 decoder does.
 */
const AWK_ACTIVE = `function keyat(s,   t, c) {
  c = substr(s, length(kt) + 1, 1)
  if (substr(s, 1, length(kt)) != kt || (c != " " && c != "\\t")) return 0
  t = substr(s, length(kt) + 2)
  sub(/^[ \\t]+/, "", t)
  if (substr(t, 1, length(b)) != b) return 0
  c = substr(t, length(b) + 1, 1)
  return c == "" || c == " " || c == "\\t"
}
function active(line,   n, i, c, q, rest) {
  sub(/\\r+$/, "", line)
  sub(/^[ \\t]+/, "", line)
  if (line == "" || substr(line, 1, 1) == "#") return 0
  if (keyat(line)) return 1
  n = length(line)
  q = 0
  for (i = 1; i <= n; i++) {
    c = substr(line, i, 1)
    if (!q && (c == " " || c == "\\t")) break
    if (c == "\\\\" && substr(line, i + 1, 1) == "\\"") i++
    else if (c == "\\"") q = !q
  }
  if (q) return 0
  rest = substr(line, i)
  sub(/^[ \\t]+/, "", rest)
  return keyat(rest)
}`;

/** Shared start of the inner (account-level) script: paths, refusals, cleanup. */
function innerPrologue(what: string, vars: Record<string, string>): string {
  const suffix = randomBytes(6).toString('hex');
  return `set -u
umask 077
LC_ALL=C
export LC_ALL
${Object.entries(vars)
  .map(([k, v]) => `${k}=${shellQuote(v)}`)
  .join('\n')}
tmp=''
cleanup() { if [ -n "$tmp" ]; then rm -f -- "$tmp"; fi; }
fail() { cleanup; tmp=''; printf 'bulwark: %s\\n' "$1" >&2; exit "$2"; }
trap cleanup EXIT
trap 'fail "interrupted" ${KEY_SCRIPT_EXIT.INTERRUPTED}' HUP INT TERM
home_dir=\${HOME:-}
case $home_dir in /*) ;; *) fail 'no home directory to ${what}' ${KEY_SCRIPT_EXIT.ACCOUNT} ;; esac
[ -d "$home_dir" ] || fail "home directory $home_dir does not exist" ${KEY_SCRIPT_EXIT.ACCOUNT}
ssh_dir=$home_dir/.ssh
ak=$ssh_dir/authorized_keys
[ -L "$ssh_dir" ] && fail "$ssh_dir is a symbolic link; refusing to follow it" ${KEY_SCRIPT_EXIT.UNSAFE_PATH}
[ -L "$ak" ] && fail "$ak is a symbolic link; refusing to replace it" ${KEY_SCRIPT_EXIT.UNSAFE_PATH}
if [ -e "$ak" ]; then
  [ -f "$ak" ] || fail "$ak is not a regular file" ${KEY_SCRIPT_EXIT.UNSAFE_PATH}
  [ -r "$ak" ] || fail "cannot read $ak" ${KEY_SCRIPT_EXIT.WRITE_FAILED}
fi
tmp_path=$ssh_dir/.authorized_keys.bulwark-${suffix}-$$
rm -f -- "$tmp_path"
count_active() {
  awk -v b="$key_blob" -v kt="$key_type" '
${AWK_ACTIVE}
active($0) { c++ }
END { print c + 0 }' "$1"
}
size_of() {
  s=$(wc -c < "$1") || return 1
  s=$(printf '%s' "$s" | tr -d ' \\t')
  case $s in '' | *[!0-9]*) return 1 ;; esac
  printf '%s' "$s"
}
# flush the temporary file; where sync takes no file arguments, flush everything (no status)
flush() {
  if sync -- "$ssh_dir" 2>/dev/null; then sync -- "$1"; else sync; fi
}
`;
}

/** Commit: check size, then what the copy holds, flush, rename. Expects $tmp and $expected. */
function commit(holds: 0 | 1): string {
  return `actual=$(size_of "$tmp") || fail "cannot read back $tmp" ${KEY_SCRIPT_EXIT.WRITE_FAILED}
[ "$actual" = "$expected" ] || fail "the new copy has $actual bytes instead of $expected (disk full?); $ak was not changed" ${KEY_SCRIPT_EXIT.WRITE_FAILED}
[ "$(count_active "$tmp")" = ${holds} ] || fail "the new copy ${holds ? 'does not hold' : 'still holds'} the key; $ak was not changed" ${KEY_SCRIPT_EXIT.WRITE_FAILED}
flush "$tmp" || fail "could not flush the new copy to disk; $ak was not changed" ${KEY_SCRIPT_EXIT.WRITE_FAILED}
mv -f -- "$tmp" "$ak" || fail "could not replace $ak; it was not changed" ${KEY_SCRIPT_EXIT.WRITE_FAILED}
tmp=''
sync -- "$ssh_dir" 2>/dev/null || :
`;
}

function deployInner(keyLine: string, key: BlobKey): string {
  const addBytes = Buffer.byteLength(keyLine, 'utf8') + 1;
  return `${innerPrologue('add the key to', { key_line: keyLine, key_blob: key.base64, key_type: key.type })}
if [ ! -e "$ssh_dir" ]; then
  mkdir -m 700 -- "$ssh_dir" || fail "cannot create $ssh_dir" ${KEY_SCRIPT_EXIT.WRITE_FAILED}
fi
[ -d "$ssh_dir" ] || fail "$ssh_dir is not a directory" ${KEY_SCRIPT_EXIT.UNSAFE_PATH}
if [ -e "$ak" ]; then
  n=$(count_active "$ak") || fail "cannot read $ak" ${KEY_SCRIPT_EXIT.WRITE_FAILED}
  if [ "$n" -gt 0 ]; then echo unchanged; exit 0; fi
  old_size=$(size_of "$ak") || fail "cannot read $ak" ${KEY_SCRIPT_EXIT.WRITE_FAILED}
  sep=0
  if [ "$old_size" -gt 0 ] && [ -n "$(tail -c 1 -- "$ak")" ]; then sep=1; fi
  tmp=$tmp_path
  cp -p -- "$ak" "$tmp" || fail "cannot write a copy of $ak in $ssh_dir (read-only or full?); it was not changed" ${KEY_SCRIPT_EXIT.WRITE_FAILED}
  {
    if [ "$sep" = 1 ]; then printf '\\n'; fi
    printf '%s\\n' "$key_line"
  } >> "$tmp" || fail "cannot write to $tmp (disk full?); $ak was not changed" ${KEY_SCRIPT_EXIT.WRITE_FAILED}
  expected=$((old_size + sep + ${addBytes}))
else
  tmp=$tmp_path
  (set -C; printf '%s\\n' "$key_line" > "$tmp") || fail "cannot create $ak (read-only or full?)" ${KEY_SCRIPT_EXIT.WRITE_FAILED}
  expected=${addBytes}
fi
${commit(1)}echo added
`;
}

function removeInner(key: BlobKey): string {
  return `${innerPrologue('remove the key from', { key_blob: key.base64, key_type: key.type })}
if [ ! -e "$ak" ]; then echo absent; exit 0; fi
n=$(count_active "$ak") || fail "cannot read $ak" ${KEY_SCRIPT_EXIT.WRITE_FAILED}
if [ "$n" = 0 ]; then echo absent; exit 0; fi
old_size=$(size_of "$ak") || fail "cannot read $ak" ${KEY_SCRIPT_EXIT.WRITE_FAILED}
nonl=0
if [ "$old_size" -gt 0 ] && [ -n "$(tail -c 1 -- "$ak")" ]; then nonl=1; fi
# Kept lines are written back unchanged (CR included); a line removed from the end leaves the
# line before it with its newline; a last line without newline stays without one.
filter() {
  awk -v b="$key_blob" -v kt="$key_type" -v nonl="$nonl" -v mode="$1" '
${AWK_ACTIVE}
active($0) { next }
{
  if (have) { if (mode == "write") printf "%s\\n", prev; size += length(prev) + 1 }
  prev = $0; have = 1; last = NR
}
END {
  if (have) {
    nl = (nonl && last == NR) ? 0 : 1
    if (mode == "write") printf (nl ? "%s\\n" : "%s"), prev
    size += length(prev) + nl
  }
  if (mode == "size") print size + 0
}' "$ak"
}
expected=$(filter size) || fail "cannot read $ak" ${KEY_SCRIPT_EXIT.WRITE_FAILED}
tmp=$tmp_path
cp -p -- "$ak" "$tmp" || fail "cannot write a copy of $ak in $ssh_dir (read-only or full?); it was not changed" ${KEY_SCRIPT_EXIT.WRITE_FAILED}
filter write > "$tmp" || fail "cannot write to $tmp (disk full?); $ak was not changed" ${KEY_SCRIPT_EXIT.WRITE_FAILED}
${commit(0)}echo "removed $n"
`;
}

/**
 * The outer script: works out whose file it is, and runs the inner script as that account
 * (directly, or from root through setpriv / runuser / su after creating ~/.ssh).
 */
function outer(title: string, account: string, home: string | undefined, inner: string): string {
  return `#!/bin/sh
# ${title}
# Generated by Bulwark. Idempotent; exit 0 = done (stdout: added, unchanged, removed N, absent).
set -u
account=${shellQuote(account)}
home_dir=${shellQuote(home ?? '')}
inner=${shellQuote(inner)}
fail() { printf 'bulwark: %s\\n' "$1" >&2; exit "$2"; }
me=$(id -un) || fail 'cannot tell which user runs this script' ${KEY_SCRIPT_EXIT.FAILED}
if [ "$me" != "$account" ]; then
  [ "$(id -u)" = 0 ] || fail "run this as $account or as root (not as $me)" ${KEY_SCRIPT_EXIT.ACCOUNT}
  uid=$(id -u "$account" 2>/dev/null) || fail "no account named $account" ${KEY_SCRIPT_EXIT.ACCOUNT}
  gid=$(id -g "$account") || fail "no group for account $account" ${KEY_SCRIPT_EXIT.ACCOUNT}
fi
if [ -z "$home_dir" ]; then
  if [ "$me" = "$account" ] && [ -n "\${HOME:-}" ]; then
    home_dir=$HOME
  else
    home_dir=$( (getent passwd "$account" || awk -F: -v u="$account" '$1 == u' /etc/passwd) 2>/dev/null | cut -d: -f6 | head -n 1)
  fi
fi
case $home_dir in /*) ;; *) fail "account $account has no home directory" ${KEY_SCRIPT_EXIT.ACCOUNT} ;; esac
HOME=$home_dir
export HOME
if [ "$me" = "$account" ]; then
  exec sh -c "$inner" bulwark-keys
fi
[ -d "$home_dir" ] || fail "home directory $home_dir of $account does not exist" ${KEY_SCRIPT_EXIT.ACCOUNT}
if [ ! -e "$home_dir/.ssh" ] && [ ! -L "$home_dir/.ssh" ]; then
  # created by root for homes the account cannot write; chown -h never follows a symlink
  mkdir -m 700 -- "$home_dir/.ssh" 2>/dev/null && chown -h -- "$uid:$gid" "$home_dir/.ssh"
fi
if command -v setpriv >/dev/null 2>&1; then
  exec setpriv --reuid="$uid" --regid="$gid" --init-groups -- sh -c "$inner" bulwark-keys
elif command -v runuser >/dev/null 2>&1; then
  exec runuser -m -u "$account" -- sh -c "$inner" bulwark-keys
else
  exec su -m -s /bin/sh -c "$inner" "$account"
fi
`;
}

/** A script adding `publicKeyLine` to the account's authorized_keys unless its key is there. */
export function deployKeyScript(o: DeployScriptOptions): string {
  checkAccount(o.account);
  checkHome(o.home);
  const { line, keyBase64 } = checkAuthorizedKeyLine(o.publicKeyLine);
  const key = blobKey(keyBase64);
  return outer(`Add key ${key.fingerprint} to ~${o.account}/.ssh/authorized_keys`, o.account, o.home, deployInner(line, key));
}

/** A script removing every active line holding the key from the account's authorized_keys. */
export function removeKeyScript(o: RemoveScriptOptions): string {
  checkAccount(o.account);
  checkHome(o.home);
  const key = keyOf(o.key);
  return outer(`Remove key ${key.fingerprint} from ~${o.account}/.ssh/authorized_keys`, o.account, o.home, removeInner(key));
}

/** Reads the last stdout line of a successful run. */
export function parseKeyScriptOutput(stdout: string): KeyScriptOutcome | null {
  const last = stdout.trim().split('\n').pop()?.trim() ?? '';
  if (last === 'added' || last === 'unchanged' || last === 'absent') return { result: last };
  const m = /^removed (\d+)$/.exec(last);
  return m ? { result: 'removed', lines: Number(m[1]) } : null;
}
