/**
 * Per-host secrets (kind 'host-secret', keyed by the host's id): today the login user's sudo
 * password. They never cross IPC; the UI and the CLI only learn whether one is set. HostStore
 * deletes them together with their host.
 */
import { BulwarkError } from '../../../shared/errors';
import type { RecordStore } from './types';

export const HOST_SECRET_KIND = 'host-secret';

/** sudo reads one line: a password with a newline (or NUL) in it cannot be typed to it. */
export const MAX_SUDO_PASSWORD = 1024;

interface HostSecretRecord {
  hostId: string;
  sudoPassword: string;
  updatedAt: number;
}

export function sudoPasswordProblem(password: unknown): string | null {
  if (typeof password !== 'string' || password === '') return 'must not be empty';
  if (password.length > MAX_SUDO_PASSWORD) return `must be at most ${MAX_SUDO_PASSWORD} characters`;
  if (/[\r\n\0]/.test(password)) return 'must be one line (sudo reads a single line)';
  return null;
}

export class HostSecrets {
  constructor(
    private readonly vault: RecordStore,
    private readonly hostExists: (id: string) => boolean,
    private readonly now: () => number = Date.now,
  ) {}

  setSudoPassword(hostId: string, password: string): void {
    const problem = sudoPasswordProblem(password);
    if (problem) throw new BulwarkError('VALIDATION', `sudo password ${problem}`, { sudoPassword: problem });
    if (!this.hostExists(hostId)) throw new BulwarkError('NOT_FOUND', `No host with id ${hostId}`);
    const record: HostSecretRecord = { hostId, sudoPassword: password, updatedAt: this.now() };
    this.vault.put(HOST_SECRET_KIND, hostId, record);
  }

  /** Whether one was removed. */
  clearSudoPassword(hostId: string): boolean {
    return this.vault.delete(HOST_SECRET_KIND, [hostId]) > 0;
  }

  /** Main process only: handed to the SSH engine's sudo, on stdin. */
  sudoPassword(hostId: string): string | undefined {
    return this.vault.get<HostSecretRecord>(HOST_SECRET_KIND, hostId)?.sudoPassword;
  }

  hasSudoPassword(hostId: string): boolean {
    return this.sudoPassword(hostId) !== undefined;
  }

  /** Ids of the hosts that have a sudo password. */
  withSudoPassword(): string[] {
    return this.vault.list<HostSecretRecord>(HOST_SECRET_KIND).map((r) => r.hostId);
  }
}
