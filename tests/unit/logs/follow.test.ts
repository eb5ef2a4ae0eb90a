/** Choosing sources from the probe, the follow commands' validation, and the byte stream into events and positions. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FOLLOW_HEADER, fileFollowCommand, journalFollowCommand } from '../../../main/services/logs/follow-commands';
import { FollowStream } from '../../../main/services/logs/follow-stream';
import { planSources } from '../../../main/services/logs/sources';

const AUTH = { kind: 'file', source: 'auth.log', path: '/var/log/auth.log', sudo: true } as const;
const line = (user: string) => `2026-11-26T06:25:58.333267+00:00 h1 sshd[48]: Invalid user ${user} from 192.0.2.7 port 4242\n`;

describe('planSources', () => {
  it('auth.log and fail2ban.log through sudo for a user outside adm; the zone from /etc/localtime', () => {
    const plan = planSources('1000\nadmin sudo\nfile /var/log/auth.log\nfile /var/log/fail2ban.log\njournalctl\nzone Europe/Berlin\n', 'h1');
    expect(plan).toEqual({ sources: [AUTH, { kind: 'file', source: 'fail2ban.log', path: '/var/log/fail2ban.log', sudo: true }], timeZone: 'Europe/Berlin', machineId: undefined });
  });

  it('the journal without sudo for systemd-journal members; root never needs sudo; a bad zone is ignored', () => {
    expect(planSources('1000\nadmin systemd-journal\njournalctl\nzone Not/A_Zone\nmachine 070e53bfd9a8d17cd5311429eb3ec02a\n', 'h1')).toEqual({ sources: [{ kind: 'journal', source: 'journald', sudo: false }], timeZone: undefined, machineId: '070e53bfd9a8d17cd5311429eb3ec02a' });
    expect(planSources('0\nroot\nfile /var/log/secure\n', 'h1').sources).toEqual([{ kind: 'file', source: 'secure', path: '/var/log/secure', sudo: false }]);
  });

  it('says what is missing', () => {
    expect(() => planSources('1000\nadmin\nzone UTC\n', 'h1')).toThrow(/h1 has no auth log Bulwark can follow/);
    expect(() => planSources('sh: 1: id: not found\n', 'h1')).toThrow(/h1 did not answer the log probe/);
  });
});

describe('follow commands', () => {
  it('journal: after a validated cursor, or from now', () => {
    expect(journalFollowCommand(null)).toMatch(/^exec journalctl --follow --merge --output=json .* -n 1 SYSLOG_IDENTIFIER=sshd \+ SYSLOG_IDENTIFIER=sshd-session \+ SYSLOG_IDENTIFIER=sshd-auth \+ SYSLOG_IDENTIFIER=sudo \+ _SYSTEMD_UNIT=fail2ban.service$/);
    expect(journalFollowCommand('s=ab12;i=3f;b=cd;m=1a;t=5;x=9')).toContain("--cursor='s=ab12;i=3f;b=cd;m=1a;t=5;x=9'");
    expect(() => journalFollowCommand("x'; rm -rf / #")).toThrow(/not a journald cursor/);
  });

  it('file: refuses positions that are not whole non-negative numbers', () => {
    expect(() => fileFollowCommand(AUTH, { inode: 1.5, offset: 0 })).toThrow(/bad file position/);
    expect(() => fileFollowCommand(AUTH, { inode: 1, offset: -1 })).toThrow(/bad file position/);
  });

  // the follower script itself, run by a real sh on a scratch directory (the path swapped in)
  it("file: resumes at the offset, reads the rest of a rotated file by inode first, then the new one", () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-follow-'));
    const f = join(dir, 'auth.log');
    writeFileSync(f, line('a') + line('b'));
    const ino = Number(execFileSync('stat', ['-c', '%i', f], { encoding: 'utf8' }));
    const run = (from: { inode: number | null; offset: number } | null) => {
      const script = fileFollowCommand(AUTH, from).replaceAll("'/var/log/auth.log'", `'${f}'`).replaceAll("'/var/log'", `'${dir}'`).replace('exec tail -s 0.1 -c +$((off + 1)) -F -- "$f" 2>&1', 'tail -c +$((off + 1)) -- "$f"');
      return execFileSync('sh', ['-c', script], { encoding: 'latin1' });
    };
    expect(run(null)).toBe(`${FOLLOW_HEADER} ${ino} ${2 * line('a').length}\n`);
    expect(run({ inode: ino, offset: line('a').length })).toBe(`${FOLLOW_HEADER} ${ino} ${line('a').length}\n${line('b')}`);
    // rotated: auth.log -> auth.log.1 (same inode), a new auth.log
    execFileSync('sh', ['-c', `mv '${f}' '${f}.1' && printf '%s' '${line('c')}' > '${f}'`]);
    const ino2 = Number(execFileSync('stat', ['-c', '%i', f], { encoding: 'utf8' }));
    expect(run({ inode: ino, offset: line('a').length })).toBe(`${line('b')}${FOLLOW_HEADER} ${ino2} 0\n${line('c')}`);
    // truncated in place below the offset: from its start
    writeFileSync(f, line('d'));
    expect(run({ inode: ino2, offset: 10_000 })).toBe(`${FOLLOW_HEADER} ${ino2} 0\n${line('d')}`);
  });
});

describe('FollowStream', () => {
  it('counts only whole lines into the file position, across chunks and a header', () => {
    const s = new FollowStream('h1', AUTH, 'UTC', null);
    const text = `${FOLLOW_HEADER} 77 100\n${line('a')}${line('b')}`;
    const cut = text.length - 10;
    const first = s.push(Buffer.from(text.slice(0, cut), 'latin1'));
    expect(first.map((e) => e.user)).toEqual(['a']);
    expect(s.position).toEqual({ inode: 77, offset: 100 + line('a').length });
    const second = s.push(Buffer.from(text.slice(cut), 'latin1'));
    expect(second.map((e) => [e.kind, e.user, e.ip, e.host, e.source])).toEqual([['auth.invalid_user', 'b', '192.0.2.7', 'h1', 'auth.log']]);
    expect(s.position).toEqual({ inode: 77, offset: 100 + 2 * line('a').length });
  });

  it("bytes before the header count against the resume position; tail's notices reset it to the new file", () => {
    const s = new FollowStream('h1', AUTH, 'UTC', { inode: 5, offset: 40 });
    s.push(Buffer.from(line('old'), 'latin1'));
    expect(s.position).toEqual({ inode: 5, offset: 40 + line('old').length });
    // a resume position is not yet the remote side's: only its header establishes the stream
    expect(s.established).toBe(false);
    s.push(Buffer.from(`${FOLLOW_HEADER} 6 0\n`, 'latin1'));
    expect(s.established).toBe(true);
    s.push(Buffer.from(`${line('x')}tail: '/var/log/auth.log' has been replaced;  following new file\n${line('y')}`, 'latin1'));
    expect(s.position).toEqual({ inode: null, offset: line('y').length });
    // a second header line is a log line's business, not a position
    s.push(Buffer.from(`${FOLLOW_HEADER} 9 999\n`, 'latin1'));
    expect(s.position).toEqual({ inode: null, offset: line('y').length + `${FOLLOW_HEADER} 9 999\n`.length });
  });

  it('journal: a first start takes the last old record for its cursor only', () => {
    const s = new FollowStream('h2', { kind: 'journal', source: 'journald', sudo: false }, undefined, null);
    const old = { __CURSOR: 's=1;i=1', SYSLOG_IDENTIFIER: 'sshd', _PID: '7', MESSAGE: 'Server listening on 0.0.0.0 port 22.' };
    const now = { ...old, __CURSOR: 's=1;i=2', MESSAGE: 'Failed password for root from 192.0.2.9 port 5 ssh2' };
    expect(s.push(Buffer.from(`${JSON.stringify(old).slice(0, 20)}`))).toEqual([]);
    expect(s.established).toBe(false);
    expect(s.push(Buffer.from(`${JSON.stringify(old).slice(20)}\n`))).toEqual([]);
    expect(s.established).toBe(true);
    expect(s.position).toEqual({ cursor: 's=1;i=1' });
    expect(s.push(Buffer.from(`${JSON.stringify(now)}\n`)).map((e) => e.kind)).toEqual(['auth.failed_password']);
  });

  it('journal: resuming at a cursor drops that record only, and nothing when journalctl starts past it', () => {
    const rec = (i: number) => JSON.stringify({ __CURSOR: `s=1;i=${i}`, SYSLOG_IDENTIFIER: 'sshd', _PID: '7', MESSAGE: `Invalid user u${i} from 192.0.2.9 port 5` });
    const exact = new FollowStream('h2', { kind: 'journal', source: 'journald', sudo: false }, undefined, { cursor: 's=1;i=1' });
    expect(exact.push(Buffer.from(`${rec(1)}\n${rec(2)}\n`)).map((e) => e.user)).toEqual(['u2']);
    const past = new FollowStream('h2', { kind: 'journal', source: 'journald', sudo: false }, undefined, { cursor: 's=1;i=1' });
    expect(past.push(Buffer.from(`${rec(2)}\n${rec(3)}\n`)).map((e) => e.user)).toEqual(['u2', 'u3']);
  });

  it('journal: the cursor of the last whole record; broken JSON stays an event', () => {
    const s = new FollowStream('h2', { kind: 'journal', source: 'journald', sudo: false }, undefined, { cursor: 's=1;i=0' });
    const rec = { __CURSOR: 's=1;i=2', __REALTIME_TIMESTAMP: '1795674324559016', SYSLOG_IDENTIFIER: 'sshd', _PID: '7', MESSAGE: 'Failed password for root from 192.0.2.9 port 5 ssh2' };
    const out = s.push(Buffer.from(`${JSON.stringify(rec)}\n{"__CURSOR": "s=1;i=3", "MESS`));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'auth.failed_password', ip: '192.0.2.9', user: 'root', source: 'journald', host: 'h2' });
    expect(s.position).toEqual({ cursor: 's=1;i=2' });
    expect(s.push(Buffer.from('not json at all\n'))[0]).toMatchObject({ kind: 'other' });
    // merged remote journals: another machine's records are not this host's
    const mine = new FollowStream('h2', { kind: 'journal', source: 'journald', sudo: false }, undefined, { cursor: 's=0' }, 'aa'.repeat(16));
    const other = { ...rec, __CURSOR: 's=9', _MACHINE_ID: 'bb'.repeat(16) };
    expect(mine.push(Buffer.from(`${JSON.stringify(other)}\n${JSON.stringify({ ...rec, _MACHINE_ID: 'aa'.repeat(16) })}\n`)).map((e) => e.ip)).toEqual(['192.0.2.9']);
    expect(mine.position).toEqual({ cursor: 's=1;i=2' });
  });
});
