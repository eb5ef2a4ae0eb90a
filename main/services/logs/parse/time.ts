/**
 * Timestamps into ISO 8601. Journald and RFC 3339 carry their own offset. RFC 3164 syslog
 * ("Jun 21 16:47:48") and fail2ban.log carry neither a year nor a zone: the caller passes the
 * host's IANA time zone (from its facts) and a reference instant ("now" while tailing); without
 * a zone the result is the host's wall-clock time with no offset, which is honest rather than
 * wrongly UTC.
 */

export interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

export interface ZoneOptions {
  /** IANA zone name such as 'Europe/Berlin' or 'UTC'; undefined when the host's zone is unknown. */
  timeZone?: string;
}

export interface YearOptions extends ZoneOptions {
  /** The instant the lines are read at; RFC 3164 lines take the year that puts them not after it. */
  reference: Date;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function wallClockIso(w: WallClock): string {
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}.${pad(w.millisecond, 3)}`;
}

function isValidWallClock(w: WallClock): boolean {
  const t = new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second));
  return t.getUTCMonth() === w.month - 1 && t.getUTCDate() === w.day && w.hour < 24 && w.minute < 60 && w.second < 61;
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at `utcMs`, in milliseconds (positive east of Greenwich). */
function zoneOffsetMs(timeZone: string, utcMs: number): number {
  let fmt = zoneFormatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    zoneFormatters.set(timeZone, fmt);
  }
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(utcMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/**
 * Offsets change at most twice a year, and a log holds thousands of lines per hour: the offset is
 * looked up once per zone and quarter hour of wall-clock time (every zone's offset, and every
 * change of it, falls on a quarter hour).
 */
const QUARTER_HOUR_MS = 900_000;
const offsetCache = new Map<string, number>();
const OFFSET_CACHE_LIMIT = 4096;

function wallClockToUtcMs(w: WallClock, timeZone: string): number {
  const wallMs = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond);
  const key = `${timeZone}|${Math.floor(wallMs / QUARTER_HOUR_MS)}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    // the offset at the guessed instant, then again at the corrected one: right on both sides of a DST change
    offset = zoneOffsetMs(timeZone, wallMs);
    offset = zoneOffsetMs(timeZone, wallMs - offset);
    if (offsetCache.size >= OFFSET_CACHE_LIMIT) offsetCache.clear();
    offsetCache.set(key, offset);
  }
  return wallMs - offset;
}

/** A wall-clock time in the given zone as ISO 8601: UTC when the zone is known, else without an offset. */
export function wallClockToIso(w: WallClock, opts: ZoneOptions): string | null {
  if (!isValidWallClock(w)) return null;
  if (opts.timeZone === undefined) return wallClockIso(w);
  if (opts.timeZone === 'UTC' || opts.timeZone === 'Etc/UTC') return `${wallClockIso(w)}Z`;
  try {
    return new Date(wallClockToUtcMs(w, opts.timeZone)).toISOString();
  } catch {
    // an unknown zone name: the wall clock is still true
    return wallClockIso(w);
  }
}

/** Per zone and quarter hour of the reference: a tail passes a fresh "now" with every line. */
const referenceCache = new Map<string, { year: number; month: number }>();

function referenceYearMonth(opts: YearOptions): { year: number; month: number } {
  const utc = { year: opts.reference.getUTCFullYear(), month: opts.reference.getUTCMonth() + 1 };
  if (opts.timeZone === undefined || opts.timeZone === 'UTC' || opts.timeZone === 'Etc/UTC') return utc;
  const key = `${opts.timeZone}|${Math.floor(opts.reference.getTime() / QUARTER_HOUR_MS)}`;
  let local = referenceCache.get(key);
  if (!local) {
    try {
      const shifted = new Date(opts.reference.getTime() + zoneOffsetMs(opts.timeZone, opts.reference.getTime()));
      local = { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1 };
    } catch {
      local = utc;
    }
    if (referenceCache.size >= OFFSET_CACHE_LIMIT) referenceCache.clear();
    referenceCache.set(key, local);
  }
  return local;
}

export const RFC3164_TIMESTAMP = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) /;

/**
 * "Jun 21 16:47:48" read at `reference`: the year is the reference's, or the one before when the
 * month lies more than a month ahead (December's lines read in January).
 */
export function rfc3164ToIso(m: RegExpExecArray, opts: YearOptions): string | null {
  const month = MONTHS.indexOf(m[1]!) + 1;
  if (month === 0) return null;
  const ref = referenceYearMonth(opts);
  const year = month > ref.month + 1 ? ref.year - 1 : ref.year;
  return wallClockToIso({ year, month, day: Number(m[2]), hour: Number(m[3]), minute: Number(m[4]), second: Number(m[5]), millisecond: 0 }, opts);
}

export const RFC3339_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2}) /;

/** "2026-11-26T06:00:00.123456+01:00" as UTC (milliseconds kept, finer digits dropped). */
export function rfc3339ToIso(m: RegExpExecArray): string | null {
  const w: WallClock = {
    year: Number(m[1]), month: Number(m[2]), day: Number(m[3]),
    hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6]),
    millisecond: Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3)),
  };
  if (!isValidWallClock(w)) return null;
  const zone = m[8]!;
  const offsetMinutes = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  const ms = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond) - offsetMinutes * 60_000;
  return new Date(ms).toISOString();
}

/** journald's __REALTIME_TIMESTAMP: microseconds since the epoch, as a decimal string. */
export function journalMicrosToIso(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = String(value);
  if (!/^\d{1,19}$/.test(text)) return null;
  const ms = Number(BigInt(text) / 1000n);
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
