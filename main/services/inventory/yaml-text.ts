/**
 * Scalars for hand-written YAML that reads the same under YAML 1.2 (the yaml package) and
 * YAML 1.1 (PyYAML, i.e. Ansible): plain only when it is obviously a string in both, else
 * double-quoted with every character PyYAML refuses or treats as a line break escaped.
 */
const PLAIN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
// YAML 1.1 booleans and nulls (case-insensitive is a superset of the spec's spellings)
const RESERVED = /^(y|n|yes|no|on|off|true|false|null)$/i;

export function yamlString(s: string): string {
  return PLAIN.test(s) && !RESERVED.test(s) ? s : doubleQuoted(s);
}

const NAMED: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\0': '\\0' };

/**
 * What must be escaped: quote and backslash; C0 and C1 controls and DEL (PyYAML refuses them
 * raw; \x85 is also a line break there); U+2028/2029 (line breaks in YAML 1.1); the BOM and
 * the non-characters U+FFFE/FFFF; lone surrogates (pairs are fine).
 */
const UNSAFE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /["\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function doubleQuoted(s: string): string {
  return `"${s.replace(UNSAFE, (ch) => NAMED[ch] ?? escape(ch.charCodeAt(0)))}"`;
}

function escape(c: number): string {
  return c <= 0xff ? `\\x${c.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
}
