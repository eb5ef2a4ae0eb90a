/** Maps SQLite and file-system failures to BulwarkError codes a user can act on. */
import Database from 'better-sqlite3';
import { BulwarkError } from '../../../shared/errors';

export function toBulwarkError(e: unknown): unknown {
  if (e instanceof BulwarkError) return e;
  if (e instanceof Database.SqliteError) {
    const code = e.code;
    if (code === 'SQLITE_NOTADB') return new BulwarkError('NOT_A_VAULT', 'This file is not a Bulwark vault.');
    if (code.startsWith('SQLITE_CORRUPT')) return new BulwarkError('VAULT_TAMPERED', 'The vault file is damaged.');
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      return new BulwarkError('IO', 'The vault is in use by another Bulwark process.');
    }
    if (code === 'SQLITE_FULL') return new BulwarkError('IO', 'The disk is full; the change was not saved.');
    if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM') {
      return new BulwarkError('IO', `The vault file could not be read or written (${code}).`);
    }
    return new BulwarkError('INTERNAL', `Vault database error (${code}).`);
  }
  const errno = (e as NodeJS.ErrnoException | null)?.code;
  if (typeof errno === 'string' && /^E[A-Z]+$/.test(errno)) {
    return new BulwarkError('IO', `File system error (${errno}).`);
  }
  return e;
}

/** Runs fn and rethrows its failure as a BulwarkError where we know what it means. */
export function mapErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw toBulwarkError(e);
  }
}
