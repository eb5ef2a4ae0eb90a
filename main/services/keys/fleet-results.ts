/**
 * Pieces of the key fleet operations (fleet-ops.ts) that need no SSH: result and error shapes,
 * mapping a key script's exit to a per-host outcome, the audit script and its parser.
 */
import { randomBytes } from 'node:crypto';
import { BulwarkError, type ErrorCode } from '../../../shared/errors';
import { parseAuthorizedKeys } from './authorized-keys';
import { KEY_SCRIPT_EXIT, parseKeyScriptOutput, type KeyScriptOutcome } from './remote-script';

/** Codes beyond shared/errors for what the key scripts report (exit 3, 4, 5, other). */
export type KeyScriptErrorCode = 'KEY_ACCOUNT' | 'KEY_UNSAFE_PATH' | 'KEY_WRITE_FAILED' | 'KEY_SCRIPT_FAILED' | 'KEY_VERIFY_FAILED';
export type FleetErrorCode = ErrorCode | KeyScriptErrorCode;

/** A per-host failure, as data (it crosses IPC). */
export interface FleetError {
  code: FleetErrorCode;
  message: string;
}

export interface FleetSummary {
  total: number;
  /** Hosts that did not fail. */
  ok: number;
  failed: number;
  /** One count per status ('added', 'unchanged', 'removed', 'rotated', 'failed', ...). */
  byStatus: Record<string, number>;
}

export interface FleetOpResult<R extends { status: string }> {
  results: R[];
  summary: FleetSummary;
}

export function summarize<R extends { status: string }>(results: R[]): FleetOpResult<R> {
  const byStatus: Record<string, number> = {};
  for (const r of results) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  const failed = byStatus.failed ?? 0;
  return { results, summary: { total: results.length, ok: results.length - failed, failed, byStatus } };
}

/** Any thrown value as a per-host error; never carries a stack or key material. */
export function toFleetError(e: unknown): FleetError {
  if (e instanceof FleetFailure) return e.error;
  if (e instanceof BulwarkError) return { code: e.code, message: e.message };
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

/** Thrown inside a per-host task to end it with this error. */
export class FleetFailure extends Error {
  constructor(readonly error: FleetError) {
    super(error.message);
  }
}

export interface ScriptRun {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: string | null;
}

/** The message a script printed ("bulwark: ..."), else the end of stderr. */
function scriptMessage(r: ScriptRun): string {
  const lines = r.stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const ours = lines.filter((l) => l.startsWith('bulwark: ')).pop();
  if (ours) return ours.slice('bulwark: '.length);
  const tail = lines.slice(-3).join(' | ');
  return tail || (r.signal ? `killed by ${r.signal}` : `exit status ${String(r.code)}`);
}

/** A deploy/remove script's run as its outcome, or a FleetFailure. */
export function scriptOutcome(r: ScriptRun, where: string): KeyScriptOutcome {
  if (r.code === KEY_SCRIPT_EXIT.OK) {
    const out = parseKeyScriptOutput(r.stdout);
    if (out) return out;
    throw new FleetFailure({ code: 'KEY_SCRIPT_FAILED', message: `${where}: the key script printed no result` });
  }
  const message = `${where}: ${scriptMessage(r)}`;
  const code: FleetErrorCode =
    r.code === KEY_SCRIPT_EXIT.ACCOUNT
      ? 'KEY_ACCOUNT'
      : r.code === KEY_SCRIPT_EXIT.UNSAFE_PATH
        ? 'KEY_UNSAFE_PATH'
        : r.code === KEY_SCRIPT_EXIT.WRITE_FAILED
          ? 'KEY_WRITE_FAILED'
          : r.code === KEY_SCRIPT_EXIT.INTERRUPTED
            ? 'ABORTED'
            : 'KEY_SCRIPT_FAILED';
  throw new FleetFailure({ code, message });
}

/** authorized_keys larger than this are read only this far. */
export const AUDIT_MAX_FILE = 1024 * 1024;

/**
 * Prints, for each account, a marker line then its authorized_keys. 'self': the login account;
 * 'all': every passwd account whose shell is not nologin/false/sync/halt/shutdown (as root).
 * The marker carries a random nonce, so a line in a user's file cannot pose as one. As root the
 * file is read by path (symlinks refused, racy but read-only: at worst the root operator sees
 * a file the user pointed at, and only lines that parse as keys are reported).
 */
export function auditScript(mode: 'self' | 'all'): { script: string; marker: string } {
  const marker = `@@bulwark-${randomBytes(8).toString('hex')}`;
  const dump = `dump() {
  printf '%s account %s\\n' "$m" "$1"
  case $2 in /*) ;; *) printf '%s problem no home directory\\n' "$m"; return ;; esac
  if [ -L "$2/.ssh" ] || [ -L "$2/.ssh/authorized_keys" ]; then printf '%s problem symbolic link refused\\n' "$m"; return; fi
  f=$2/.ssh/authorized_keys
  [ -e "$f" ] || return 0
  if [ ! -f "$f" ] || [ ! -r "$f" ]; then printf '%s problem cannot read %s\\n' "$m" "$f"; return; fi
  head -c ${AUDIT_MAX_FILE} -- "$f"
  printf '\\n'
}`;
  const body =
    mode === 'self'
      ? 'dump "$(id -un)" "${HOME:-}"'
      : `{ getent passwd 2>/dev/null || cat /etc/passwd; } | while IFS=: read -r name _pw _uid _gid _gecos home shell; do
  case $shell in '' | */nologin | */false | */sync | */halt | */shutdown) continue ;; esac
  dump "$name" "$home"
done`;
  return { marker, script: `set -u\nLC_ALL=C\nexport LC_ALL\nm='${marker}'\n${dump}\n${body}\n` };
}

export interface AuditedKey {
  account: string;
  fingerprint: string;
  type: string;
  comment: string;
  /** The option string as written ('' when none). */
  options: string;
}

export interface AuditAccountProblem {
  account: string;
  message: string;
}

export function parseAuditOutput(stdout: string, marker: string): { keys: AuditedKey[]; problems: AuditAccountProblem[] } {
  const keys: AuditedKey[] = [];
  const problems: AuditAccountProblem[] = [];
  let account: string | undefined;
  let chunk: string[] = [];
  const flush = (): void => {
    if (account === undefined) return;
    for (const e of parseAuthorizedKeys(chunk.join('\n'))) {
      if (e.kind !== 'key') continue;
      keys.push({ account, fingerprint: e.fingerprint!, type: e.type!, comment: e.comment ?? '', options: e.optionsText });
    }
    chunk = [];
  };
  for (const line of stdout.split('\n')) {
    if (line.startsWith(`${marker} account `)) {
      flush();
      account = line.slice(marker.length + 9);
    } else if (line.startsWith(`${marker} problem `) && account !== undefined) {
      problems.push({ account, message: line.slice(marker.length + 9) });
    } else if (account !== undefined) {
      chunk.push(line);
    }
  }
  flush();
  return { keys, problems };
}
