/**
 * An in-process ssh2 Server on 127.0.0.1 for protocol-level tests: real SSH over loopback.
 * Commands run in a real local `sh -c` (so quoting is exercised by a real shell) with a fake
 * `sudo` first in PATH; direct-tcpip forwarding makes it usable as a jump host; SFTP is served
 * either by a small handler over the local filesystem (with failure injection) or by OpenSSH's
 * own sftp-server binary when it is installed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { type AddressInfo, type Socket, connect as netConnect } from 'node:net';
import { type AuthContext, type Connection, type ParsedKey, Server, type ServerChannel, type SFTPWrapper, utils } from 'ssh2';
import { fingerprintOf } from '../../../main/services/ssh';
import { type KeyPair, SFTP_SERVER, makeKey } from './helpers';

const { STATUS_CODE, flagsToString } = utils.sftp;

export interface TestUser {
  password?: string;
  keys?: ParsedKey[];
  /** Answer keyboard-interactive with this password instead of accepting "password". */
  keyboardOnly?: boolean;
}

export interface SftpOptions {
  kind: 'inproc' | 'openssh';
  /** inproc: fail this request type (after `after` successful ones). */
  failOn?: 'WRITE' | 'RENAME' | 'FSETSTAT';
  failAfter?: number;
  /** inproc: plain RENAME replaces an existing target (POSIX) or refuses like OpenSSH (link()). */
  renameOverwrites?: boolean;
}

export interface TestServerOptions {
  users: Record<string, TestUser>;
  hostKey?: KeyPair;
  /** Extra environment for commands (e.g. FAKE_SUDO_DIR); PATH gets `binDir` first. */
  env?: Record<string, string>;
  binDir?: string;
  forwarding?: boolean;
  sftp?: SftpOptions;
}

export interface AuthAttempt {
  user: string;
  method: string;
}

export interface ServerStats {
  connections: number;
  openConnections: number;
  authAttempts: AuthAttempt[];
  commands: string[];
  activeExecs: number;
  maxActiveExecs: number;
  forwards: Array<{ host: string; port: number }>;
  sftpRequests: string[];
  signals: string[];
}

export interface TestServer {
  port: number;
  hostKey: KeyPair;
  fingerprint: string;
  stats: ServerStats;
  /** Drops every client connection (simulates a network failure / host reboot). */
  killConnections(): void;
  /** Stops reading from every client connection (a hung host: no answer, no reset). */
  freezeConnections(): void;
  close(): Promise<void>;
}

export async function startServer(opts: TestServerOptions): Promise<TestServer> {
  const hostKey = opts.hostKey ?? makeKey();
  const stats: ServerStats = {
    connections: 0,
    openConnections: 0,
    authAttempts: [],
    commands: [],
    activeExecs: 0,
    maxActiveExecs: 0,
    forwards: [],
    sftpRequests: [],
    signals: [],
  };
  const clients = new Set<Connection>();
  const children = new Set<ChildProcess>();
  // ssh2's server does not emit "signal" requests that arrive after exec (OpenSSH acts on
  // them); its protocol debug output still shows that they arrived.
  const debug = (msg: string) => {
    const m = /Inbound: CHANNEL_REQUEST \(r:\d+, signal: (\w+)\)/.exec(msg);
    if (m) stats.signals.push(m[1]!);
  };
  const server = new Server({ hostKeys: [hostKey.private], debug }, (client) => {
    stats.connections++;
    stats.openConnections++;
    clients.add(client);
    let user = '';
    client.on('close', () => {
      stats.openConnections--;
      clients.delete(client);
    });
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      stats.authAttempts.push({ user: ctx.username, method: ctx.method });
      user = ctx.username;
      authenticate(ctx, opts.users[ctx.username]);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        let child: ChildProcess | undefined;
        session.on('signal', (acceptSig, _reject, info) => {
          if (child) killGroup(child, `SIG${info.name}` as NodeJS.Signals);
          acceptSig?.();
        });
        session.on('exec', (acceptExec, _reject, info) => {
          stats.commands.push(info.command);
          const stream = acceptExec();
          child = runCommand(info.command, stream, opts, stats, user);
          children.add(child);
          child.on('close', () => children.delete(child!));
        });
        if (opts.sftp?.kind === 'inproc') {
          session.on('sftp', (acceptSftp) => serveSftp(acceptSftp(), opts.sftp!, stats));
        } else if (opts.sftp?.kind === 'openssh') {
          session.on('subsystem', (acceptSub, rejectSub, info) => {
            if (info.name !== 'sftp') return rejectSub();
            const ch = acceptSub();
            const p = spawn(SFTP_SERVER, [], { stdio: ['pipe', 'pipe', 'ignore'] });
            children.add(p);
            ch.pipe(p.stdin!);
            p.stdout!.pipe(ch);
            p.stdin!.on('error', () => undefined);
            p.on('close', () => {
              children.delete(p);
              ch.end();
            });
            ch.on('close', () => p.kill());
          });
        }
      });
      if (opts.forwarding) {
        client.on('tcpip', (acceptTcp, rejectTcp, info) => {
          stats.forwards.push({ host: info.destIP, port: info.destPort });
          const sock: Socket = netConnect(info.destPort, info.destIP);
          sock.once('connect', () => {
            const ch = acceptTcp();
            ch.pipe(sock).pipe(ch);
            ch.on('close', () => sock.destroy());
            sock.on('close', () => ch.end());
          });
          sock.once('error', () => rejectTcp());
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    hostKey,
    fingerprint: fingerprintOf(hostKey.blob),
    stats,
    killConnections() {
      for (const c of clients) (c as unknown as { _sock: Socket })._sock.destroy();
    },
    freezeConnections() {
      for (const c of clients) (c as unknown as { _sock: Socket })._sock.pause();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of children) killGroup(c, 'SIGKILL');
        for (const c of clients) c.end();
        server.close(() => resolve());
      }),
  };
}

