import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { hostInputSchema, type Host, type HostInput } from '../../../shared/domain/host';
import { exportAnsibleInventory, parseAnsibleInventory } from '../../../main/services/inventory';
import { yamlString } from '../../../main/services/inventory/yaml-text';
import { byName, fieldsForNew } from './helpers';
import { generateHosts } from './generate-hosts';

function host(input: HostInput, i = 0): Host {
  return { ...hostInputSchema.parse(input), id: `id-${i}`, createdAt: 1, updatedAt: 1 };
}

const hasPyYaml = spawnSync('python3', ['-c', 'import yaml'], { stdio: 'ignore' }).status === 0;

/** PyYAML is what Ansible parses inventories with (YAML 1.1). */
function pyYamlLoad(text: string): unknown {
  const r = spawnSync(
    'python3',
    ['-c', 'import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin.buffer.read().decode("utf-8", "surrogatepass")), sys.stdout)'],
    { input: Buffer.from(text, 'utf8'), maxBuffer: 1 << 30 },
  );
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return JSON.parse(r.stdout.toString());
}

describe('yamlString', () => {
  it.each([
    ['web1', 'web1'],
    ['web-1.example.net', 'web-1.example.net'],
    ['yes', '"yes"'],
    ['No', '"No"'],
    ['010', '"010"'],
    ['1e3', '"1e3"'],
    ['10.0.0.1', '"10.0.0.1"'],
    ['2001:db8::1', '"2001:db8::1"'],
    ['a "q"\n\\', '"a \\"q\\"\\n\\\\"'],
    ['del\x7f nel\x85 ls\u2028', '"del\\x7F nel\\x85 ls\\u2028"'],
    ['', '""'],
  ])('%j -> %s', (input, expected) => {
    expect(yamlString(input)).toBe(expected);
    expect(parseYaml(`k: ${expected}`).k).toBe(input);
  });
});

describe('exportAnsibleInventory', () => {
  const hosts = [
    host({ name: 'bastion', address: '203.0.113.5', user: 'ops', port: 2201, tags: ['edge'] }, 1),
    host({ name: 'web1', address: '10.0.0.1', jumpHost: 'bastion', tags: ['prod', 'web'], notes: 'line 1\nline "2"' }, 2),
    host({ name: 'db1', address: '2001:db8::5', jumpHost: 'admin@web1:2022,gw.example.net', tags: ['prod', 'all'] }, 3),
    host({ name: 'vm', address: 'vm.lab', guest: { nodeId: 'pve1', vmid: 120 } }, 4),
  ];
  const text = exportAnsibleInventory(hosts);

  it('writes the documented structure', () => {
    const doc = parseYaml(text);
    expect(Object.keys(doc)).toEqual(['all']);
    expect(Object.keys(doc.all)).toEqual(['hosts', 'children']);
    expect(doc.all.hosts.web1).toEqual({
      ansible_host: '10.0.0.1',
      ansible_port: 22,
      ansible_user: 'root',
      ansible_ssh_common_args: '-o ProxyJump=ops@203.0.113.5:2201',
      bulwark_jump_host: 'bastion',
      bulwark_notes: 'line 1\nline "2"',
    });
    expect(doc.all.children).toEqual({
      edge: { hosts: { bastion: null } },
      prod: { hosts: { db1: null, web1: null } },
      web: { hosts: { web1: null } },
    });
    expect(doc.all.hosts.vm).toMatchObject({ bulwark_guest_node: 'pve1', bulwark_guest_vmid: 120 });
  });

  it('resolves inventory names in ProxyJump for ssh, keeping explicit users and ports', () => {
    const doc = parseYaml(text);
    expect(doc.all.hosts.db1.ansible_ssh_common_args).toBe(
      '-o ProxyJump=ops@203.0.113.5:2201,admin@10.0.0.1:2022,gw.example.net',
    );
  });

  it('keeps tags that cannot be Ansible groups in bulwark_tags', () => {
    const doc = parseYaml(text);
    expect(doc.all.hosts.db1.bulwark_tags).toEqual(['all']);
    expect(doc.all.children).not.toHaveProperty('all');
  });

  it('exports an empty inventory that imports as nothing', () => {
    const empty = exportAnsibleInventory([]);
    expect(parseYaml(empty)).toEqual({ all: { hosts: {} } });
    expect(parseAnsibleInventory(empty).entries).toEqual([]);
  });

  it('re-imports to the same fields', () => {
    const back = byName(parseAnsibleInventory(text, { fileName: 'export.yml' }));
    for (const h of hosts) {
      const { id: _id, createdAt: _c, updatedAt: _u, ...fields } = h;
      expect(fieldsForNew(back.get(h.name)!)).toEqual(fields);
    }
  });

  it.skipIf(!hasPyYaml)('reads identically under PyYAML (YAML 1.1, what Ansible uses)', () => {
    const many = generateHosts(1_000, 7).map((h, i) => host(h, i));
    const big = exportAnsibleInventory(many);
    expect(pyYamlLoad(big)).toEqual(parseYaml(big));
  });
});
