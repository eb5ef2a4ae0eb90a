/**
 * Ansible's YAML inventory syntax (ansible/plugins/inventory/yaml.py): a mapping of group
 * names, each group a mapping with `hosts` (name -> vars or null), `vars` and `children`
 * (name -> group). Walks the YAML nodes rather than plain objects so every complaint can
 * name its line.
 */
import { LineCounter, isMap, isScalar, parseDocument, type Document, type Node, type Pair } from 'yaml';
import { AnsibleInventory, parseError } from './ansible-model';
import { expandHostPattern } from './ansible-patterns';

export function parseAnsibleYaml(text: string): AnsibleInventory {
  const lc = new LineCounter();
  // merge: true honours `<<: *anchor`, which PyYAML (and so Ansible) supports
  const doc = parseDocument(text, { lineCounter: lc, merge: true, prettyErrors: false, uniqueKeys: false });
  const first = doc.errors[0];
  if (first) throw parseError(lc.linePos(first.pos[0]).line, first.message.split('\n')[0]!);
  const inv = new AnsibleInventory();
  const w = new Walker(doc, lc, inv);
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return inv;
  if (!isMap(root)) throw parseError(w.line(root), 'an Ansible YAML inventory is a mapping of group names, usually starting with "all:"');
  const meta = root.items.find((p) => isScalar(p.key) && p.key.value === '_meta');
  if (meta)
    throw parseError(
      w.line(meta.key),
      'this is `ansible-inventory --list` JSON; export with `ansible-inventory -i SOURCE --list --yaml` instead',
    );
  for (const pair of root.items) w.group(pair, null);
  return inv;
}

class Walker {
  constructor(
    private readonly doc: Document,
    private readonly lc: LineCounter,
    private readonly inv: AnsibleInventory,
  ) {}

  line(node: unknown): number {
    const range = (node as Node | null)?.range;
    return range ? this.lc.linePos(range[0]).line : 1;
  }

  /** Keys as written: `010:` names host "010", not 10. */
  key(pair: Pair): string {
    const k = pair.key;
    if (isScalar(k) && k.value !== null) return String(k.source ?? k.value);
    throw parseError(this.line(k), 'names must be plain text');
  }

  group(pair: Pair, parent: string | null): void {
    const name = this.key(pair);
    const line = this.line(pair.key);
    this.inv.group(name);
    if (parent !== null) this.inv.addChild(parent, name, line);
    const body = pair.value;
    if (isEmpty(body)) return;
    if (!isMap(body)) throw parseError(this.line(body), `group "${name}" must be a mapping with hosts, vars or children`);
    for (const section of body.items) {
      const key = this.key(section);
      const value = section.value;
      if (key !== 'hosts' && key !== 'vars' && key !== 'children') {
        this.inv.warnings.push({
          name: `group ${name}`,
          reason: `unexpected key "${key}" on line ${this.line(section.key)} ignored: a group has only hosts, vars and children`,
        });
        continue;
      }
      if (isEmpty(value)) continue;
      if (!isMap(value)) throw parseError(this.line(value), `"${key}" of group "${name}" must be a mapping (name: ...), not a list or a value`);
      if (key === 'vars') Object.assign(this.inv.group(name).vars, this.js(value));
      else if (key === 'children') for (const child of value.items) this.group(child, name);
      else for (const host of value.items) this.host(host, name);
    }
  }

  private host(pair: Pair, group: string): void {
    const pattern = this.key(pair);
    const line = this.line(pair.key);
    let expanded;
    try {
      expanded = expandHostPattern(pattern);
    } catch (e) {
      throw parseError(line, (e as Error).message);
    }
    const value = pair.value;
    let vars: Record<string, unknown> = {};
    if (!isEmpty(value)) {
      if (!isMap(value)) throw parseError(this.line(value), `host "${pattern}" must have a mapping of variables or nothing`);
      vars = this.js(value) as Record<string, unknown>;
    }
    if (expanded.port !== undefined) vars = { ansible_port: expanded.port, ...vars };
    for (const name of expanded.names) this.inv.addHost(group, name, vars, line);
  }

  private js(node: Node): Record<string, unknown> {
    return node.toJS(this.doc, { maxAliasCount: 10_000 }) as Record<string, unknown>;
  }
}

function isEmpty(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && (node.value === null || node.value === ''));
}