function authenticate(ctx: AuthContext, user: TestUser | undefined): void {
  if (!user) return ctx.reject();
  const methods: Array<'password' | 'publickey' | 'keyboard-interactive'> = [];
  if (user.password !== undefined) methods.push(user.keyboardOnly ? 'keyboard-interactive' : 'password');
  if (user.keys?.length) methods.push('publickey');
  switch (ctx.method) {
    case 'password':
      if (!user.keyboardOnly && user.password !== undefined && ctx.password === user.password) return ctx.accept();
      return ctx.reject(methods);
    case 'keyboard-interactive':
      if (!user.keyboardOnly) return ctx.reject(methods);
      return ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) => {
        if (answers[0] === user.password) ctx.accept();
        else ctx.reject(methods);
      });
    case 'publickey': {
      const key = user.keys?.find((k) => k.getPublicSSH().equals(ctx.key.data));
      if (!key) return ctx.reject(methods);
      if (!ctx.signature) return ctx.accept(); // the "would this key do?" query
      if (key.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true) return ctx.accept();
      return ctx.reject(methods);
    }
    default:
      return ctx.reject(methods);
  }
}

function runCommand(command: string, stream: ServerChannel, opts: TestServerOptions, stats: ServerStats, user: string): ChildProcess {
  stats.activeExecs++;
  stats.maxActiveExecs = Math.max(stats.maxActiveExecs, stats.activeExecs);
  const PATH = `${opts.binDir ? `${opts.binDir}:` : ''}/usr/local/bin:/usr/bin:/bin`;
  // Own process group, so that killing it also kills what `sh -c` started (sleep, ...).
  const child = spawn('/bin/sh', ['-c', command], { env: { PATH, LOGNAME: user, USER: user, HOME: '/tmp', ...opts.env }, stdio: 'pipe', detached: true });
  stream.pipe(child.stdin);
  child.stdin.on('error', () => undefined);
  child.stdout.on('data', (d: Buffer) => stream.write(d));
  child.stderr.on('data', (d: Buffer) => stream.stderr.write(d));
  let finished = false;
  child.on('close', (code, signal) => {
    finished = true;
    stats.activeExecs--;
    if (signal) stream.exit(signal.replace(/^SIG/, ''), false, '');
    else stream.exit(code ?? 0);
    stream.end();
  });
  stream.on('close', () => {
    if (!finished) killGroup(child, 'SIGKILL');
  });
  return child;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Enough of an SFTP server over the local filesystem for uploads (absolute paths). */
function serveSftp(sftp: SFTPWrapper, o: SftpOptions, stats: ServerStats): void {
  const handles = new Map<number, number>();
  let next = 1;
  const counts: Record<string, number> = {};
  const fd = (h: Buffer) => handles.get(h.readUInt32BE(0));
  const status = (id: number, e: unknown) => {
    const code = (e as NodeJS.ErrnoException)?.code;
    sftp.status(id, code === 'ENOENT' ? STATUS_CODE.NO_SUCH_FILE : code === 'EACCES' || code === 'EPERM' ? STATUS_CODE.PERMISSION_DENIED : STATUS_CODE.FAILURE);
  };
  const injected = (type: string): boolean => {
    stats.sftpRequests.push(type);
    counts[type] = (counts[type] ?? 0) + 1;
    return o.failOn === type && counts[type]! > (o.failAfter ?? 0);
  };
  const attrsOf = (s: fs.Stats) => ({ mode: s.mode, uid: s.uid, gid: s.gid, size: s.size, atime: Math.floor(s.atimeMs / 1000), mtime: Math.floor(s.mtimeMs / 1000) });
  const setattrs = (apply: { chmod: (m: number) => void; chown: (u: number, g: number) => void }, a: { mode?: number; uid?: number; gid?: number }) => {
    if (a.uid !== undefined && a.gid !== undefined) apply.chown(a.uid, a.gid);
    if (a.mode !== undefined) apply.chmod(a.mode & 0o7777);
  };
  sftp.on('OPEN', (id, filename, flags, attrs) => {
    injected('OPEN');
    try {
      const f = fs.openSync(filename, flagsToString(flags) ?? 'r', attrs.mode ?? 0o644);
      const h = Buffer.alloc(4);
      h.writeUInt32BE(next);
      handles.set(next++, f);
      sftp.handle(id, h);
    } catch (e) {
      status(id, e);
    }
  });
  sftp.on('WRITE', (id, h, offset, data) => {
    if (injected('WRITE')) return sftp.status(id, STATUS_CODE.FAILURE);
    try {
      fs.writeSync(fd(h)!, data, 0, data.length, offset);
      sftp.status(id, STATUS_CODE.OK);
    } catch (e) {
      status(id, e);
    }
  });
  sftp.on('FSTAT', (id, h) => {
    injected('FSTAT');
    try {
      sftp.attrs(id, attrsOf(fs.fstatSync(fd(h)!)));
    } catch (e) {
      status(id, e);
    }
  });
  sftp.on('FSETSTAT', (id, h, attrs) => {
    if (injected('FSETSTAT')) return sftp.status(id, STATUS_CODE.PERMISSION_DENIED);
    try {
      const f = fd(h)!;
      setattrs({ chmod: (m) => fs.fchmodSync(f, m), chown: (u, g) => fs.fchownSync(f, u, g) }, attrs);
      sftp.status(id, STATUS_CODE.OK);
    } catch (e) {
      status(id, e);
    }
  });
  sftp.on('CLOSE', (id, h) => {
    injected('CLOSE');
    const k = h.readUInt32BE(0);
    const f = handles.get(k);
    if (f === undefined) return sftp.status(id, STATUS_CODE.FAILURE);
    fs.closeSync(f);
    handles.delete(k);
    sftp.status(id, STATUS_CODE.OK);
  });
  for (const type of ['LSTAT', 'STAT'] as const) {
    sftp.on(type, (id: number, path: string) => {
      injected(type);
      try {
        sftp.attrs(id, attrsOf(type === 'LSTAT' ? fs.lstatSync(path) : fs.statSync(path)));
      } catch (e) {
        status(id, e);
      }
    });
  }
  sftp.on('REALPATH', (id, path) => {
    injected('REALPATH');
    try {
      sftp.name(id, [{ filename: fs.realpathSync(path), longname: '', attrs: {} as never }]);
    } catch (e) {
      status(id, e);
    }
  });
  sftp.on('RENAME', (id, from, to) => {
    if (injected('RENAME')) return sftp.status(id, STATUS_CODE.FAILURE);
    try {
      if (!o.renameOverwrites && fs.existsSync(to)) return sftp.status(id, STATUS_CODE.FAILURE);
      fs.renameSync(from, to);
      sftp.status(id, STATUS_CODE.OK);
    } catch (e) {
      status(id, e);
    }
  });
  sftp.on('REMOVE', (id, path) => {
    injected('REMOVE');
    try {
      fs.unlinkSync(path);
      sftp.status(id, STATUS_CODE.OK);
    } catch (e) {
      status(id, e);
    }
  });
}
