/** Log history in a real vault: segments, reopening after a restart, search, retention, positions. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogEvent } from '../../../shared/domain/logs';
import { LogEventStore } from '../../../main/services/logs/event-store';
import { Vault } from '../../../main/services/vault';

const PASS = 'granite orbit lantern 47 meadow';
const open: Vault[] = [];
afterEach(() => {
  for (const v of open.splice(0)) v.close();
});

function vaultAt(path?: string): { vault: Vault; path: string } {
  const p = path ?? join(mkdtempSync(join(tmpdir(), 'bulwark-logstore-')), 'vault.db');
  const vault = new Vault({ path: p, kdf: { N: 1024, r: 8, p: 1 } });
  if (path) vault.unlock(PASS);
  else vault.create(PASS);
  open.push(vault);
  return { vault, path: p };
}

const ev = (host: string, n: number, over: Partial<LogEvent> = {}): LogEvent => ({
  time: null, host, source: 'auth.log', kind: 'auth.failed_password', ip: `192.0.2.${n % 250}`, port: 1000 + n,
  user: `user${n}`, method: 'password', keyFingerprint: null, jail: null, pid: n, raw: `Failed password for user${n} from 192.0.2.${n % 250} port ${1000 + n} ssh2`, ...over,
});

describe('LogEventStore', () => {
  it('keeps events encrypted across a restart and finds them newest first by host, kind, ip, user and text', () => {
    let now = 1_000_000;
    const { vault, path } = vaultAt();
    const store = new LogEventStore(vault, { segmentEvents: 100, now: () => now });
    for (let n = 0; n < 250; n++) store.append([ev(n % 2 ? 'web1' : 'db1', n)], now++);
    store.append([ev('web1', 999, { kind: 'f2b.ban', jail: 'sshd', ip: '198.51.100.9', raw: 'NOTICE [sshd] Ban 198.51.100.9' })], now++);
    store.setPosition('web1', 'auth.log', { inode: 12, offset: 3456 });
    store.flush();
    expect(store.stats()).toMatchObject({ events: 251, segments: 3, pending: 0 });
    // nothing readable in the file
    expect(readFileSync(path).includes(Buffer.from('user17'))).toBe(false);
    vault.close();

    const again = new LogEventStore(vaultAt(path).vault, { segmentEvents: 100, now: () => now });
    expect(again.positions('web1')).toEqual({ 'auth.log': { inode: 12, offset: 3456 } });
    expect(again.query({ limit: 3 }).map((e) => e.user)).toEqual(['user999', 'user249', 'user248']);
    expect(again.query({ hosts: ['db1'], limit: 2 }).map((e) => e.user)).toEqual(['user248', 'user246']);
    expect(again.query({ kinds: ['f2b.ban'], limit: 10 }).map((e) => e.ip)).toEqual(['198.51.100.9']);
    expect(again.query({ user: 'user7', limit: 10 })).toHaveLength(1);
    expect(again.query({ ip: '192.0.2.3', limit: 10 }).map((e) => e.user)).toEqual(['user3']);
    expect(again.query({ text: 'USER12 from', limit: 10 }).map((e) => e.user)).toEqual(['user12']);
    expect(again.query({ from: 1_000_100, to: 1_000_102, limit: 10 }).map((e) => e.user)).toEqual(['user102', 'user101', 'user100']);
  });

  it('fills the open segment on later flushes instead of writing a segment per flush, also after a restart', () => {
    let now = 5_000_000;
    const { vault, path } = vaultAt();
    const store = new LogEventStore(vault, { segmentEvents: 100, now: () => now });
    for (let n = 0; n < 30; n++) {
      store.append([ev('web1', n)], now++);
      store.flush();
    }
    expect(store.stats().segments).toBe(1);
    vault.close();
    const again = new LogEventStore(vaultAt(path).vault, { segmentEvents: 100, now: () => now });
    again.append([ev('web1', 30)], now++);
    again.flush();
    expect(again.stats()).toMatchObject({ events: 31, segments: 1 });
    expect(again.query({ limit: 100 })).toHaveLength(31);
  });

  it('drops the oldest segments beyond the event limit or the age limit; bad limits are refused', () => {
    let now = Date.UTC(2026, 0, 1);
    const { vault } = vaultAt();
    const store = new LogEventStore(vault, { segmentEvents: 1000, now: () => now, retention: { maxEvents: 2500, maxAgeDays: 30 } });
    for (let n = 0; n < 4000; n++) store.append([ev('web1', n)], now);
    store.flush();
    // 4 segments of 1000; the oldest two go to stay within 2500
    expect(store.stats()).toMatchObject({ events: 2000, segments: 2 });
    expect(vault.ids('log-segment')).toHaveLength(2);
    now += 31 * 86_400_000;
    store.append([ev('web1', 5000)], now);
    store.flush();
    expect(store.stats()).toMatchObject({ events: 1, segments: 1 });
    expect(store.query({ limit: 10 }).map((e) => e.user)).toEqual(['user5000']);
    expect(() => store.setRetention({ maxEvents: 10, maxAgeDays: 30 })).toThrow(/between 1,000 and 50,000,000/);
    expect(() => store.setRetention({ maxEvents: 1000, maxAgeDays: 0 })).toThrow(/1 to 3650 days/);
  });
});
