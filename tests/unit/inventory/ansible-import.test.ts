import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BulwarkError } from '../../../shared/errors';
import { detectInventoryFormat, parseAnsibleInventory } from '../../../main/services/inventory';
import { FIXTURES, byName, fieldsForNew, reasonFor } from './helpers';

const ini = readFileSync(join(FIXTURES, 'hosts.ini'), 'utf8');
const yml = readFileSync(join(FIXTURES, 'hosts.yml'), 'utf8');

function parseError(text: string, fileName?: string): BulwarkError {
  try {
    parseAnsibleInventory(text, fileName ? { fileName } : {});
  } catch (e) {
    expect(e).toBeInstanceOf(BulwarkError);
    expect((e as BulwarkError).code).toBe('IMPORT_PARSE');
    return e as BulwarkError;
  }
  throw new Error('expected IMPORT_PARSE');
}

describe('format detection', () => {
  it.each([
    ['[web]\nweb1\n', undefined, 'ini'],
    ['web1 ansible_host=10.0.0.1\n', undefined, 'ini'],
    ['web1:2222\n', undefined, 'ini'],
    ['# comment\n\nall:\n  hosts:\n', undefined, 'yaml'],
    ['---\nall: {}\n', undefined, 'yaml'],
    ['all:\n', 'inventory.ini', 'ini'],
    ['[web]\n', 'hosts.yaml', 'yaml'],
  ] as const)('%j (%s) -> %s', (text, fileName, format) => {
    expect(detectInventoryFormat(text, fileName)).toBe(format);
  });
});

describe.each([
  ['INI', ini],
  ['YAML', yml],
])('the %s fixture', (_label, text) => {
  const parsed = parseAnsibleInventory(text);
  const hosts = byName(parsed);
  const f = (name: string) => fieldsForNew(hosts.get(name)!);

  it('expands ranges and finds every host', () => {
    for (const n of ['pve1.lab.example.net', 'pve2.lab.example.net', 'pve3.lab.example.net', 'web01.example.com', 'web03.example.com'])
      expect(hosts.has(n)).toBe(true);
    expect(hosts.has('web04.example.com')).toBe(false);
  });

  it('turns groups and every ancestor into tags, without all/ungrouped', () => {
    expect(f('web02.example.com').tags).toEqual(['apps', 'prod', 'web']);
    expect(f('db1').tags).toEqual(['apps', 'db', 'prod']);
    expect(f('standalone.example.net').tags).toEqual([]);
    expect(f('pve1.lab.example.net').tags).toEqual(['proxmox']);
  });

  it('resolves vars like Ansible: host > deeper group > parent group > all', () => {
    expect(f('web01.example.com').user).toBe('www'); // [web:vars] beats [prod:vars]
    expect(f('db1').user).toBe('ops'); // only [prod:vars]
    expect(f('web-canary').user).toBe('deploy'); // host var
    expect(f('standalone.example.net').user).toBe('solo');
    expect(f('pve-backup')).toMatchObject({ address: '10.0.0.9', port: 2222 });
  });

  it('maps ansible_host, defaulting the address to the inventory name', () => {
    expect(f('db1').address).toBe('2001:db8::51');
    expect(f('pve2.lab.example.net').address).toBe('pve2.lab.example.net');
    expect(hosts.get('pve2.lab.example.net')!.input).not.toHaveProperty('address');
  });

  it('reads the jump host from ssh args and bulwark_jump_host', () => {
    expect(f('web01.example.com').jumpHost).toBe('bastion.example.net');
    expect(f('db2').jumpHost).toBe('ops@bastion.example.net:2201');
    expect(f('grafana').jumpHost).toBe('bastion');
  });

  it('restores Bulwark-only fields from bulwark_* vars', () => {
    expect(f('grafana').guest).toEqual({ nodeId: 'pve1', vmid: 120 });
    expect(f('web-canary').notes).toMatch(/^canary: gets releases first/);
  });
});

describe('INI specifics', () => {
  const parsed = parseAnsibleInventory(ini);
  const hosts = byName(parsed);

  it('takes the port from name:port and types values like literal_eval', () => {
    expect(fieldsForNew(hosts.get('db2')!).port).toBe(2202);
    expect(fieldsForNew(hosts.get('web01.example.com')!).port).toBe(22); // [all:vars]
  });

  it('lowercases group names into tags and reports names that cannot be tags', () => {
    expect(fieldsForNew(hosts.get('grafana')!).tags).toEqual(['monitoring', 'prod', 'weird-group']);
    expect(reasonFor(parsed, 'group team@home')).toMatch(/not used as a tag/);
  });

  it('parses quoted values and comments in vars sections', () => {
    const r = parseAnsibleInventory('[g]\nh1\n[g:vars]\nbulwark_notes="two\\nlines \\"q\\""\nansible_user = \'admin\'\n');
    expect(fieldsForNew(r.entries[0]!)).toMatchObject({ notes: 'two\nlines "q"', user: 'admin', tags: ['g'] });
  });

  it('supports stepped, alphabetic and multiple ranges', () => {
    const r = parseAnsibleInventory('n[0:10:5]\ndb-[a:c]\nr[1:2]-[x:y]\nz[08:10]\n');
    expect([...byName(r).keys()]).toEqual(['n0', 'n5', 'n10', 'db-a', 'db-b', 'db-c', 'r1-x', 'r1-y', 'r2-x', 'r2-y', 'z08', 'z09', 'z10']);
  });

  it('accepts a bare IPv6 host, which then fails as a Bulwark name with a reason', () => {
    const r = parseAnsibleInventory('2001:db8::7 ansible_port=2200\n');
    expect(r.entries[0]!.input).toMatchObject({ name: '2001:db8::7', port: 2200 });
  });

  it('accepts [v6]:port in YAML (in INI a leading "[" is always a section, as in Ansible)', () => {
    const r = parseAnsibleInventory('all:\n  hosts:\n    "[2001:db8::7]:2200":\n');
    expect(r.entries[0]!.input).toMatchObject({ name: '2001:db8::7', port: 2200 });
  });

  it.each([
    ['[web\nweb1\n', /line 1: invalid section/],
    ['[web:hosts2]\n', /line 1: .*unknown type/],
    ['[g:vars]\nnoequals\n[g]\n', /line 2: expected key=value/],
    ['[g]\nweb1 ansible_user\n', /line 2: expected key=value host variable/],
    ['[g]\nweb1 ansible_user="open\n', /line 2: No closing quotation/],
    ['[g:vars]\na=1\n', /line 1: section \[g:vars\] is for a group that is never declared/],
    ['[p:children]\nmissing\n', /line 2: .*"missing", which is never declared/],
    ['[a:children]\nb\n[b:children]\na\n', /line 4: .*loop/],
    ['[g]\nweb[01:3]\n', /line 2: .*equal-length/],
    ['[g]\nweb[0:9999999]\n', /line 2: .*more than/],
    ['[g]\nhost:port\n', /line 2: "port" is not a valid port/],
  ])('rejects %j', (text, message) => {
    expect(parseError(text).message).toMatch(message);
  });
});

