/**
 * Parsed Ansible inventory -> host entries. Groups (with every ancestor) become tags; vars
 * resolve as Ansible resolves them: `all` first, then groups by depth (parents before
 * children), ansible_group_priority, then name, and host vars last. bulwark_* vars restore the
 * fields Ansible has no use for, so an exported inventory re-imports without loss.
 */
import { tagProblem } from '../../../shared/domain/validators';
import type { AnsibleInventory } from './ansible-model';
import { shlexSplit } from './shlex';
import type { ImportEntry, ParsedImport, Skipped } from './types';

const IMPLICIT = new Set(['all', 'ungrouped']);

export function inventoryToEntries(inv: AnsibleInventory, label = 'inventory'): ParsedImport {
  const skipped: Skipped[] = [...inv.warnings];
  const depth = groupDepths(inv);
  const tagOf = groupTagger(skipped);
  const entries: ImportEntry[] = [];

  const memberOf = new Map<string, Set<string>>();
  for (const g of inv.groups.values()) for (const h of g.hosts) (memberOf.get(h) ?? memberOf.set(h, new Set()).get(h)!).add(g.name);

  for (const host of inv.hosts.values()) {
    const groups = ancestry(inv, memberOf.get(host.name) ?? new Set());
    const ordered = [...groups].sort(
      (a, b) => depth.get(a)! - depth.get(b)! || priority(inv, a) - priority(inv, b) || (a < b ? -1 : a > b ? 1 : 0),
    );
    const vars: Record<string, unknown> = {};
    for (const g of ordered) Object.assign(vars, inv.groups.get(g)!.vars);
    Object.assign(vars, host.vars);

    const tags = new Set<string>();
    for (const g of groups) {
      const t = tagOf(g);
      if (t) tags.add(t);
    }
    const source = `${label} line ${host.line}`;
    const mapped = toEntry(host.name, vars, tags, source);
    if ('reason' in mapped) skipped.push({ name: host.name, reason: `${mapped.reason} (${source})` });
    else entries.push(mapped);
  }
  return { entries, skipped };
}

