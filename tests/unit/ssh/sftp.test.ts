/**
 * Atomic uploads. Two servers: OpenSSH's own sftp-server behind the in-process SSH server (real
 * posix-rename@openssh.com and fsync@openssh.com; skipped when the binary is not installed), and
 * a small in-process SFTP handler over the same filesystem that can fail on demand.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostKeyStore, type SshEngine } from '../../../main/services/ssh';
import { testVault, SFTP_SERVER, expectCode, hasTool, makeEngine, tempDir } from './helpers';
import { type SftpOptions, type TestServer, startServer } from './test-server';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const isRoot = process.getuid?.() === 0;

async function setup(sftp: SftpOptions): Promise<{ server: TestServer; engine: SshEngine; target: { host: string; port: number; user: string } }> {
  const server = await startServer({ users: { alice: { password: 'pw' } }, sftp });
  const hostKeys = new HostKeyStore(testVault());
  hostKeys.trust('127.0.0.1', server.port, server.hostKey.blob);
  const engine = makeEngine({ hostKeys, credentials: () => ({ password: 'pw' }) });
  return { server, engine, target: { host: '127.0.0.1', port: server.port, user: 'alice' } };
}

function dirFor(name: string): string {
  const d = join(tmp.dir, name);
  mkdirSync(d, { recursive: true });
  return d;
}

const leftovers = (dir: string) => readdirSync(dir).filter((f) => f.includes('.bulwark-'));

describe.skipIf(!hasTool(SFTP_SERVER))('atomic upload through OpenSSH sftp-server', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    ctx = await setup({ kind: 'openssh' });
  });
  afterAll(async () => {
    await ctx.engine.dispose();
    await ctx.server.close();
  });

  it('creates a new file with the given mode, fsynced and posix-renamed', async () => {
    const dir = dirFor('openssh-new');
    const path = join(dir, 'sshd_config.d', 'bulwark.conf');
    mkdirSync(join(dir, 'sshd_config.d'));
    const r = await ctx.engine.upload(ctx.target, path, 'PasswordAuthentication no\n', { mode: 0o600 });
    expect(r).toMatchObject({ path, bytes: 26, mode: 0o600, replaced: false, posixRename: true, fsynced: true });
    expect(readFileSync(path, 'utf8')).toBe('PasswordAuthentication no\n');
    expect(statSync(path).mode & 0o7777).toBe(0o600);
    expect(leftovers(join(dir, 'sshd_config.d'))).toEqual([]);
  });

  it('replaces an existing file keeping its mode and owner', async () => {
    const dir = dirFor('openssh-existing');
    const path = join(dir, 'config');
    writeFileSync(path, 'old\n');
    chmodSync(path, 0o640);
    if (isRoot) chownSync(path, 1234, 5678);
    const big = Buffer.alloc(200_000, 'x');
    const r = await ctx.engine.upload(ctx.target, path, big, { mode: 0o777 /* ignored: the file exists */ });
    expect(r).toMatchObject({ replaced: true, mode: 0o640, posixRename: true, bytes: big.length });
    expect(readFileSync(path).equals(big)).toBe(true);
    const st = statSync(path);
    expect(st.mode & 0o7777).toBe(0o640);
    if (isRoot) expect([st.uid, st.gid]).toEqual([1234, 5678]);
    expect(leftovers(dir)).toEqual([]);
  });

  it.skipIf(!isRoot)('gives a new file the requested owner', async () => {
    const dir = dirFor('openssh-owner');
    const r = await ctx.engine.upload(ctx.target, join(dir, 'owned'), 'x', { owner: { uid: 1111, gid: 2222 }, mode: 0o640 });
    expect(r).toMatchObject({ uid: 1111, gid: 2222, mode: 0o640 });
    const st = statSync(join(dir, 'owned'));
    expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([1111, 2222, 0o640]);
    await expectCode(ctx.engine.upload(ctx.target, join(dir, 'x'), 'x', { owner: { uid: -1, gid: 0 } }), 'VALIDATION');
  });

  it('writes through a symlink to the file it points to, keeping the link', async () => {
    const dir = dirFor('openssh-link');
    writeFileSync(join(dir, 'real.conf'), 'old');
    symlinkSync('real.conf', join(dir, 'link.conf'));
    await ctx.engine.upload(ctx.target, join(dir, 'link.conf'), 'new');
    expect(readFileSync(join(dir, 'real.conf'), 'utf8')).toBe('new');
    expect(statSync(join(dir, 'link.conf')).isFile()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['link.conf', 'real.conf']);
  });

  it('fails cleanly when the directory does not exist', async () => {
    await expectCode(ctx.engine.upload(ctx.target, join(tmp.dir, 'nope', 'x.conf'), 'x'), 'SFTP_FAILED', /create temporary file: no such file/);
  });

  it('refuses a directory as target and relative paths', async () => {
    const dir = dirFor('openssh-dir');
    await expectCode(ctx.engine.upload(ctx.target, dir, 'x'), 'SFTP_FAILED', /not a regular file/);
    await expectCode(ctx.engine.upload(ctx.target, 'relative/path', 'x'), 'VALIDATION');
    await expectCode(ctx.engine.upload(ctx.target, '/etc/../etc/passwd', 'x'), 'VALIDATION');
  });
});

