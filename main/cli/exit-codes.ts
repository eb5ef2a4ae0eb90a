/**
 * Process exit codes. These are a public interface (scripts branch on them): never renumber,
 * only add. Documented in docs/cli.md.
 */
import type { ErrorCode } from '../../shared/errors';

export const ExitCode = {
  OK: 0,
  /** Anything not covered below: I/O errors, internal errors. */
  FAILURE: 1,
  /** Bad command line, or a secret was needed and there was nowhere to read it from. */
  USAGE: 2,
  /** Wrong passphrase or wrong recovery key. */
  AUTH: 3,
  /** The vault is not in the state the command needs: absent, locked, or already exists. */
  VAULT_STATE: 4,
  /** Rejected input: invalid host fields, weak passphrase, unparseable import file. */
  VALIDATION: 5,
  /** The vault file is damaged or is not a Bulwark vault (tampered, truncated, not a vault). */
  VAULT_DAMAGED: 6,
  /** The vault was written by a newer Bulwark. */
  VAULT_TOO_NEW: 7,
  /** A named host (or other record) does not exist. */
  NOT_FOUND: 8,
  /** The change conflicts with existing data (e.g. a duplicate host name). */
  CONFLICT: 9,
  /** A host's SSH host key, or a Proxmox node's TLS certificate, is not pinned or differs from the pinned one. */
  HOST_KEY: 10,
  /** A host could not be reached, the connection dropped, or it did not answer in time. */
  UNREACHABLE: 11,
  /** The remote host refused every authentication method offered. */
  REMOTE_AUTH: 12,
  /**
   * A fleet command (keys deploy/audit/rotate/revoke, audit/plan/apply) ran, but at least one host failed (or rolled back); the
   * per-host results say which and why. Chosen above the single-failure codes so a script can
   * tell "some hosts need a look" from "the command could not run at all".
   */
  HOSTS_FAILED: 13,
  /**
   * `bulwark audit` ran on every host and at least one is not compliant (a control drifts or
   * could not be read). 13 wins when some host also failed.
   */
  DRIFT: 14,
  /** `ssh exec --timeout`: the remote command was still running when time ran out (as timeout(1)). */
  COMMAND_TIMEOUT: 124,
  /** Interrupted with Ctrl-C (at a prompt, or a running SSH command or fleet operation), as shells report SIGINT. */
  INTERRUPTED: 130,
  /** `ssh exec`: the server reported neither an exit status nor a known signal (as ssh(1) does). */
  NO_EXIT_STATUS: 255,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Every service error code has an exit code; the Record type makes a new code a compile error. */
const BY_ERROR_CODE: Record<ErrorCode, ExitCode> = {
  BAD_REQUEST: ExitCode.USAGE,
  VALIDATION: ExitCode.VALIDATION,
  UNKNOWN_CHANNEL: ExitCode.FAILURE,
  FORBIDDEN_SENDER: ExitCode.FAILURE,
  VAULT_ABSENT: ExitCode.VAULT_STATE,
  VAULT_EXISTS: ExitCode.VAULT_STATE,
  VAULT_LOCKED: ExitCode.VAULT_STATE,
  WRONG_PASSPHRASE: ExitCode.AUTH,
  WRONG_RECOVERY_KEY: ExitCode.AUTH,
  WEAK_PASSPHRASE: ExitCode.VALIDATION,
  VAULT_TAMPERED: ExitCode.VAULT_DAMAGED,
  VAULT_TRUNCATED: ExitCode.VAULT_DAMAGED,
  VAULT_TOO_NEW: ExitCode.VAULT_TOO_NEW,
  NOT_A_VAULT: ExitCode.VAULT_DAMAGED,
  EXPORT_INVALID: ExitCode.VALIDATION,
  KEYCHAIN_UNAVAILABLE: ExitCode.FAILURE,
  KEYCHAIN_NOT_ENROLLED: ExitCode.FAILURE,
  NOT_FOUND: ExitCode.NOT_FOUND,
  CONFLICT: ExitCode.CONFLICT,
  IMPORT_PARSE: ExitCode.VALIDATION,
  KEY_INVALID: ExitCode.VALIDATION,
  KEY_UNSUPPORTED: ExitCode.VALIDATION,
  KEY_PASSPHRASE_REQUIRED: ExitCode.USAGE,
  KEY_WRONG_PASSPHRASE: ExitCode.AUTH,
  IO: ExitCode.FAILURE,
  INTERNAL: ExitCode.FAILURE,
  UNKNOWN_HOST_KEY: ExitCode.HOST_KEY,
  HOST_KEY_CHANGED: ExitCode.HOST_KEY,
  SSH_AUTH_FAILED: ExitCode.REMOTE_AUTH,
  SSH_UNREACHABLE: ExitCode.UNREACHABLE,
  SSH_CONNECTION_LOST: ExitCode.UNREACHABLE,
  SSH_PROTOCOL: ExitCode.FAILURE,
  TIMEOUT: ExitCode.UNREACHABLE,
  ABORTED: ExitCode.FAILURE,
  SUDO_AUTH_FAILED: ExitCode.FAILURE,
  SUDO_DENIED: ExitCode.FAILURE,
  SFTP_FAILED: ExitCode.FAILURE,
  // a certificate to confirm or a refused one: the same answer as for SSH host keys
  TLS_UNPINNED: ExitCode.HOST_KEY,
  TLS_PIN_MISMATCH: ExitCode.HOST_KEY,
  PVE_AUTH_FAILED: ExitCode.REMOTE_AUTH,
  PVE_FORBIDDEN: ExitCode.REMOTE_AUTH,
  PVE_UNREACHABLE: ExitCode.UNREACHABLE,
  PVE_NOT_IMPLEMENTED: ExitCode.FAILURE,
  PVE_DIGEST_MISMATCH: ExitCode.CONFLICT,
  PVE_GUEST_AGENT: ExitCode.FAILURE,
  PVE_API_ERROR: ExitCode.FAILURE,
};

export function exitCodeFor(code: ErrorCode): ExitCode {
  return BY_ERROR_CODE[code] ?? ExitCode.FAILURE;
}
