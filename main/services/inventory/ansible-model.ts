/**
 * The parsed form of an Ansible inventory, whichever syntax it came in: groups with vars and
 * children, hosts with their own vars. Both parsers fill it; ansible-entries turns it into hosts.
 */
import { BulwarkError } from '../../../shared/errors';
import type { Skipped } from './types';

export interface AnsibleGroup {
  name: string;
  vars: Record<string, unknown>;
  children: Set<string>;
  parents: Set<string>;
  hosts: Set<string>;
}

export interface AnsibleHost {
  name: string;
  vars: Record<string, unknown>;
  /** Line of its first definition, for messages. */
  line: number;
}

export class AnsibleInventory {
  readonly groups = new Map<string, AnsibleGroup>();
  readonly hosts = new Map<string, AnsibleHost>();
  /** Things Ansible would warn about and ignore. */
  readonly warnings: Skipped[] = [];

  constructor() {
    this.group('all');
    this.group('ungrouped');
  }

  group(name: string): AnsibleGroup {
    let g = this.groups.get(name);
    if (!g) {
      g = { name, vars: {}, children: new Set(), parents: new Set(), hosts: new Set() };
      this.groups.set(name, g);
    }
    return g;
  }

  /** Adds (or merges vars into) host `name` in `group`; later values win, as in Ansible. */
  addHost(group: string, name: string, vars: Record<string, unknown>, line: number): void {
    let h = this.hosts.get(name);
    if (!h) {
      h = { name, vars: {}, line };
      this.hosts.set(name, h);
    }
    Object.assign(h.vars, vars);
    this.group(group).hosts.add(name);
  }

  addChild(parent: string, child: string, line: number): void {
    if (parent === child || this.isAncestor(child, parent))
      throw parseError(line, `adding group "${child}" as a child of "${parent}" creates a loop`);
    this.group(parent).children.add(child);
    this.group(child).parents.add(parent);
  }

  private isAncestor(candidate: string, of: string): boolean {
    const todo = [...(this.groups.get(of)?.parents ?? [])];
    const seen = new Set<string>();
    while (todo.length) {
      const g = todo.pop()!;
      if (g === candidate) return true;
      if (seen.has(g)) continue;
      seen.add(g);
      todo.push(...(this.groups.get(g)?.parents ?? []));
    }
    return false;
  }
}

export function parseError(line: number, message: string): BulwarkError {
  return new BulwarkError('IMPORT_PARSE', `Inventory line ${line}: ${message}`);
}
