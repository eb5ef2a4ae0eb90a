/**
 * Host list -> Ansible YAML inventory. Every host sits under `all.hosts` with its connection
 * vars; tags become child groups listing their hosts. Fields Ansible does not use travel as
 * bulwark_* vars so that import(export(x)) == x field for field:
 *   bulwark_notes, bulwark_jump_host (the jump host exactly as stored), bulwark_guest_node,
 *   bulwark_guest_vmid, bulwark_tags (only tags that cannot be groups: "all", "ungrouped").
 *
 * The YAML is written by hand (not the yaml package) so quoting is chosen for PyYAML too:
 * Ansible reads YAML 1.1, where `yes`, `010` or `1:20` are not strings.
 */
import type { Host } from '../../../shared/domain/host';
import { yamlString } from './yaml-text';

const RESERVED_GROUPS = new Set(['all', 'ungrouped']);

export function exportAnsibleInventory(hosts: Host[]): string {
  const sorted = [...hosts].sort((a, b) => cmp(a.name.toLowerCase(), b.name.toLowerCase()));
  const jumpArgs = jumpResolver(sorted);
  const out: string[] = [
    '# Ansible inventory exported by Bulwark.',
    '# bulwark_* variables carry what Ansible does not use; keep them to re-import without loss.',
    'all:',
  ];
  if (sorted.length === 0) {
    out.push('  hosts: {}');
    return out.join('\n') + '\n';
  }
  out.push('  hosts:');
  const groups = new Map<string, string[]>();
  for (const h of sorted) {
    out.push(`    ${yamlString(h.name)}:`);
    const v = (key: string, value: string) => out.push(`      ${key}: ${value}`);
    v('ansible_host', yamlString(h.address));
    v('ansible_port', String(h.port));
    v('ansible_user', yamlString(h.user));
    if (h.jumpHost) {
      v('ansible_ssh_common_args', yamlString(`-o ProxyJump=${jumpArgs(h)}`));
      v('bulwark_jump_host', yamlString(h.jumpHost));
    }
    if (h.notes) v('bulwark_notes', yamlString(h.notes));
    if (h.guest) {
      v('bulwark_guest_node', yamlString(h.guest.nodeId));
      v('bulwark_guest_vmid', String(h.guest.vmid));
    }
    const reserved = h.tags.filter((t) => RESERVED_GROUPS.has(t));
    if (reserved.length) v('bulwark_tags', `[${reserved.map(yamlString).join(', ')}]`);
    for (const t of h.tags) if (!RESERVED_GROUPS.has(t)) (groups.get(t) ?? groups.set(t, []).get(t)!).push(h.name);
  }
  if (groups.size) {
    out.push('  children:');
    for (const tag of [...groups.keys()].sort(cmp)) {
      out.push(`    ${yamlString(tag)}:`, '      hosts:');
      for (const name of groups.get(tag)!) out.push(`        ${yamlString(name)}:`);
    }
  }
  return out.join('\n') + '\n';
}

/**
 * The ProxyJump Ansible's ssh should use. ssh knows nothing of Bulwark names, so a hop that
 * names an inventory host becomes user@address:port (preceded by that host's own jump chain);
 * other hops pass through. bulwark_jump_host keeps the stored value for re-import.
 */
function jumpResolver(hosts: Host[]): (h: Host) => string {
  const byName = new Map(hosts.map((h) => [h.name.toLowerCase(), h]));
  const resolve = (h: Host, depth: number): string =>
    h.jumpHost
      .split(',')
      .map((hop) => {
        const m = /^(?:([^@]+)@)?([^:@[\]]+)(?::([0-9]+))?$/.exec(hop.trim());
        const target = m ? byName.get(m[2]!.toLowerCase()) : undefined;
        if (!m || !target || depth > 8) return hop.trim();
        const addr = target.address.includes(':') ? `[${target.address}]` : target.address;
        const self = `${m[1] ?? target.user}@${addr}:${m[3] ?? target.port}`;
        return target.jumpHost ? `${resolve(target, depth + 1)},${self}` : self;
      })
      .join(',');
  return (h) => resolve(h, 0);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