function toEntry(name: string, vars: Record<string, unknown>, tags: Set<string>, source: string): ImportEntry | { reason: string } {
  const input: Record<string, unknown> = { name };
  const text = (...keys: string[]): string | undefined | { reason: string } => {
    for (const k of keys) {
      const v = vars[k];
      if (v === undefined || v === null) continue;
      if (typeof v === 'object') return { reason: `${k} must be a single value` };
      const s = String(v);
      // Ansible templates connection vars; Bulwark's own vars are plain text (notes may say "{{")
      if (k.startsWith('ansible_') && /\{\{|\{%/.test(s))
        return { reason: `${k} uses a Jinja2 template, which Bulwark cannot evaluate` };
      return s;
    }
    return undefined;
  };
  const fields: Array<[string, string[]]> = [
    ['address', ['ansible_host', 'ansible_ssh_host']],
    ['port', ['ansible_port', 'ansible_ssh_port']],
    ['user', ['ansible_user', 'ansible_ssh_user']],
    ['notes', ['bulwark_notes']],
    ['jumpHost', ['bulwark_jump_host']],
  ];
  for (const [field, keys] of fields) {
    const v = text(...keys);
    if (typeof v === 'object') return v;
    if (v !== undefined) input[field] = field === 'port' && /^[0-9]+$/.test(v) ? Number(v) : v;
  }
  if (typeof input.port === 'string') return { reason: `port: "${input.port}" is not a number` };

  if (input.jumpHost === undefined) {
    const jump = jumpFromSshArgs(vars);
    if (typeof jump === 'object') return jump;
    if (jump !== undefined) input.jumpHost = jump;
  }

  const extra = vars.bulwark_tags;
  if (Array.isArray(extra)) for (const t of extra) tags.add(String(t));
  else if (typeof extra === 'string') for (const t of extra.split(',')) if (t.trim()) tags.add(t.trim());
  input.tags = [...tags];

  const node = vars.bulwark_guest_node;
  const vmid = vars.bulwark_guest_vmid;
  if ((node ?? null) !== null || (vmid ?? null) !== null) {
    if ((node ?? null) === null || (vmid ?? null) === null)
      return { reason: 'bulwark_guest_node and bulwark_guest_vmid must be given together' };
    input.guest = { nodeId: String(node), vmid: typeof vmid === 'string' && /^[0-9]+$/.test(vmid) ? Number(vmid) : vmid };
  }

  // Without ansible_host Ansible connects to the inventory name; only new hosts assume that.
  return { input, defaults: { address: name }, source };
}

/** ProxyJump from `-J hop`, `-o ProxyJump=hop` or `-o "ProxyJump hop"` in ansible_ssh_*_args. */
function jumpFromSshArgs(vars: Record<string, unknown>): string | undefined | { reason: string } {
  for (const key of ['ansible_ssh_common_args', 'ansible_ssh_extra_args']) {
    const v = vars[key];
    if (typeof v !== 'string' || v === '') continue;
    let args: string[];
    try {
      args = shlexSplit(v);
    } catch {
      return { reason: `${key} is not valid shell syntax` };
    }
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      let opt: string | undefined;
      if (a === '-J') return args[i + 1];
      if (a.startsWith('-J')) return a.slice(2);
      if (a === '-o') opt = args[++i];
      else if (a.startsWith('-o')) opt = a.slice(2);
      if (opt === undefined) continue;
      const m = /^(\w+)\s*[=\s]\s*(.*)$/.exec(opt.trim());
      if (!m) continue;
      const option = m[1]!.toLowerCase();
      if (option === 'proxyjump') return m[2]!.toLowerCase() === 'none' ? '' : m[2]!;
      if (option === 'proxycommand' && m[2]!.toLowerCase() !== 'none')
        return { reason: `${key} uses ProxyCommand, which Bulwark cannot run (a ProxyJump would work)` };
    }
  }
  return undefined;
}

/** The groups a host belongs to, with every ancestor, without the implicit ones. */
function ancestry(inv: AnsibleInventory, direct: Set<string>): Set<string> {
  const out = new Set<string>();
  const todo = [...direct];
  while (todo.length) {
    const g = todo.pop()!;
    if (out.has(g)) continue;
    out.add(g);
    todo.push(...inv.groups.get(g)!.parents);
  }
  out.add('all');
  return out;
}

/** Ansible's group depth: `all` is 0, a group is one deeper than its deepest parent. */
function groupDepths(inv: AnsibleInventory): Map<string, number> {
  const depth = new Map<string, number>([['all', 0]]);
  const visit = (name: string): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    const parents = [...inv.groups.get(name)!.parents].filter((p) => p !== 'all');
    const d = 1 + (parents.length ? Math.max(...parents.map(visit)) : 0);
    depth.set(name, d);
    return d;
  };
  for (const g of inv.groups.keys()) visit(g);
  return depth;
}

function priority(inv: AnsibleInventory, group: string): number {
  const p = Number(inv.groups.get(group)!.vars.ansible_group_priority ?? 1);
  return Number.isFinite(p) ? p : 1;
}

/**
 * Group name -> tag (lowercased), or null. A group whose name cannot be a tag is reported once,
 * when a host first needs it, and its hosts are imported without that tag.
 */
function groupTagger(skipped: Skipped[]): (group: string) => string | null {
  const cache = new Map<string, string | null>();
  return (name) => {
    if (IMPLICIT.has(name)) return null;
    let tag = cache.get(name);
    if (tag === undefined) {
      const problem = tagProblem(name.toLowerCase());
      if (problem) skipped.push({ name: `group ${name}`, reason: `not used as a tag: ${problem}` });
      tag = problem ? null : name.toLowerCase();
      cache.set(name, tag);
    }
    return tag;
  };
}