describe('atomic upload, failure injection (in-process SFTP handler)', () => {
  it('a write failure leaves the original intact and no temporary file behind', async () => {
    const { server, engine, target } = await setup({ kind: 'inproc', failOn: 'WRITE', failAfter: 2, renameOverwrites: true });
    try {
      const dir = dirFor('inproc-write');
      const path = join(dir, 'authorized_keys');
      writeFileSync(path, 'original\n');
      chmodSync(path, 0o600);
      const err = await expectCode(engine.upload(target, path, Buffer.alloc(300_000, 'y')), 'SFTP_FAILED', /failed at write: failure; the original was left unchanged/);
      expect(err.message).toContain(path);
      expect(readFileSync(path, 'utf8')).toBe('original\n');
      expect(statSync(path).mode & 0o7777).toBe(0o600);
      expect(leftovers(dir)).toEqual([]);
      expect(server.stats.sftpRequests).toContain('REMOVE');
    } finally {
      await engine.dispose();
      await server.close();
    }
  });

  it('a failed chown (cannot keep the owner) aborts before the rename', async () => {
    const { server, engine, target } = await setup({ kind: 'inproc', failOn: 'FSETSTAT', renameOverwrites: true });
    try {
      const dir = dirFor('inproc-chown');
      const path = join(dir, 'sudoers.d-file');
      writeFileSync(path, 'original');
      if (isRoot) chownSync(path, 4321, 4321);
      await expectCode(engine.upload(target, path, 'replacement'), 'SFTP_FAILED', /failed at (chown|chmod): permission denied/);
      expect(readFileSync(path, 'utf8')).toBe('original');
      expect(leftovers(dir)).toEqual([]);
      expect(server.stats.sftpRequests).not.toContain('RENAME');
    } finally {
      await engine.dispose();
      await server.close();
    }
  });

  it('without posix-rename, a server that will not overwrite leaves the original', async () => {
    const { server, engine, target } = await setup({ kind: 'inproc', renameOverwrites: false });
    try {
      const dir = dirFor('inproc-norename');
      const path = join(dir, 'file');
      writeFileSync(path, 'original');
      await expectCode(engine.upload(target, path, 'new'), 'SFTP_FAILED', /no posix-rename@openssh\.com/);
      expect(readFileSync(path, 'utf8')).toBe('original');
      expect(leftovers(dir)).toEqual([]);
      // a new file needs no overwrite: plain rename is fine
      const r = await engine.upload(target, join(dir, 'fresh'), 'hello', { mode: 0o604 });
      expect(r).toMatchObject({ posixRename: false, fsynced: false, replaced: false, mode: 0o604 });
      expect(statSync(join(dir, 'fresh')).mode & 0o7777).toBe(0o604);
    } finally {
      await engine.dispose();
      await server.close();
    }
  });

  it('a server that overwrites on plain rename replaces the file', async () => {
    const { server, engine, target } = await setup({ kind: 'inproc', renameOverwrites: true });
    try {
      const dir = dirFor('inproc-overwrite');
      const path = join(dir, 'file');
      writeFileSync(path, 'original');
      chmodSync(path, 0o751);
      const r = await engine.upload(target, path, 'replaced');
      expect(r).toMatchObject({ replaced: true, mode: 0o751, posixRename: false });
      expect(readFileSync(path, 'utf8')).toBe('replaced');
      expect(statSync(path).mode & 0o7777).toBe(0o751);
    } finally {
      await engine.dispose();
      await server.close();
    }
  });

  it('an aborted upload cleans up its temporary file', async () => {
    const { server, engine, target } = await setup({ kind: 'inproc', renameOverwrites: true });
    try {
      const dir = dirFor('inproc-abort');
      const path = join(dir, 'file');
      writeFileSync(path, 'original');
      const ac = new AbortController();
      const p = engine.upload(target, path, Buffer.alloc(5_000_000, 'z'), { signal: ac.signal });
      setTimeout(() => ac.abort(), 30);
      await expectCode(p, 'ABORTED');
      expect(readFileSync(path, 'utf8')).toBe('original');
      expect(leftovers(dir)).toEqual([]);
      expect(existsSync(path)).toBe(true);
    } finally {
      await engine.dispose();
      await server.close();
    }
  });
});
