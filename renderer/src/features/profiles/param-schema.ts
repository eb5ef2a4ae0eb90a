/**
 * Reads a control's parameter JSON Schema (z.toJSONSchema of its zod schema, io 'input') into
 * the handful of field kinds the editor can render. Only what zod emits for the controls'
 * shapes is understood; anything else becomes a raw JSON field, so a new control shape is still
 * editable (and checked by main) instead of silently dropped.
 */

type Json = Record<string, unknown>;

export type ScalarSpec =
  | { kind: 'integer' | 'number'; min?: number; max?: number; exclusiveMin?: number; exclusiveMax?: number }
  | { kind: 'string'; pattern?: string; minLength?: number; maxLength?: number }
  | { kind: 'enum'; options: string[] };

export type FieldSpec =
  | ScalarSpec
  | { kind: 'boolean' }
  /** A literal or free text, e.g. sshFrom: 'anywhere' | a CIDR. */
  | { kind: 'choice'; literals: string[]; other: ScalarSpec }
  | { kind: 'list'; item: ScalarSpec; minItems?: number; maxItems?: number; unique?: boolean }
  | { kind: 'json' };

export interface ParamField {
  key: string;
  spec: FieldSpec;
  /** null is a valid value (the form offers "none"). */
  nullable: boolean;
  /** Neither required nor defaulted: leaving it empty leaves it out. */
  optional: boolean;
  /** The schema's default, when it has one. */
  default?: unknown;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Sets only the keys whose value is defined (exactOptionalPropertyTypes forbids `key: undefined`). */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function typesOf(s: Json): string[] {
  const t = s.type;
  return Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : typeof t === 'string' ? [t] : [];
}

function scalarOf(s: Json): ScalarSpec | null {
  if (Array.isArray(s.enum) && s.enum.length > 0 && s.enum.every((e) => typeof e === 'string')) return { kind: 'enum', options: s.enum as string[] };
  const types = typesOf(s).filter((t) => t !== 'null');
  if (types.length !== 1) return null;
  const [type] = types;
  if (type === 'integer' || type === 'number') {
    return defined({ kind: type as 'integer' | 'number', min: num(s.minimum), max: num(s.maximum), exclusiveMin: num(s.exclusiveMinimum), exclusiveMax: num(s.exclusiveMaximum) });
  }
  if (type === 'string') {
    return defined({ kind: 'string' as const, pattern: typeof s.pattern === 'string' ? s.pattern : undefined, minLength: num(s.minLength), maxLength: num(s.maxLength) });
  }
  return null;
}

/** The spec of one property schema, and whether it admits null. */
function specOf(s: Json): { spec: FieldSpec; nullable: boolean } {
  const types = typesOf(s);
  let nullable = types.includes('null');
  const alternatives = Array.isArray(s.anyOf) ? s.anyOf.filter(isObject) : Array.isArray(s.oneOf) ? s.oneOf.filter(isObject) : null;
  if (alternatives) {
    const nonNull = alternatives.filter((a) => !(typesOf(a).length === 1 && typesOf(a)[0] === 'null'));
    nullable ||= nonNull.length < alternatives.length;
    if (nonNull.length === 1) {
      const inner = specOf(nonNull[0]!);
      return { spec: inner.spec, nullable: nullable || inner.nullable };
    }
    const literals = nonNull.filter((a) => typeof a.const === 'string').map((a) => a.const as string);
    const rest = nonNull.filter((a) => typeof a.const !== 'string');
    const other = rest.length === 1 ? scalarOf(rest[0]!) : null;
    if (literals.length > 0 && other && other.kind === 'string') return { spec: { kind: 'choice', literals, other }, nullable };
    if (literals.length === nonNull.length) return { spec: { kind: 'enum', options: literals }, nullable };
    return { spec: { kind: 'json' }, nullable };
  }
  if (typeof s.const === 'string') return { spec: { kind: 'enum', options: [s.const] }, nullable };
  const plain = types.filter((t) => t !== 'null');
  if (plain.length === 1 && plain[0] === 'boolean') return { spec: { kind: 'boolean' }, nullable };
  if (plain.length === 1 && plain[0] === 'array' && isObject(s.items)) {
    const item = scalarOf(s.items);
    if (item) {
      return {
        spec: defined({ kind: 'list' as const, item, minItems: num(s.minItems), maxItems: num(s.maxItems), unique: s.uniqueItems === true ? true : undefined }),
        nullable,
      };
    }
  }
  const scalar = scalarOf(s);
  return { spec: scalar ?? { kind: 'json' }, nullable };
}

/** The editable fields of a control's parameter schema, in the schema's order. */
export function paramFields(paramsSchema: Record<string, unknown>, defaults: Record<string, unknown> = {}): ParamField[] {
  const props = isObject(paramsSchema.properties) ? paramsSchema.properties : {};
  const required = new Set(Array.isArray(paramsSchema.required) ? paramsSchema.required.filter((r): r is string => typeof r === 'string') : []);
  return Object.entries(props)
    .filter((entry): entry is [string, Json] => isObject(entry[1]))
    .map(([key, s]) => {
      const { spec, nullable } = specOf(s);
      const hasDefault = 'default' in s || key in defaults;
      const field: ParamField = { key, spec, nullable, optional: !required.has(key) && !hasDefault };
      if (hasDefault) field.default = key in defaults ? defaults[key] : s.default;
      return field;
    });
}
