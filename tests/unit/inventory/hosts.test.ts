import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BulwarkError } from '../../../shared/errors';
import type { Host } from '../../../shared/domain/host';
import { HOST_KIND, HostStore, importAnsibleInventory, importSshConfig } from '../../../main/services/inventory';
import { PASSPHRASE } from './helpers';
import { openVault, type OpenVault } from './vault-fixture';

let v: OpenVault;
let store: HostStore;
let clock: number;

beforeEach(() => {
  clock = 1_700_000_000_000;
  v = openVault();
  store = new HostStore(v.vault, { now: () => clock++ });
});
afterEach(() => v.close());

function thrown(fn: () => unknown): BulwarkError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BulwarkError);
    return e as BulwarkError;
  }
  throw new Error('expected a BulwarkError');
}

describe('HostStore CRUD', () => {
  it('creates with defaults, ids and timestamps, and lists sorted by name', () => {
    const b = store.create({ name: 'web2', address: '10.0.0.2' });
    const a = store.create({ name: 'Web1', address: '10.0.0.1', tags: ['Prod', 'web', 'prod'] });
    expect(a).toMatchObject({ port: 22, user: 'root', jumpHost: '', notes: '', guest: null, tags: ['prod', 'web'] });
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.createdAt).toBe(a.updatedAt);
    expect(store.list().map((h) => h.name)).toEqual(['Web1', 'web2']);
    expect(store.get(b.id)).toEqual(b);
  });

  it('turns zod failures into VALIDATION with field messages', () => {
    const e = thrown(() => store.create({ name: 'bad name', address: '300.1.1.1', port: 70000 }));
    expect(e.code).toBe('VALIDATION');
    expect(e.fields).toMatchObject({
      name: expect.stringMatching(/letters, digits/),
      address: expect.stringMatching(/IPv4/),
      port: expect.stringMatching(/between 1 and 65535/),
    });
  });

  it('refuses duplicate names case-insensitively with CONFLICT on name', () => {
    store.create({ name: 'web1', address: '10.0.0.1' });
    const e = thrown(() => store.create({ name: 'WEB1', address: '10.0.0.9' }));
    expect(e.code).toBe('CONFLICT');
    expect(e.fields).toHaveProperty('name');
  });

  it('updates every field, keeps createdAt, refuses renaming onto another host', () => {
    const a = store.create({ name: 'a', address: '10.0.0.1', tags: ['x'] });
    store.create({ name: 'b', address: '10.0.0.2' });
    const u = store.update(a.id, { name: 'A', address: 'a.example.net', port: 2222 });
    expect(u).toMatchObject({ id: a.id, name: 'A', address: 'a.example.net', port: 2222, tags: [], createdAt: a.createdAt });
    expect(u.updatedAt).toBeGreaterThan(a.updatedAt);
    expect(thrown(() => store.update(a.id, { name: 'B', address: '10.0.0.1' })).code).toBe('CONFLICT');
    expect(thrown(() => store.update('nope', { name: 'c', address: '10.0.0.3' })).code).toBe('NOT_FOUND');
  });

  it('deletes by ids and reports the count', () => {
    const a = store.create({ name: 'a', address: '10.0.0.1' });
    const b = store.create({ name: 'b', address: '10.0.0.2' });
    expect(store.delete([a.id, b.id, 'missing'])).toBe(2);
    expect(store.list()).toEqual([]);
  });

  it('finds by name case-insensitively', () => {
    const a = store.create({ name: 'Pve1', address: '10.0.0.1' });
    expect(store.findByName('PVE1')?.id).toBe(a.id);
    expect(store.findByName('pve2')).toBeUndefined();
  });

  it('stores hosts under kind "host" in the vault', () => {
    const a = store.create({ name: 'a', address: '10.0.0.1' });
    expect(v.vault.get<Host>(HOST_KIND, a.id)).toEqual(a);
  });
});

