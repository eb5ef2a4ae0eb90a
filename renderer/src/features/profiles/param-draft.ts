/**
 * One parameter as the editor holds it while the user types (a draft), and the checks that turn
 * it back into a value. The checks follow the JSON Schema main's zod schema came from, with
 * messages worded like the rest of the app ("must be between 1 and 100"); main checks again
 * with the schema itself, including refinements JSON Schema cannot carry (a CIDR's shape).
 */
import type { FieldSpec, ParamField, ScalarSpec } from './param-schema';

/**
 * Every kind uses the part it needs: text (numbers, strings, lists, JSON, a choice's free
 * text), flag (booleans), pick (an enum's option or a choice's literal), picks (a list of enum
 * options). One flat shape keeps React state updates and comparisons simple.
 */
export interface Draft {
  text: string;
  flag: boolean;
  pick: string;
  picks: string[];
}

/** pick values that are not options: "none" (null / left out) and a choice's free text. */
export const NONE = '\u0000none';
export const OTHER = '\u0000other';

export type ReadResult = { ok: true; present: false } | { ok: true; present: true; value: unknown } | { ok: false; error: string };

const blank = (): Draft => ({ text: '', flag: false, pick: NONE, picks: [] });

function scalarText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

/** A value as its draft; undefined (left out) and null both read as "none". */
export function draftOf(field: ParamField, value: unknown): Draft {
  const d = blank();
  const { spec } = field;
  switch (spec.kind) {
    case 'boolean':
      d.flag = value === true;
      break;
    case 'enum':
      d.pick = typeof value === 'string' && spec.options.includes(value) ? value : NONE;
      break;
    case 'choice':
      if (typeof value === 'string' && spec.literals.includes(value)) d.pick = value;
      else if (value === null || value === undefined) d.pick = NONE;
      else {
        d.pick = OTHER;
        d.text = scalarText(value);
      }
      break;
    case 'list':
      if (spec.item.kind === 'enum') d.picks = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
      else d.text = Array.isArray(value) ? value.map(scalarText).join(', ') : '';
      break;
    case 'json':
      d.text = value === undefined ? '' : JSON.stringify(value);
      break;
    default:
      d.text = scalarText(value);
  }
  return d;
}

function rangeProblem(n: number, spec: Extract<ScalarSpec, { kind: 'integer' | 'number' }>): string | null {
  const lo = spec.min;
  const hi = spec.max;
  if ((lo !== undefined && n < lo) || (hi !== undefined && n > hi)) {
    if (lo !== undefined && hi !== undefined) return `must be between ${lo} and ${hi}`;
    return lo !== undefined ? `must be at least ${lo}` : `must be at most ${hi}`;
  }
  if (spec.exclusiveMin !== undefined && n <= spec.exclusiveMin) return `must be more than ${spec.exclusiveMin}`;
  if (spec.exclusiveMax !== undefined && n >= spec.exclusiveMax) return `must be less than ${spec.exclusiveMax}`;
  return null;
}

function patternMatches(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(text);
  } catch {
    // a pattern this engine cannot compile is left to main, which compiled it from its own regex
    return true;
  }
}

/** One non-empty scalar from its text: the value, or why not. */
export function readScalar(spec: ScalarSpec, text: string): { value: unknown } | { error: string } {
  switch (spec.kind) {
    case 'integer':
    case 'number': {
      const t = text.trim();
      if (spec.kind === 'integer' && !/^[+-]?[0-9]+$/.test(t)) return { error: 'must be a whole number' };
      const n = Number(t);
      if (t === '' || !Number.isFinite(n)) return { error: 'must be a number' };
      const p = rangeProblem(n, spec);
      return p ? { error: p } : { value: n };
    }
    case 'enum':
      return spec.options.includes(text) ? { value: text } : { error: `must be one of ${spec.options.join(', ')}` };
    case 'string': {
      if (spec.minLength !== undefined && text.length < spec.minLength) return { error: spec.minLength === 1 ? 'is required' : `must be at least ${spec.minLength} characters` };
      if (spec.maxLength !== undefined && text.length > spec.maxLength) return { error: `must be at most ${spec.maxLength} characters` };
      if (spec.pattern !== undefined && !patternMatches(spec.pattern, text)) return { error: `"${text}" is not in the expected form` };
      return { value: text };
    }
  }
}

/** Splits a comma- or space-separated list; the items never contain either. */
export function splitList(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

function readList(spec: Extract<FieldSpec, { kind: 'list' }>, items: string[]): ReadResult {
  const values: unknown[] = [];
  for (const [i, raw] of items.entries()) {
    const r = readScalar(spec.item, raw);
    if ('error' in r) return { ok: false, error: items.length === 1 ? r.error : `item ${i + 1} ("${raw}") ${r.error}` };
    values.push(r.value);
  }
  if (spec.minItems !== undefined && values.length < spec.minItems) {
    return { ok: false, error: spec.minItems === 1 ? (spec.item.kind === 'enum' ? 'choose at least one' : 'is required') : `needs at least ${spec.minItems} items` };
  }
  if (spec.maxItems !== undefined && values.length > spec.maxItems) return { ok: false, error: `may have at most ${spec.maxItems} items` };
  const seen = new Set<string>();
  for (const v of values) {
    const k = JSON.stringify(v);
    if (seen.has(k)) return { ok: false, error: `lists ${String(v)} twice` };
    seen.add(k);
  }
  return { ok: true, present: true, value: values };
}

/** "Left out" for an optional field, null for a nullable one; otherwise the field needs a value. */
function none(field: ParamField): ReadResult {
  if (field.nullable) return { ok: true, present: true, value: null };
  if (field.optional) return { ok: true, present: false };
  return { ok: false, error: 'is required' };
}

/** A draft as its parameter value (present: false = leave the key out), or the problem. */
export function readDraft(field: ParamField, draft: Draft): ReadResult {
  const { spec } = field;
  switch (spec.kind) {
    case 'boolean':
      return { ok: true, present: true, value: draft.flag };
    case 'enum':
      if (draft.pick === NONE) return none(field);
      return spec.options.includes(draft.pick) ? { ok: true, present: true, value: draft.pick } : { ok: false, error: `must be one of ${spec.options.join(', ')}` };
    case 'choice': {
      if (draft.pick === NONE) return none(field);
      if (draft.pick !== OTHER) return { ok: true, present: true, value: draft.pick };
      const text = draft.text.trim();
      if (text === '') return { ok: false, error: 'is required' };
      const r = readScalar(spec.other, text);
      return 'error' in r ? { ok: false, error: r.error } : { ok: true, present: true, value: r.value };
    }
    case 'list':
      return readList(spec, spec.item.kind === 'enum' ? draft.picks : splitList(draft.text));
    case 'json': {
      if (draft.text.trim() === '') return none(field);
      try {
        return { ok: true, present: true, value: JSON.parse(draft.text) as unknown };
      } catch (e) {
        return { ok: false, error: `is not valid JSON (${e instanceof Error ? e.message : String(e)})` };
      }
    }
    default: {
      // Spaces around a number or CIDR pasted from elsewhere are never meant.
      const text = spec.kind === 'string' ? draft.text.trim() : draft.text;
      if (text.trim() === '') return none(field);
      const r = readScalar(spec, text);
      return 'error' in r ? { ok: false, error: r.error } : { ok: true, present: true, value: r.value };
    }
  }
}

/** Structural equality for parameter values (JSON data: primitives, arrays, plain objects). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/** A parameter value as people read it in the profile view. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'not set';
  if (value === null) return 'none';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map((v) => (typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v))).join(', ');
  return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
}
