/**
 * Turns one follower's byte stream into typed events and a resume position. Pure (no I/O): the
 * host follower feeds it chunks; it keeps the partial last line, so a position only ever counts
 * whole lines and a resume starts at the first byte not yet turned into an event.
 */
import type { LogEvent } from '../../../shared/domain/logs';
import { SshdSessions, parseFail2banLine, parseJournaldRecord, parseSyslogLine } from './parse';
import { FOLLOW_HEADER, type FilePosition } from './follow-commands';
import type { SourceSpec } from './sources';

export type Position = { cursor: string } | FilePosition;

const HEADER = new RegExp(`^${FOLLOW_HEADER} (\\d+) (\\d+)$`);
/** GNU tail -F's notices: the name now points at another file, or the file shrank. */
const TAIL_NOTICE = /^tail: .*(has been replaced|has appeared|file truncated|has become inaccessible|: No such file or directory)/;

export class FollowStream {
  private partial: Buffer = Buffer.alloc(0);
  private headerSeen = false;
  private linesSeen = false;
  /**
   * A journal follower is shown one record it must not turn into an event: the one at its
   * resume cursor, or (started without one) the last old record, for its cursor only.
   */
  private skip: { first: true } | { cursor: string } | null;
  private readonly sessions = new SshdSessions();

  constructor(
    private readonly host: string,
    private readonly spec: SourceSpec,
    private readonly timeZone: string | undefined,
    /** Where this run resumed from (files: before the header, bytes count against it). */
    public position: Position | null,
    /** The journal's records of other machines (merged remote journals) are dropped. */
    private readonly machineId?: string,
  ) {
    this.skip = spec.kind !== 'journal' ? null : position === null ? { first: true } : 'cursor' in position ? { cursor: position.cursor } : null;
  }

  /**
   * The remote side has fixed where it reads from: a file follower's header, or a journal
   * follower's first record (its cursor record or the last old one). Lines written before this
   * may be missed on a first start ("from now"); lines written after it never are.
   */
  get established(): boolean {
    return this.spec.kind === 'journal' ? this.linesSeen : this.headerSeen;
  }

  /** Events for the complete lines in `chunk` (plus what was left from the last one). */
  push(chunk: Buffer): LogEvent[] {
    const data = this.partial.length ? Buffer.concat([this.partial, chunk]) : chunk;
    const events: LogEvent[] = [];
    let start = 0;
    for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
      const line = data.subarray(start, nl);
      start = nl + 1;
      const e = this.line(line);
      if (e) events.push(e);
    }
    this.partial = Buffer.from(data.subarray(start));
    return events;
  }

  private line(line: Buffer): LogEvent | null {
    const spec = this.spec;
    if (spec.kind === 'journal') {
      if (line.length === 0) return null;
      this.linesSeen = true;
      let record: Record<string, unknown> | string;
      try {
        record = JSON.parse(line.toString('utf8')) as Record<string, unknown>;
      } catch {
        record = line.toString('latin1');
      }
      const cursor = typeof record === 'object' && record !== null && typeof record.__CURSOR === 'string' ? record.__CURSOR : null;
      if (cursor) this.position = { cursor };
      const skip = this.skip;
      this.skip = null;
      if (skip && ('first' in skip || skip.cursor === cursor)) return null;
      if (this.machineId && typeof record === 'object' && typeof record._MACHINE_ID === 'string' && record._MACHINE_ID !== this.machineId) return null;
      return parseJournaldRecord(record, { host: this.host }, this.sessions);
    }
    const text = line.length < 200 ? line.toString('latin1') : '';
    if (!this.headerSeen) {
      const h = HEADER.exec(text);
      if (h) {
        this.headerSeen = true;
        this.position = { inode: Number(h[1]), offset: Number(h[2]) };
        return null;
      }
    }
    if (TAIL_NOTICE.test(text)) {
      // tail now reads another file (or this one from its start); its inode is learnt on the next header
      this.position = { inode: null, offset: 0 };
      return null;
    }
    const pos = this.position;
    if (pos && 'offset' in pos) this.position = { inode: pos.inode, offset: pos.offset + line.length + 1 };
    if (line.length === 0) return null;
    if (spec.source === 'fail2ban.log') return parseFail2banLine(line, { host: this.host, ...(this.timeZone ? { timeZone: this.timeZone } : {}) });
    return parseSyslogLine(line, { host: this.host, source: spec.source, reference: new Date(), ...(this.timeZone ? { timeZone: this.timeZone } : {}) }, this.sessions);
  }
}
