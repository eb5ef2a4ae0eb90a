/**
 * Atomic file upload over SFTP. The target is never opened for writing: the content goes to a
 * temporary file in the same directory (same filesystem, so the rename is atomic), gets the
 * existing file's owner and mode (or the given ones for a new file), is fsynced when the server
 * offers fsync@openssh.com, and is renamed over the target with posix-rename@openssh.com. Any
 * failure removes the temporary file; the original is untouched until the rename.
 *
 * SFTP runs as the login user: files that only root may write need a sudo step on top.
 */
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import type { SFTPWrapper, Stats } from 'ssh2';
import { BulwarkError } from '../../../shared/errors';
import { type Connected, closedUnder } from './connect';
import { type Hop, aborted, describeHop, sshError, timedOut } from './errors';
import { channelOpenError } from './exec';

export interface UploadOptions {
  /** Mode of a NEW file (default 0o644). An existing file keeps its own mode. */
  mode?: number;
  /** Owner of a NEW file (default: the login user). An existing file keeps its own owner. */
  owner?: { uid: number; gid: number };
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface UploadResult {
  path: string;
  bytes: number;
  mode: number;
  uid: number;
  gid: number;
  /** Whether an existing file was replaced. */
  replaced: boolean;
  /** posix-rename@openssh.com was used (otherwise a plain SFTP rename). */
  posixRename: boolean;
  fsynced: boolean;
}

const CHUNK = 32 * 1024;
const STATUS_TEXT: Record<number, string> = { 2: 'no such file', 3: 'permission denied', 4: 'failure', 8: 'operation unsupported' };

function sftpReason(e: unknown): string {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'number' && STATUS_TEXT[code] ? STATUS_TEXT[code] : 'failed';
}

function isNoSuchFile(e: unknown): boolean {
  return (e as { code?: unknown })?.code === 2;
}

export function checkRemotePath(path: string): void {
  if (typeof path !== 'string' || !path.startsWith('/') || path.endsWith('/') || path.includes('\0') || path.length > 4096) {
    throw new BulwarkError('VALIDATION', 'The remote path must be an absolute file path', { path: 'invalid' });
  }
  if (path.split('/').some((seg) => seg === '..')) throw new BulwarkError('VALIDATION', 'The remote path must not contain ".."', { path: 'invalid' });
}

function openSftp(conn: Connected): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) => {
    try {
      conn.client.sftp((err, sftp) => (err ? reject(channelOpenError(err, conn.hop, 'SFTP')) : resolve(sftp)));
    } catch (e) {
      reject(channelOpenError(e as Error, conn.hop, 'SFTP'));
    }
  });
}

/** Runs SFTP calls in order, failing fast (and once) on abort, timeout or connection loss. */
class Guard {
  private failure: BulwarkError | undefined;
  private readonly waiters = new Set<(e: BulwarkError) => void>();
  private timer: NodeJS.Timeout | undefined;
  private readonly onAbort = () => this.fail(aborted(this.hop, 'upload'));
  private readonly onClose = () => this.fail(closedUnder(this.conn, 'upload'));

  constructor(
    private readonly hop: Hop,
    private readonly conn: Connected,
    private readonly opts: UploadOptions,
  ) {
    if (opts.signal?.aborted) this.failure = aborted(hop, 'upload');
    opts.signal?.addEventListener('abort', this.onAbort, { once: true });
    conn.client.on('close', this.onClose);
    if (opts.timeoutMs) {
      const ms = opts.timeoutMs;
      this.timer = setTimeout(() => this.fail(timedOut(hop, 'upload', ms)), ms);
    }
  }

  private fail(e: BulwarkError): void {
    if (this.failure) return;
    this.failure = e;
    for (const w of this.waiters) w(e);
  }

  /** One SFTP call; `what` names the step in error messages. */
  call<T>(what: string, fn: (cb: (err: Error | undefined | null, value?: T) => void) => void): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      const onFail = (e: BulwarkError) => reject(e);
      this.waiters.add(onFail);
      const cb = (err: Error | undefined | null, value?: T) => {
        this.waiters.delete(onFail);
        if (this.failure) return reject(this.failure);
        if (err) return reject(Object.assign(err, { step: what }));
        resolve(value as T);
      };
      try {
        fn(cb);
      } catch (e) {
        cb(e as Error);
      }
    });
  }

  /** Best effort, even after a failure (cleanup). */
  quiet(fn: (cb: (err?: Error | null) => void) => void): Promise<void> {
    return new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 5000);
      try {
        fn(() => {
          clearTimeout(t);
          resolve();
        });
      } catch {
        clearTimeout(t);
        resolve();
      }
    });
  }

  get failed(): BulwarkError | undefined {
    return this.failure;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    this.conn.client.removeListener('close', this.onClose);
  }
}