describe('HostStore.search', () => {
  beforeEach(() => {
    store.create({ name: 'web1', address: '10.0.0.1', user: 'deploy', tags: ['prod', 'web'] });
    store.create({ name: 'db1', address: '2001:db8::51', tags: ['prod'], notes: 'Primary PostgreSQL\nbackups nightly' });
    store.create({ name: 'lab', address: 'lab.example.net', jumpHost: 'Bastion.example.net' });
  });

  it('matches case-insensitive substrings of every searchable field', () => {
    const names = (q: string) => store.search(q).map((h) => h.name);
    expect(names('WEB')).toEqual(['web1']);
    expect(names('2001:DB8')).toEqual(['db1']);
    expect(names('deploy')).toEqual(['web1']);
    expect(names('prod')).toEqual(['db1', 'web1']);
    expect(names('postgresql')).toEqual(['db1']);
    expect(names('bastion')).toEqual(['lab']);
    expect(names('nothing-like-this')).toEqual([]);
  });

  it('requires every whitespace-separated term, and returns all for an empty query', () => {
    expect(store.search('prod web').map((h) => h.name)).toEqual(['web1']);
    expect(store.search('  ')).toHaveLength(3);
  });

  it('sees changes: updates, deletes and writes made outside the store', () => {
    const web = store.findByName('web1')!;
    expect(store.search('staging')).toEqual([]);
    store.update(web.id, { ...web, tags: ['staging'] });
    expect(store.search('staging').map((h) => h.name)).toEqual(['web1']);
    store.delete([web.id]);
    expect(store.search('staging')).toEqual([]);
    // another writer (e.g. a vault import) puts a host directly
    v.vault.put(HOST_KIND, 'ext', { ...web, id: 'ext', name: 'outside', tags: ['staging'] });
    expect(store.search('staging').map((h) => h.name)).toEqual(['outside']);
  });

  it('throws VAULT_LOCKED once locked, and works again after unlocking', () => {
    v.vault.lock();
    expect(thrown(() => store.search('web')).code).toBe('VAULT_LOCKED');
    expect(thrown(() => store.list()).code).toBe('VAULT_LOCKED');
    v.vault.unlock(PASSPHRASE);
    expect(store.search('web').map((h) => h.name)).toEqual(['web1']);
  });
});

describe('HostStore.select / selectByTag', () => {
  beforeEach(() => {
    store.create({ name: 'web1', address: '10.0.0.1', tags: ['web'] });
    store.create({ name: 'web2', address: '10.0.0.2', tags: ['web'] });
    store.create({ name: 'db1', address: '10.0.0.3', tags: ['db'] });
  });

  it('selects by tag (case-insensitive)', () => {
    expect(store.selectByTag('WEB').map((h) => h.name)).toEqual(['web1', 'web2']);
    expect(store.selectByTag('none')).toEqual([]);
  });

  it('unions names and tag, without duplicates', () => {
    expect(store.select({ names: ['DB1', 'web1'], tag: 'web' }).map((h) => h.name)).toEqual(['db1', 'web1', 'web2']);
  });

  it('lists every unknown name in NOT_FOUND', () => {
    const e = thrown(() => store.select({ names: ['web1', 'nope', 'gone'] }));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toMatch(/nope, gone/);
  });

  it('refuses an empty selection and an unused tag', () => {
    expect(thrown(() => store.select({})).code).toBe('BAD_REQUEST');
    expect(thrown(() => store.select({ tag: 'typo' })).code).toBe('NOT_FOUND');
  });
});

