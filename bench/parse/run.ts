/**
 * Parser conformance and throughput against fail2ban's own annotated sshd test logs
 * (../shared/corpus/fail2ban-sshd, outside the repo: GPL text that must not be copied in).
 *
 *   npx tsx bench/parse/run.ts [corpusDir] [repeat=200]
 *
 * For every line annotated `match: true` (fail2ban counts it as a failure), a hit is an event
 * whose kind is not `other`, whose ip is the annotated host (`host`, or `ip4`/`ip6`), and whose
 * user is the annotated `user` (or one of `users`) where one is given. The issue's own measure
 * (an event with the annotated host and user, of any kind: `other` lines keep their address) is
 * reported beside it; the target is judged on the stricter one. `sshd` is read as
 * auth.log lines; `sshd-journal` holds journald messages without timestamps, so each line
 * becomes the journald record it came from and goes through the journald reader.
 * Prints markdown; misses are listed by file:line with what was expected and what came out.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LogEvent } from '../../shared/domain/logs';
import { normalizeRemote, parseJournaldRecord, parseSyslogLine, SshdSessions } from '../../main/services/logs/parse';

const REPO_ROOT = resolve(__dirname, '../..');
const CORPUS = resolve(process.argv[2] ?? join(REPO_ROOT, '../shared/corpus/fail2ban-sshd'));
const REPEAT = Number(process.argv[3] ?? 200);
const RUNS = 5;
const TARGET = 0.99;
const HOST = 'corpus-host';
const REFERENCE = new Date('2026-12-31T23:59:59Z');

interface Annotation {
  match?: boolean;
  host?: string;
  ip4?: string;
  ip6?: string;
  user?: string;
  users?: string[];
}

interface Line {
  number: number;
  bytes: Buffer;
  annotation: Annotation | null;
}

/** How one corpus file is read: `prepare` turns a line into the reader's input once, outside the timing. */
interface Reader {
  prepare: (line: Buffer) => unknown;
  parse: (input: unknown, sessions: SshdSessions) => LogEvent;
}

/** `# failJSON: {...}` describes the line after it; other comments and blank lines are not log lines. */
function readCorpusFile(name: string): Line[] {
  const chunks = readFileSync(join(CORPUS, name)).toString('latin1').split('\n');
  const lines: Line[] = [];
  let pending: Annotation | null = null;
  chunks.forEach((chunk, i) => {
    if (chunk.startsWith('# failJSON:')) {
      pending = JSON.parse(chunk.slice('# failJSON:'.length)) as Annotation;
      return;
    }
    if (chunk.startsWith('#') || chunk.trim() === '') return;
    lines.push({ number: i + 1, bytes: Buffer.from(chunk, 'latin1'), annotation: pending });
    pending = null;
  });
  return lines;
}

const readSyslog: Reader = {
  prepare: (line) => line,
  parse: (input, sessions) => parseSyslogLine(input as Buffer, { host: HOST, source: 'auth.log', reference: REFERENCE, timeZone: 'UTC' }, sessions),
};

/** "srv sshd[13709]: message" back into the record journald would have stored. */
function journalRecordOf(line: Buffer): Record<string, unknown> {
  const text = line.toString('latin1');
  const m = /^(\S+) ([^\s[:]+)(?:\[(\d+)\])?: (.*)$/s.exec(text);
  if (!m) return { MESSAGE: text };
  const message = line.subarray(Buffer.byteLength(text.slice(0, text.length - m[4]!.length), 'latin1'));
  let utf8 = true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(message);
  } catch {
    utf8 = false;
  }
  return {
    _HOSTNAME: m[1],
    SYSLOG_IDENTIFIER: m[2],
    ...(m[3] ? { _PID: m[3], SYSLOG_PID: m[3] } : {}),
    // journald stores a message that is not valid UTF-8 as an array of bytes
    MESSAGE: utf8 ? message.toString('utf8') : [...message],
  };
}

/** As the collector will get them: one `journalctl -o json` line of text per record. */
const readJournal: Reader = {
  prepare: (line) => JSON.stringify(journalRecordOf(line)),
  parse: (input, sessions) => parseJournaldRecord(input as string, { host: HOST }, sessions),
};

const FILES: { name: string; read: Reader }[] = [
  { name: 'sshd', read: readSyslog },
  { name: 'sshd-journal', read: readJournal },
];

interface Miss {
  where: string;
  expected: string;
  got: string;
}

function expectedHost(a: Annotation): string | null {
  const host = a.host ?? a.ip4 ?? a.ip6;
  return host === undefined ? null : (normalizeRemote(host) ?? host);
}

