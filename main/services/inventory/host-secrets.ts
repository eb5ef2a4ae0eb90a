/**
 * Per-host secrets (kind 'host-secret', keyed by the host's id): the login user's sudo password
 * and login password. They never cross IPC; the UI and the CLI only learn whether one is set. HostStore
 * deletes them together with their host.
 */
import { BulwarkError } from '../../../shared/errors';
import type { RecordStore } from './types';

export const HOST_SECRET_KIND = 'host-secret';

/** sudo reads one line: a password with a newline (or NUL) in it cannot be typed to it. */
export const MAX_SUDO_PASSWORD = 1024;

/** The secrets a host can have: the login user's password for sudo, and for logging in. */
export type HostSecretName = 'sudoPassword' | 'loginPassword';
const LABEL: Record<HostSecretName, string> = { sudoPassword: 'sudo password', loginPassword: 'login password' };

interface HostSecretRecord {
  hostId: string;
  sudoPassword?: string;
  loginPassword?: string;
  updatedAt: number;
}

/** Both are typed to a prompt that reads one line. */
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

  set(hostId: string, name: HostSecretName, value: string): void {
    const problem = sudoPasswordProblem(value);
    if (problem) throw new BulwarkError('VALIDATION', `${LABEL[name]} ${problem}`, { [name]: problem });
    if (!this.hostExists(hostId)) throw new BulwarkError('NOT_FOUND', `No host with id ${hostId}`);
    const prior = this.record(hostId);
    const record: HostSecretRecord = { ...prior, hostId, [name]: value, updatedAt: this.now() };
    this.vault.put(HOST_SECRET_KIND, hostId, record);
  }

  /** Whether one was removed. */
  clear(hostId: string, name: HostSecretName): boolean {
    const prior = this.record(hostId);
    if (prior?.[name] === undefined) return false;
    const rest: HostSecretRecord = { ...prior, updatedAt: this.now() };
    delete rest[name];
    if (rest.sudoPassword === undefined && rest.loginPassword === undefined) this.vault.delete(HOST_SECRET_KIND, [hostId]);
    else this.vault.put(HOST_SECRET_KIND, hostId, rest);
    return true;
  }

  /** Main process only: handed to the SSH engine (sudo's stdin, the password method). */
  get(hostId: string, name: HostSecretName): string | undefined {
    return this.record(hostId)?.[name];
  }

  /** Ids of the hosts that have this secret. */
  hostsWith(name: HostSecretName): string[] {
    return this.vault.list<HostSecretRecord>(HOST_SECRET_KIND).filter((r) => r[name] !== undefined).map((r) => r.hostId);
  }

  setSudoPassword(hostId: string, password: string): void {
    this.set(hostId, 'sudoPassword', password);
  }

  clearSudoPassword(hostId: string): boolean {
    return this.clear(hostId, 'sudoPassword');
  }

  /** The sudo password, else the login password (on most hosts they are the same). */
  sudoPassword(hostId: string): string | undefined {
    const r = this.record(hostId);
    return r?.sudoPassword ?? r?.loginPassword;
  }

  hasSudoPassword(hostId: string): boolean {
    return this.get(hostId, 'sudoPassword') !== undefined;
  }

  withSudoPassword(): string[] {
    return this.hostsWith('sudoPassword');
  }

  private record(hostId: string): HostSecretRecord | undefined {
    return this.vault.get<HostSecretRecord>(HOST_SECRET_KIND, hostId);
  }
}