describe('HostStore.upsertMany', () => {
  it('adds, updates, skips unchanged and invalid entries, by name', () => {
    store.create({ name: 'keep', address: '10.0.0.1' });
    store.create({ name: 'change', address: '10.0.0.2' });
    const report = store.upsertMany([
      { input: { name: 'new1', address: '10.0.0.3' }, source: 'line 1' },
      { input: { name: 'KEEP', address: '10.0.0.1' }, source: 'line 2' },
      { input: { name: 'change', address: '10.0.0.22' }, source: 'line 3' },
      { input: { name: 'bad', address: '10.0.0' }, source: 'line 4' },
      { input: { name: 'new1', address: '10.0.0.4' }, source: 'line 5' },
      { input: { address: '10.0.0.5' }, source: 'line 6' },
    ]);
    expect(report.added).toEqual(['new1']);
    expect(report.updated).toEqual(['change']);
    expect(report.skipped).toEqual([
      { name: 'keep', reason: 'unchanged' },
      { name: 'bad', reason: expect.stringMatching(/^address: is not a valid IPv4 address.*\(line 4\)$/) },
      { name: 'new1', reason: expect.stringMatching(/duplicate name: already imported from line 1/) },
      { name: '(unnamed)', reason: expect.stringMatching(/^name: /) },
    ]);
    expect(store.findByName('change')!.address).toBe('10.0.0.22');
    expect(store.findByName('keep')!.name).toBe('keep'); // the stored spelling stays
  });

  it('keeps fields an entry does not state, and applies defaults only to new hosts', () => {
    const h = store.create({ name: 'web1', address: '10.0.0.1', user: 'admin', tags: ['mine'], notes: 'hand-written' });
    const report = store.upsertMany([
      { input: { name: 'web1', port: 2222 }, defaults: { address: 'web1', user: 'me', notes: 'IdentityFile: x' }, source: 's' },
      { input: { name: 'web9' }, defaults: { address: 'web9', user: 'me', notes: 'IdentityFile: x' }, source: 's' },
    ]);
    expect(report).toMatchObject({ added: ['web9'], updated: ['web1'] });
    expect(store.get(h.id)).toMatchObject({ address: '10.0.0.1', user: 'admin', tags: ['mine'], notes: 'hand-written', port: 2222 });
    expect(store.findByName('web9')).toMatchObject({ address: 'web9', user: 'me', notes: 'IdentityFile: x' });
  });

  it('writes everything in one transaction: a failing write leaves nothing behind', () => {
    store.create({ name: 'a', address: '10.0.0.1' });
    const before = store.list();
    const faulty = new HostStore(
      new Proxy(v.vault, {
        get(target, prop, receiver) {
          if (prop === 'putMany')
            return (kind: string, entries: { id: string; value: unknown }[]) => {
              target.putMany(kind, entries.slice(0, 1));
              throw new Error('disk full');
            };
          const value = Reflect.get(target, prop, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      }),
    );
    expect(() =>
      faulty.upsertMany([
        { input: { name: 'x1', address: '10.0.0.5' }, source: 's' },
        { input: { name: 'x2', address: '10.0.0.6' }, source: 's' },
      ]),
    ).toThrow('disk full');
    expect(store.list()).toEqual(before);
  });
});

describe('importers end to end', () => {
  it('imports an ssh config twice: the second time everything is unchanged', () => {
    const text = 'Host web1 web2\n  HostName %h.example.net\n  IdentityFile ~/.ssh/id_ed25519\nHost *.lan\n  User x\n';
    const first = importSshConfig(store, text, { defaultUser: 'me' });
    expect(first.added).toEqual(['web1', 'web2']);
    expect(first.skipped).toEqual([{ name: '*.lan', reason: expect.stringMatching(/pattern/) }]);
    expect(store.findByName('web1')).toMatchObject({ user: 'me', notes: 'IdentityFile: ~/.ssh/id_ed25519' });
    const second = importSshConfig(store, text, { defaultUser: 'someone-else' });
    expect(second.added).toEqual([]);
    expect(second.updated).toEqual([]);
    expect(second.skipped.filter((s) => s.reason === 'unchanged').map((s) => s.name)).toEqual(['web1', 'web2']);
  });

  it('reports invalid ssh values with their field message', () => {
    const r = importSshConfig(store, 'Host ok\n  HostName 10.0.0.1\nHost bad\n  HostName 10.0.0.300\nHost port\n  Port 0\n', { defaultUser: 'me' });
    expect(r.added).toEqual(['ok']);
    expect(r.skipped).toEqual([
      { name: 'bad', reason: expect.stringMatching(/^address: is not a valid IPv4/) },
      { name: 'port', reason: expect.stringMatching(/^port: must be between 1 and 65535/) },
    ]);
  });

  it('imports an Ansible inventory, reporting names Bulwark cannot use', () => {
    const r = importAnsibleInventory(store, '[web]\nweb1 ansible_host=10.0.0.1\n2001:db8::9\nweb_2 ansible_host=bad..name\n', 'hosts.ini');
    expect(r.added).toEqual(['web1']);
    expect(r.skipped.map((s) => s.name)).toEqual(['2001:db8::9', 'web_2']);
    expect(r.skipped[0]!.reason).toMatch(/^name: .*\(hosts\.ini line 3\)/);
  });
});
