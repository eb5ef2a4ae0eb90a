/**
 * Connection pool. One connection per hop chain (user@host:port, through the same jumps) is
 * shared by every operation on it; a jump connection is shared by every target behind it.
 *
 * Concurrency: at most `maxPerHost` operations at once on one target connection (channels;
 * OpenSSH allows MaxSessions=10), and at most `maxConcurrent` operations over all hosts. An
 * operation waits for its host slot first, then for a global slot, so a busy host does not hold
 * global slots while it queues.
 *
 * A connection nobody uses (no operation, no connection tunnelled through it) is closed after
 * `idleTimeoutMs`. Keepalives (ssh2 keepaliveInterval/CountMax) detect dead peers; a dropped
 * connection leaves the pool at once and its running operations fail with SSH_CONNECTION_LOST.
 */
import type { Duplex } from 'node:stream';
import type { BulwarkError } from '../../../shared/errors';
import { type ConnectDeps, type Connected, connectHop, openTunnel } from './connect';
import { type Hop, aborted, describeHop, isRetryable } from './errors';
import { chainKey } from './jump';
import { Semaphore } from './semaphore';

export interface PoolLimits {
  maxConcurrent: number;
  maxPerHost: number;
  idleTimeoutMs: number;
}

interface Entry {
  key: string;
  hop: Hop;
  parent: Entry | undefined;
  ready: Promise<Connected>;
  conn: Connected | undefined;
  /** Operations using it plus connections tunnelled through it (plus ones being set up). */
  holds: number;
  idleTimer: NodeJS.Timeout | undefined;
  closed: boolean;
  /** Taken out of the pool (idle, dead or disposed): never handed out again. */
  dropped: boolean;
  /** Aborts the connection attempt (dispose). */
  setup: AbortController;
  closedPromise: Promise<void>;
  markClosed: () => void;
}

export interface PoolStats {
  connections: number;
  active: number;
  waiting: number;
}

export class ConnectionPool {
  private readonly entries = new Map<string, Entry>();
  private readonly hostSlots = new Map<string, Semaphore>();
  private readonly global: Semaphore;
  private disposed = false;

  constructor(
    private readonly deps: ConnectDeps,
    private readonly limits: PoolLimits,
  ) {
    this.global = new Semaphore(limits.maxConcurrent);
  }

  /** Runs fn on a connection to the last hop of `chain`, within the concurrency limits. */
  async use<T>(chain: Hop[], fn: (conn: Connected) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const target = chain[chain.length - 1]!;
    const abortErr = () => (this.disposed ? shutDown(target) : aborted(target, 'waiting for a connection slot'));
    if (this.disposed) throw shutDown(target);
    const key = chainKey(chain);
    const slots = this.hostSlot(key);
    const releaseHost = await slots.acquire(signal, abortErr);
    try {
      const releaseGlobal = await this.global.acquire(signal, abortErr);
      try {
        for (let attempt = 0; ; attempt++) {
          let entry: Entry | undefined;
          try {
            entry = await this.acquire(chain, signal);
            return await fn(entry.conn!);
          } catch (e) {
            // A pooled connection turned out dead before anything was sent: once more, fresh.
            if (attempt === 0 && isRetryable(e) && !this.disposed) {
              if (entry) this.drop(entry);
              continue;
            }
            throw e;
          } finally {
            if (entry) this.release(entry);
          }
        }
      } finally {
        releaseGlobal();
      }
    } finally {
      releaseHost();
      if (slots.inUse === 0 && slots.waiting === 0) this.hostSlots.delete(key);
    }
  }

  /** A held connection to the whole chain (hold released with release()). */
  private async acquire(chain: Hop[], signal: AbortSignal | undefined): Promise<Entry> {
    let parent: Entry | undefined;
    for (let i = 0; i < chain.length; i++) {
      const key = chainKey(chain.slice(0, i + 1));
      let entry = this.entries.get(key);
      if (!entry || entry.closed || entry.dropped) {
        entry = this.open(key, chain[i]!, parent);
      }
      this.hold(entry);
      try {
        await raceAbort(entry.ready, signal, () => (this.disposed ? shutDown(chain[i]!) : aborted(chain[i]!, 'connecting')));
      } catch (e) {
        this.release(entry);
        if (parent) this.release(parent);
        throw e;
      }
      if (parent) this.release(parent);
      parent = entry;
    }
    return parent!;
  }

  private open(key: string, hop: Hop, parent: Entry | undefined): Entry {
    let markClosed!: () => void;
    const closedPromise = new Promise<void>((r) => (markClosed = r));
    const entry: Entry = {
      key,
      hop,
      parent,
      conn: undefined,
      holds: 0,
      idleTimer: undefined,
      closed: false,
      dropped: false,
      setup: new AbortController(),
      closedPromise,
      markClosed,
      ready: Promise.resolve(undefined as unknown as Connected),
    };
    this.entries.set(key, entry);
    // The new connection keeps its parent open for as long as it lives.
    if (parent) this.hold(parent);
    entry.ready = this.establish(entry);
    // Callers see the rejection through their own await; this one only avoids an unhandled one.
    entry.ready.catch(() => undefined);
    return entry;
  }