export async function uploadAtomic(conn: Connected, remotePath: string, content: Buffer | string, opts: UploadOptions = {}): Promise<UploadResult> {
  checkRemotePath(remotePath);
  if (opts.mode !== undefined && (!Number.isInteger(opts.mode) || opts.mode < 0 || opts.mode > 0o7777)) {
    throw new BulwarkError('VALIDATION', 'mode must be an integer between 0 and 0o7777', { mode: 'invalid' });
  }
  const id = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) < 2 ** 32;
  if (opts.owner !== undefined && !(id(opts.owner?.uid) && id(opts.owner?.gid))) {
    throw new BulwarkError('VALIDATION', 'owner needs numeric uid and gid', { owner: 'invalid' });
  }
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  if (!Buffer.isBuffer(data)) throw new BulwarkError('VALIDATION', 'Upload content must be a Buffer or a string', { content: 'invalid' });
  const hop = conn.hop;
  const where = `${describeHop(hop)}:${remotePath}`;
  const g = new Guard(hop, conn, opts);
  let sftp: SFTPWrapper | undefined;
  let tmp: string | undefined;
  let handle: Buffer | undefined;
  try {
    if (g.failed) throw g.failed;
    sftp = await openSftp(conn);
    const s = sftp;
    let target = remotePath;
    let existing: Stats | undefined;
    try {
      existing = await g.call<Stats>('lstat', (cb) => s.lstat(target, cb));
      if (existing.isSymbolicLink()) {
        // Replace the file the link points to and keep the link, as editors and Ansible do.
        target = await g.call<string>('realpath', (cb) => s.realpath(remotePath, cb));
        existing = await g.call<Stats>('stat', (cb) => s.stat(target, cb));
      }
    } catch (e) {
      if (!isNoSuchFile(e) || g.failed) throw e;
      existing = undefined;
    }
    if (existing && !existing.isFile()) throw sshError('SFTP_FAILED', hop, `${where} exists and is not a regular file`);

    const dir = posix.dirname(target);
    tmp = posix.join(dir, `.${posix.basename(target)}.bulwark-${randomBytes(6).toString('hex')}.tmp`);
    const tmpPath = tmp;
    handle = await g.call<Buffer>('create temporary file', (cb) => s.open(tmpPath, 'wx', { mode: 0o600 }, cb));
    const h = handle;
    for (let off = 0; off < data.length; off += CHUNK) {
      const len = Math.min(CHUNK, data.length - off);
      const pos = off;
      await g.call('write', (cb) => s.write(h, data, pos, len, pos, cb));
    }
    const mine = await g.call<Stats>('fstat', (cb) => s.fstat(h, cb));
    const owner = existing ? { uid: existing.uid, gid: existing.gid } : opts.owner;
    // chown before chmod: chown clears setuid/setgid bits.
    if (owner && (owner.uid !== mine.uid || owner.gid !== mine.gid)) {
      await g.call('chown', (cb) => s.fchown(h, owner.uid, owner.gid, cb));
    }
    const mode = existing ? existing.mode & 0o7777 : (opts.mode ?? 0o644);
    await g.call('chmod', (cb) => s.fchmod(h, mode, cb));
    let fsynced = false;
    try {
      await g.call('fsync', (cb) => s.ext_openssh_fsync(h, (err) => cb(err)));
      fsynced = true;
    } catch (e) {
      if (g.failed || !/does not support/i.test((e as Error).message ?? '')) throw e;
    }
    handle = undefined;
    await g.call('close', (cb) => s.close(h, cb));

    let posixRename = true;
    try {
      await g.call('rename', (cb) => s.ext_openssh_rename(tmpPath, target, cb));
    } catch (e) {
      if (g.failed || !/does not support/i.test((e as Error).message ?? '')) throw e;
      posixRename = false;
      try {
        await g.call('rename', (cb) => s.rename(tmpPath, target, cb));
      } catch (e2) {
        if (g.failed || !existing) throw e2;
        throw sshError('SFTP_FAILED', hop, `${where}: the server has no posix-rename@openssh.com and refused to replace the file; it was left unchanged`);
      }
    }
    tmp = undefined;
    return { path: target, bytes: data.length, mode, uid: owner?.uid ?? mine.uid, gid: owner?.gid ?? mine.gid, replaced: existing !== undefined, posixRename, fsynced };
  } catch (e) {
    if (e instanceof BulwarkError) throw e;
    const step = (e as { step?: string }).step ?? 'upload';
    throw sshError('SFTP_FAILED', hop, `Upload to ${where} failed at ${step}: ${sftpReason(e)}; the original was left unchanged`);
  } finally {
    if (sftp) {
      const s = sftp;
      if (handle) {
        const h = handle;
        await g.quiet((cb) => s.close(h, cb));
      }
      if (tmp) {
        const t = tmp;
        await g.quiet((cb) => s.unlink(t, cb));
      }
      s.end();
    }
    g.dispose();
  }
}
