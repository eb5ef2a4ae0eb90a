/**
 * Ansible's INI inventory syntax, following ansible/plugins/inventory/ini.py: sections
 * `[group]`, `[group:vars]`, `[group:children]`; host lines `pattern key=value ...` split like
 * shlex; values typed like ast.literal_eval would (ints, True/False, quoted strings). Where
 * Ansible refuses a file (bad section, missing "=", a :vars or :children naming a group that
 * is never declared) this refuses it too, with the line number.
 */
import { AnsibleInventory, parseError } from './ansible-model';
import { expandHostPattern } from './ansible-patterns';
import { shlexSplit } from './shlex';

type State = 'hosts' | 'vars' | 'children';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:[#;].*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;

export function parseAnsibleIni(text: string): AnsibleInventory {
  const inv = new AnsibleInventory();
  const declared = new Set(['all', 'ungrouped']);
  // first unresolved reference to each group: [g:vars] header or a :children line
  const references = new Map<string, { line: number; message: string }>();
  let group = 'ungrouped';
  let state: State = 'hosts';

  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;

    if (line.startsWith('[')) {
      const m = SECTION.exec(line);
      if (!m) throw parseError(n, `invalid section "${line}" (group names cannot contain spaces, ":" or "]")`);
      group = m[1]!;
      const kind = m[2] ?? 'hosts';
      if (kind !== 'hosts' && kind !== 'vars' && kind !== 'children')
        throw parseError(n, `section [${group}:${kind}] has unknown type "${kind}" (use :vars or :children)`);
      state = kind;
      if (state === 'vars') {
        if (!declared.has(group) && !references.has(group))
          references.set(group, { line: n, message: `section [${group}:vars] is for a group that is never declared` });
      } else {
        declared.add(group);
      }
      inv.group(group);
      continue;
    }

    if (state === 'hosts') parseHostLine(inv, group, line, n);
    else if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq === -1) throw parseError(n, `expected key=value, got "${line}"`);
      inv.group(group).vars[line.slice(0, eq).trim()] = parseValue(line.slice(eq + 1).trim());
    } else {
      const m = GROUP_NAME.exec(line);
      if (!m) throw parseError(n, `invalid group name "${line}"`);
      const child = m[1]!;
      if (!declared.has(child) && !references.has(child))
        references.set(child, { line: n, message: `section [${group}:children] includes group "${child}", which is never declared` });
      inv.addChild(group, child, n);
    }
  }

  const unresolved = [...references.entries()].filter(([g]) => !declared.has(g)).sort((a, b) => a[1].line - b[1].line)[0];
  if (unresolved) throw parseError(unresolved[1].line, unresolved[1].message);
  return inv;
}

function parseHostLine(inv: AnsibleInventory, group: string, line: string, n: number): void {
  let tokens: string[];
  try {
    tokens = shlexSplit(line, { comments: true });
  } catch (e) {
    throw parseError(n, `${(e as Error).message} in "${line}"`);
  }
  if (tokens.length === 0) return;
  let pattern;
  try {
    pattern = expandHostPattern(tokens[0]!);
  } catch (e) {
    throw parseError(n, (e as Error).message);
  }
  const vars: Record<string, unknown> = {};
  if (pattern.port !== undefined) vars.ansible_port = pattern.port;
  for (const t of tokens.slice(1)) {
    const eq = t.indexOf('=');
    if (eq <= 0) throw parseError(n, `expected key=value host variable, got "${t}"`);
    vars[t.slice(0, eq)] = parseValue(t.slice(eq + 1));
  }
  for (const name of pattern.names) inv.addHost(group, name, vars, n);
}

/**
 * The subset of ast.literal_eval that matters for inventories: integers, floats, booleans,
 * None and quoted strings. Anything else stays the raw string, as in Ansible.
 */
export function parseValue(v: string): unknown {
  if (/^[-+]?(0|[1-9][0-9_]*)$/.test(v)) return Number(v.replace(/_/g, ''));
  if (/^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/.test(v)) return Number(v);
  if (v === 'True') return true;
  if (v === 'False') return false;
  if (v === 'None') return null;
  const q = /^(['"])(.*)\1$/s.exec(v);
  if (q && !unescapedQuote(q[2]!, q[1]!)) return unescapePython(q[2]!);
  return v;
}

function unescapedQuote(body: string, quote: string): boolean {
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\') i++;
    else if (body[i] === quote) return true;
  }
  return false;
}

const PY_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v' };

function unescapePython(s: string): string {
  return s.replace(/\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[\s\S])/g, (_, e: string) => {
    if (e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
    return PY_ESCAPES[e] ?? (e === '\n' ? '' : e === '\\' || e === "'" || e === '"' ? e : `\\${e}`);
  });
}