  private async establish(entry: Entry): Promise<Connected> {
    const signal = entry.setup.signal;
    try {
      let sock: Duplex | undefined;
      if (entry.parent) sock = await openTunnel(await entry.parent.ready, entry.hop, signal);
      const conn = await connectHop(entry.hop, this.deps, sock, signal);
      if (entry.closed || this.disposed) {
        conn.client.end();
        throw shutDown(entry.hop);
      }
      entry.conn = conn;
      // Every running operation listens for 'close' (plus the connections tunnelled through).
      conn.client.setMaxListeners(this.limits.maxPerHost + 32);
      conn.client.on('error', () => {
        // keepalive timeouts, resets: the 'close' that follows does the bookkeeping
      });
      conn.client.on('close', () => this.onClosed(entry));
      return conn;
    } catch (e) {
      // The jump connection died under us (nothing was sent): let the retry build a new one.
      if (isRetryable(e) && entry.parent) this.drop(entry.parent);
      this.onClosed(entry);
      throw e as BulwarkError;
    }
  }

  private onClosed(entry: Entry): void {
    if (entry.closed) return;
    entry.closed = true;
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
    if (entry.conn) this.deps.onEvent?.({ type: 'closed', hop: describeHop(entry.hop) });
    entry.markClosed();
    if (entry.parent) this.release(entry.parent);
  }

  private hold(entry: Entry): void {
    entry.holds++;
    if (entry.idleTimer) {
      clearTimeout(entry.idleTimer);
      entry.idleTimer = undefined;
    }
  }

  private release(entry: Entry): void {
    entry.holds = Math.max(0, entry.holds - 1);
    if (entry.holds > 0 || entry.closed) return;
    if (this.disposed || entry.dropped) return this.drop(entry);
    entry.idleTimer = setTimeout(() => this.drop(entry), this.limits.idleTimeoutMs);
    entry.idleTimer.unref();
  }

  private drop(entry: Entry): void {
    entry.dropped = true;
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
    entry.setup.abort();
    if (entry.conn) entry.conn.client.end();
    else this.onClosed(entry);
  }

  private hostSlot(key: string): Semaphore {
    let s = this.hostSlots.get(key);
    if (!s) {
      s = new Semaphore(this.limits.maxPerHost);
      this.hostSlots.set(key, s);
    }
    return s;
  }

  /** The live connections for every hop of `chain`, first hop first (while held by use()). */
  connectedChain(chain: Hop[]): Connected[] {
    const out: Connected[] = [];
    for (let i = 0; i < chain.length; i++) {
      const conn = this.entries.get(chainKey(chain.slice(0, i + 1)))?.conn;
      if (conn) out.push(conn);
    }
    return out;
  }

  stats(): PoolStats {
    return { connections: [...this.entries.values()].filter((e) => e.conn && !e.closed).length, active: this.global.inUse, waiting: this.global.waiting };
  }

  /**
   * Stops reusing every connection opened so far: idle ones close now, busy ones when their
   * operations finish; the next operation logs in again. For when what a login uses changed
   * (a host's login key, password, user or address): a pooled session would otherwise keep
   * reporting the old way in.
   */
  retireAll(): void {
    for (const e of [...this.entries.values()]) {
      e.dropped = true;
      this.entries.delete(e.key);
      if (e.holds === 0) this.drop(e);
    }
  }

  /** Fails queued operations, closes every connection (targets before their jumps). */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const err = shutDown(undefined);
    this.global.failAll(err);
    for (const s of this.hostSlots.values()) s.failAll(err);
    const all = [...this.entries.values()];
    const depth = (e: Entry): number => (e.parent ? 1 + depth(e.parent) : 0);
    all.sort((a, b) => depth(b) - depth(a));
    for (const e of all) {
      if (e.idleTimer) clearTimeout(e.idleTimer);
      e.setup.abort();
      if (e.conn) {
        e.conn.closing = 'shutdown';
        e.conn.client.end();
      }
    }
    const waitAll = Promise.all(all.map((e) => e.closedPromise));
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 2000).unref());
    if ((await Promise.race([waitAll, timeout])) === 'timeout') {
      for (const e of all) e.conn?.client.destroy();
    }
    this.entries.clear();
  }
}

function shutDown(hop: Hop | undefined): BulwarkError {
  const e = aborted(hop, 'operation');
  e.message = 'The SSH engine was shut down';
  return e;
}

/** The promise, or the abort error as soon as the signal fires (the promise keeps running). */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal | undefined, err: () => BulwarkError): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(err());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(err());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