function verdict(a: Annotation, e: LogEvent, typed: boolean): string | null {
  const problems: string[] = [];
  if (typed && e.kind === 'other') problems.push('kind other');
  const host = expectedHost(a);
  if (host !== null && e.ip !== host) problems.push(`ip ${e.ip ?? 'null'}`);
  if (a.user !== undefined && e.user !== a.user) problems.push(`user ${JSON.stringify(e.user)}`);
  if (a.users !== undefined && (e.user === null || !a.users.includes(e.user))) problems.push(`user ${JSON.stringify(e.user)} not among the annotated users`);
  return problems.length ? problems.join(', ') : null;
}

function conformance(name: string, lines: Line[], read: Reader): { annotated: number; hits: number; anyKind: number; misses: Miss[] } {
  const sessions = new SshdSessions();
  let annotated = 0;
  let hits = 0;
  let anyKind = 0;
  const misses: Miss[] = [];
  for (const line of lines) {
    const event = read.parse(read.prepare(line.bytes), sessions);
    if (!line.annotation?.match) continue;
    annotated++;
    if (verdict(line.annotation, event, false) === null) anyKind++;
    const problem = verdict(line.annotation, event, true);
    if (problem === null) hits++;
    else {
      const a = line.annotation;
      const expected = [expectedHost(a) && `ip ${expectedHost(a)}`, a.user !== undefined && `user ${JSON.stringify(a.user)}`].filter(Boolean).join(', ');
      misses.push({ where: `${name}:${line.number}`, expected: expected || 'a non-other kind', got: `${event.kind}: ${problem}` });
    }
  }
  return { annotated, hits, anyKind, misses };
}

/** Lines per second over the file's lines `REPEAT` times, one session memory per pass; sorted, one per run. */
function throughput(lines: Line[], read: Reader): number[] {
  const inputs = lines.map((l) => read.prepare(l.bytes));
  // one untimed pass, so the first timed run measures compiled code like the others
  for (const input of inputs) read.parse(input, new SshdSessions());
  const perSecond: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const t = performance.now();
    for (let r = 0; r < REPEAT; r++) {
      const sessions = new SshdSessions();
      for (const input of inputs) read.parse(input, sessions);
    }
    perSecond.push((inputs.length * REPEAT) / ((performance.now() - t) / 1000));
  }
  return perSecond.sort((a, b) => a - b);
}

const pct = (n: number, d: number) => (d === 0 ? '–' : `${((100 * n) / d).toFixed(1)} %`);

function main(): void {
  if (!FILES.every((f) => existsSync(join(CORPUS, f.name)))) {
    console.log(`bench/parse: no fail2ban corpus at ${CORPUS} (expects files ${FILES.map((f) => f.name).join(', ')}); nothing to measure.`);
    return;
  }
  const loaded = FILES.map((f) => ({ ...f, lines: readCorpusFile(f.name) }));

  console.log(`\n## Log parser conformance: fail2ban's annotated sshd logs (${CORPUS})\n`);
  console.log('| file | lines | `match: true` | typed event with host (and user) | rate | event of any kind with host (and user) | rate |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  let annotated = 0;
  let hits = 0;
  let anyKind = 0;
  const misses: Miss[] = [];
  for (const f of loaded) {
    const r = conformance(f.name, f.lines, f.read);
    annotated += r.annotated;
    hits += r.hits;
    anyKind += r.anyKind;
    misses.push(...r.misses);
    console.log(`| ${f.name} | ${f.lines.length} | ${r.annotated} | ${r.hits} | ${pct(r.hits, r.annotated)} | ${r.anyKind} | ${pct(r.anyKind, r.annotated)} |`);
  }
  console.log(`| **total** | ${loaded.reduce((n, f) => n + f.lines.length, 0)} | ${annotated} | ${hits} | **${pct(hits, annotated)}** (target ${TARGET * 100} %) | ${anyKind} | ${pct(anyKind, annotated)} |`);
  console.log(misses.length ? '\nMisses:\n' : '\nNo misses.');
  for (const m of misses) console.log(`- ${m.where}: expected ${m.expected}; got ${m.got}`);

  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  console.log(`\nThroughput: every log line of the file (annotated or not) ${REPEAT} times per run, ${RUNS} runs, one core:\n`);
  console.log('| file (reader) | lines per run | median lines/s | min | max |');
  console.log('|---|---:|---:|---:|---:|');
  for (const f of loaded) {
    const perSecond = throughput(f.lines, f.read);
    console.log(`| ${f.name} (${f.read === readSyslog ? 'parseSyslogLine, Buffer in' : 'parseJournaldRecord, JSON text in'}) | ${n(f.lines.length * REPEAT)} | **${n(perSecond[Math.floor(RUNS / 2)]!)}** | ${n(perSecond[0]!)} | ${n(perSecond[RUNS - 1]!)} |`);
  }
  if (hits / annotated < TARGET) process.exitCode = 1;
}

main();
