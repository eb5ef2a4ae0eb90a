/**
 * Ansible host patterns in inventories: `name`, `name:port`, `[v6addr]:port`, bare IPv6, and
 * ranges such as `web[01:03].example.com`, `db-[a:c]`, `node[0:10:5]` (Ansible's
 * expand_hostname_range rules: zero-padding must be consistent, alphabetic ranges are single
 * letters, several ranges multiply).
 */
import { isIPv6 } from '../../../shared/domain/validators';

/** An inventory with more than this from one pattern is a typo, not a homelab. */
export const MAX_RANGE_HOSTS = 100_000;

export interface HostPattern {
  names: string[];
  port?: number;
}

/** Throws Error with a message fit for "line N: ..." on malformed patterns. */
export function expandHostPattern(pattern: string): HostPattern {
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(pattern);
  if (bracketed && isIPv6(bracketed[1]!)) return withPort([bracketed[1]!], bracketed[2]);
  const outside = pattern.replace(/\[[^\]]*\]/g, '');
  const colons = (outside.match(/:/g) ?? []).length;
  if (colons > 1) return { names: [pattern] }; // a bare IPv6 address cannot carry a port
  if (colons === 1) {
    // the port follows the last colon outside brackets
    const at = lastColonOutsideBrackets(pattern);
    return withPort(expandRanges(pattern.slice(0, at)), pattern.slice(at + 1));
  }
  return { names: expandRanges(pattern) };
}

function withPort(names: string[], port: string | undefined): HostPattern {
  if (port === undefined) return { names };
  if (!/^[0-9]{1,5}$/.test(port)) throw new Error(`"${port}" is not a valid port`);
  return { names, port: Number(port) };
}

function lastColonOutsideBrackets(s: string): number {
  let depth = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    if (s[i] === ']') depth++;
    else if (s[i] === '[') depth--;
    else if (s[i] === ':' && depth === 0) return i;
  }
  return -1;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function expandRanges(name: string): string[] {
  const open = name.indexOf('[');
  if (open === -1) return [name];
  const close = name.indexOf(']', open);
  if (close === -1) throw new Error(`unclosed "[" in host pattern "${name}"`);
  const head = name.slice(0, open);
  const tail = name.slice(close + 1);
  const bounds = name.slice(open + 1, close).split(':');
  if (bounds.length !== 2 && bounds.length !== 3) throw new Error(`host range must be begin:end or begin:end:step in "${name}"`);
  const beg = bounds[0] || '0';
  const end = bounds[1]!;
  const stepText = bounds[2] ?? '1';
  if (!end) throw new Error(`host range must specify an end value in "${name}"`);
  if (!/^[0-9]+$/.test(stepText) || Number(stepText) < 1) throw new Error(`host range step must be a positive number in "${name}"`);
  const step = Number(stepText);

  let seq: string[];
  const a = LETTERS.indexOf(beg);
  const b = LETTERS.indexOf(end);
  if (beg.length === 1 && end.length === 1 && a !== -1 && b !== -1) {
    if (a > b) throw new Error(`host range must have begin <= end in "${name}"`);
    seq = [];
    for (let i = a; i <= b; i += step) seq.push(LETTERS[i]!);
  } else {
    if (!/^[0-9]+$/.test(beg) || !/^[0-9]+$/.test(end)) throw new Error(`host range bounds must be numbers or single letters in "${name}"`);
    const width = beg.length > 1 && beg.startsWith('0') ? beg.length : 0;
    if (width && end.length !== width) throw new Error(`host range must use equal-length begin and end in "${name}"`);
    const from = Number(beg);
    const to = Number(end);
    if ((to - from) / step + 1 > MAX_RANGE_HOSTS) throw new Error(`host range "${name}" expands to more than ${MAX_RANGE_HOSTS} hosts`);
    seq = [];
    for (let i = from; i <= to; i += step) seq.push(width ? String(i).padStart(width, '0') : String(i));
  }
  const out: string[] = [];
  for (const part of seq) {
    for (const expanded of expandRanges(head + part + tail)) {
      out.push(expanded);
      if (out.length > MAX_RANGE_HOSTS) throw new Error(`host range "${name}" expands to more than ${MAX_RANGE_HOSTS} hosts`);
    }
  }
  return out;
}