describe('YAML specifics', () => {
  it('resolves anchors and merge keys', () => {
    const hosts = byName(parseAnsibleInventory(yml));
    expect(fieldsForNew(hosts.get('grafana-2')!)).toMatchObject({ address: '10.0.30.4', guest: { nodeId: 'pve1', vmid: 121 }, jumpHost: 'bastion' });
  });

  it('merges a host listed in several groups', () => {
    const hosts = byName(parseAnsibleInventory(yml));
    expect(fieldsForNew(hosts.get('web01.example.com')!).tags).toEqual(['apps', 'prod', 'staging', 'web']);
  });

  it('keeps host names as written (010 is not 10)', () => {
    const r = parseAnsibleInventory('all:\n  hosts:\n    010:\n      ansible_host: 10.0.0.10\n');
    expect(r.entries[0]!.input).toMatchObject({ name: '010' });
  });

  it('reports unexpected group keys instead of silently dropping them', () => {
    const r = parseAnsibleInventory('all:\n  children:\n    web:\n      host:\n        web1:\n');
    expect(reasonFor(r, 'group web')).toMatch(/unexpected key "host" on line 4/);
  });

  it('accepts an empty document', () => {
    expect(parseAnsibleInventory('---\n', { fileName: 'x.yml' })).toEqual({ entries: [], skipped: [] });
  });

  it.each([
    ['all:\n  hosts:\n    - web1\n    - web2\n', /line 3: "hosts" of group "all" must be a mapping/],
    ['all:\n  hosts:\n    web1: 10.0.0.1\n', /line 3: host "web1" must have a mapping/],
    ['- all\n', /line 1: .*mapping of group names/],
    ['all:\n  hosts:\n    web1:\n      ansible_host: [unclosed\n', /line \d+: /],
    ['all:\n  children:\n    a:\n      children:\n        b:\n          children:\n            a:\n', /line 7: .*loop/],
    ['all:\n\thosts: {}\n', /line 2: /],
    ['{"_meta": {"hostvars": {}}, "all": {"children": ["ungrouped"]}}', /line 1: .*--list --yaml/],
  ])('rejects %j', (text, message) => {
    expect(parseError(text, 'inv.yml').message).toMatch(message);
  });
});

describe('host mapping edge cases', () => {
  const one = (text: string) => parseAnsibleInventory(text);

  it('skips hosts whose connection vars are Jinja2 templates', () => {
    const r = one('web1 ansible_host="{{ lookup(\'env\', \'X\') }}"\n');
    expect(reasonFor(r, 'web1')).toMatch(/Jinja2/);
  });

  it('skips hosts reached through ProxyCommand', () => {
    const r = one(`web1 ansible_ssh_common_args='-o ProxyCommand="ssh -W %h:%p gw"'\n`);
    expect(reasonFor(r, 'web1')).toMatch(/ProxyCommand/);
  });

  it('understands -oProxyJump=, -o "ProxyJump x" and -Jx', () => {
    const r = one(`a ansible_ssh_common_args='-oProxyJump=gw1'\nb ansible_ssh_common_args='-o "ProxyJump gw2"'\nc ansible_ssh_extra_args=-Jgw3\n`);
    const hosts = byName(r);
    expect(fieldsForNew(hosts.get('a')!).jumpHost).toBe('gw1');
    expect(fieldsForNew(hosts.get('b')!).jumpHost).toBe('gw2');
    expect(fieldsForNew(hosts.get('c')!).jumpHost).toBe('gw3');
  });

  it('needs both guest vars', () => {
    expect(reasonFor(one('a bulwark_guest_vmid=100\n'), 'a')).toMatch(/together/);
  });

  it('reports a non-numeric port', () => {
    expect(reasonFor(one('a ansible_port=ssh\n'), 'a')).toMatch(/port: "ssh" is not a number/);
  });

  it('names the file and line in reasons', () => {
    const r = parseAnsibleInventory('[g]\n\na ansible_port=ssh\n', { fileName: 'prod.ini' });
    expect(reasonFor(r, 'a')).toMatch(/\(prod\.ini line 3\)/);
  });
});
