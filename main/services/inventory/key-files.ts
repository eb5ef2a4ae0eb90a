/**
 * Reading the private key files an ssh_config names. The config decides which paths are read,
 * and a config can come from anywhere (a pasted file), so only regular files of key size are
 * read: never a directory, a device or a FIFO (opening one could block or have side effects),
 * followed symlinks included. ssh refuses keys other users can read; an import reads them
 * anyway and says so, because the copy in the vault is what Bulwark will use.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { MAX_KEY_TEXT } from '../../../shared/domain/keys';

const TOO_LARGE = `larger than ${MAX_KEY_TEXT} bytes, too large to be a private key: refused`;

export type KeyFileRead = { ok: true; text: string; warnings: string[] } | { ok: false; reason: string };

/** Read access to key files; the app and the tests use nodeKeyFiles(). */
export interface KeyFileReader {
  read(path: string): KeyFileRead;
}

export function nodeKeyFiles(platform: NodeJS.Platform = process.platform): KeyFileReader {
  return { read: (path) => readKeyFile(path, platform) };
}

function readKeyFile(path: string, platform: NodeJS.Platform): KeyFileRead {
  let link: Stats;
  let target: Stats;
  try {
    link = lstatSync(path);
  } catch (e) {
    return { ok: false, reason: errnoReason(e) };
  }
  try {
    target = link.isSymbolicLink() ? statSync(path) : link;
  } catch (e) {
    return { ok: false, reason: `a symbolic link that cannot be followed: ${errnoReason(e)}` };
  }
  const via = link.isSymbolicLink() ? 'a symbolic link to ' : '';
  if (!target.isFile()) return { ok: false, reason: `${via}${kindOf(target)}, not a key file: refused` };
  if (target.size > MAX_KEY_TEXT) return { ok: false, reason: TOO_LARGE };

  let fd: number;
  try {
    // O_NONBLOCK: if the file was swapped for a FIFO since the stat, open must not wait for a writer
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (e) {
    return { ok: false, reason: errnoReason(e) };
  }
  try {
    // checked again on what was opened: the path may have changed since the stat
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, reason: `${via}${kindOf(st)}, not a key file: refused` };
    const buf = Buffer.alloc(MAX_KEY_TEXT + 1);
    let n = 0;
    for (let got = -1; got !== 0 && n < buf.length; n += got) got = readSync(fd, buf, n, buf.length - n, null);
    if (n > MAX_KEY_TEXT) return { ok: false, reason: TOO_LARGE };
    const text = buf.toString('utf8', 0, n);
    buf.fill(0);
    const warnings: string[] = [];
    if (platform !== 'win32' && (st.mode & 0o077) !== 0) {
      const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
      warnings.push(`permissions ${mode} are too open: ssh refuses to use this key until you run chmod 600 on it (imported anyway)`);
    }
    return { ok: true, text, warnings };
  } catch (e) {
    return { ok: false, reason: errnoReason(e) };
  } finally {
    closeSync(fd);
  }
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function errnoReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  return `cannot read it (${code ?? (e as Error).message})`;
}
