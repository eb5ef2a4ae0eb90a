/**
 * Checks on the raw file before SQLite sees it, so a damaged or foreign file gets a specific
 * error instead of SQLite's generic one, and so a file we must not touch is never opened
 * read-write.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { BulwarkError } from '../../../shared/errors';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const HEADER_BYTES = 100;

export interface FileHeader {
  fileSize: number;
  pageSize: number;
  /** From the main file; stale when walPresent (committed pages may still sit in the WAL). */
  userVersion: number;
  applicationId: number;
  /** A non-empty -wal file: the last session ended without a checkpoint (crash or kill). */
  walPresent: boolean;
  /** The header promises more pages than the file holds. Only a verdict when !walPresent. */
  shortFile: boolean;
}

export function fileExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function readHeader(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(HEADER_BYTES);
    const n = readSync(fd, buf, 0, HEADER_BYTES, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

export function readFileHeader(path: string): FileHeader {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new BulwarkError('NOT_A_VAULT', `${path} is not a file.`);
    size = st.size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new BulwarkError('VAULT_ABSENT', `No vault at ${path}.`);
    throw e;
  }
  const header = readHeader(path);
  if (header.length < HEADER_BYTES) {
    // A cut-off copy of a SQLite file (or an empty one) vs. something else entirely.
    const n = Math.min(header.length, SQLITE_MAGIC.length);
    if (SQLITE_MAGIC.subarray(0, n).equals(header.subarray(0, n))) {
      throw new BulwarkError('VAULT_TRUNCATED', `The vault file is truncated (${size} bytes).`);
    }
    throw new BulwarkError('NOT_A_VAULT', 'This file is not a Bulwark vault.');
  }
  if (!header.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) {
    throw new BulwarkError('NOT_A_VAULT', 'This file is not a Bulwark vault (not a SQLite database).');
  }
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    throw new BulwarkError('NOT_A_VAULT', 'This file is not a Bulwark vault (invalid SQLite header).');
  }
  const pageCount = header.readUInt32BE(28);
  // The in-header size is only trustworthy when the change counter matches version-valid-for.
  const sizeValid = pageCount > 0 && header.readUInt32BE(24) === header.readUInt32BE(92);
  const shortFile = sizeValid ? size < pageCount * pageSize : size % pageSize !== 0;
  return {
    fileSize: size,
    pageSize,
    userVersion: header.readUInt32BE(60),
    applicationId: header.readUInt32BE(68),
    walPresent: fileSize(`${path}-wal`) > 0,
    shortFile,
  };
}
