import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, type Vault } from '../../../main/services/vault';
import { PASS, copyFixture, expectCode, makeFixture, removeTempDirs, SLOW } from './helpers';

let v: Vault;
let clock = 1_000;
let kindN = 0;
/** A fresh kind per test so tests share one unlocked real-parameter vault without interfering. */
const kind = () => `k${++kindN}`;

beforeAll(() => {
  v = copyFixture(makeFixture(), { now: () => clock++ });
  v.unlock(PASS);
}, SLOW.timeout);
afterAll(() => {
  v.close();
  removeTempDirs();
});

describe('records', SLOW, () => {
  it('newId() is a UUID', () => {
    expect(newId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newId()).not.toBe(newId());
  });

  it('put/get/list/delete, upsert keeps createdAt, list ordered by createdAt then id', () => {
    const k = kind();
    clock = 100;
    v.put(k, 'b', { n: 'b' });
    clock = 100;
    v.put(k, 'a', { n: 'a' }); // same createdAt as b: id decides
    clock = 50;
    v.put(k, 'z', { n: 'z' });
    clock = 200;
    v.put(k, 'b', { n: 'b2' }); // update: stays at createdAt 100
    clock = 1_000_000;
    expect(v.list<{ n: string }>(k).map((x) => x.n)).toEqual(['z', 'a', 'b2']);
    expect(v.get(k, 'b')).toEqual({ n: 'b2' });
    // the same order comes from the file after a cache reload
    v.lock();
    v.unlock(PASS);
    expect(v.list<{ n: string }>(k).map((x) => x.n)).toEqual(['z', 'a', 'b2']);
    expect(v.get(k, 'missing')).toBeUndefined();
    expect(v.delete(k, ['a', 'nope'])).toBe(1);
    expect(v.list<{ n: string }>(k).map((x) => x.n)).toEqual(['z', 'b2']);
    expect(v.list('never-written')).toEqual([]);
  });

  it('stores JSON values: normalises like JSON, refuses what JSON cannot carry', () => {
    const k = kind();
    v.put(k, 'd', { when: new Date(0), list: [1, 'two', null], nested: { deep: true }, skip: undefined });
    expect(v.get(k, 'd')).toEqual({ when: '1970-01-01T00:00:00.000Z', list: [1, 'two', null], nested: { deep: true } });
    v.put(k, 's', 'just a string');
    expect(v.get(k, 's')).toBe('just a string');
    expectCode(() => v.put(k, 'u', undefined), 'VALIDATION');
    expectCode(() => v.put(k, 'f', () => 1), 'VALIDATION');
    expectCode(() => v.put(k, 'big', { n: 1n }), 'VALIDATION');
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expectCode(() => v.put(k, 'c', cyclic), 'VALIDATION');
    expectCode(() => v.put('', 'x', 1), 'VALIDATION');
    expectCode(() => v.put('bad kind!', 'x', 1), 'VALIDATION');
    expectCode(() => v.put(k, '', 1), 'VALIDATION');
    expect(v.list(k)).toHaveLength(2);
  });

  it('hands out frozen values and fresh arrays, so callers cannot corrupt the cache', () => {
    const k = kind();
    v.put(k, 'x', { tags: ['a'] });
    const got = v.get<{ tags: string[] }>(k, 'x')!;
    expect(() => {
      got.tags.push('b');
    }).toThrow(TypeError);
    const arr = v.list(k);
    arr.pop();
    expect(v.list(k)).toHaveLength(1);
    const input = { tags: ['a'] };
    v.put(k, 'y', input);
    input.tags.push('mutated after put');
    expect(v.get(k, 'y')).toEqual({ tags: ['a'] });
  });

  it('putMany validates every entry before writing any', () => {
    const k = kind();
    expectCode(() => v.putMany(k, [{ id: 'ok', value: 1 }, { id: 'bad', value: undefined }]), 'VALIDATION');
    expect(v.list(k)).toEqual([]);
    v.putMany(k, [{ id: 'p', value: 1 }, { id: 'q', value: 2 }]);
    expect(v.list(k)).toEqual([1, 2]);
  });

  it('transaction commits everything or nothing and keeps the cache consistent on rollback', () => {
    const k = kind();
    v.put(k, 'keep', 'original');
    expect(v.list(k)).toEqual(['original']); // cache loaded
    expect(() =>
      v.transaction(() => {
        v.put(k, 'keep', 'changed');
        v.put(k, 'new', 'added');
        v.delete(k, ['keep']);
        expect(v.list(k)).toEqual(['added']); // visible inside
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(v.list(k)).toEqual(['original']);
    expect(v.get(k, 'new')).toBeUndefined();
    const r = v.transaction(() => {
      v.put(k, 'a', 1);
      v.putMany(k, [{ id: 'b', value: 2 }]);
      return 'done';
    });
    expect(r).toBe('done');
    expect(v.list(k)).toEqual(['original', 1, 2]);
  });

  it('nested transactions roll back only the inner level when the outer catches', () => {
    const k = kind();
    const k2 = kind();
    v.transaction(() => {
      v.put(k, 'outer', 1);
      try {
        v.transaction(() => {
          v.put(k, 'inner', 2);
          v.put(k2, 'inner2', 3);
          throw new Error('inner fails');
        });
      } catch {
        // handled
      }
      expect(v.get(k, 'inner')).toBeUndefined();
      expect(v.list(k2)).toEqual([]);
      v.put(k, 'after', 4);
    });
    expect(v.list(k)).toEqual([1, 4]);
    // and a failing outer undoes a successful inner
    expect(() =>
      v.transaction(() => {
        v.transaction(() => v.put(k2, 'x', 'x'));
        expect(v.list(k2)).toEqual(['x']);
        throw new Error('outer fails');
      }),
    ).toThrow('outer fails');
    expect(v.list(k2)).toEqual([]);
  });

  it('refuses async transaction functions (they would commit too early)', () => {
    const k = kind();
    expectCode(
      () =>
        v.transaction(async () => {
          v.put(k, 'a', 1);
        }),
      'INTERNAL',
      /synchronous/,
    );
    expect(v.list(k)).toEqual([]);
  });

  it('refuses to lock or change settings inside a transaction', () => {
    expectCode(() => v.transaction(() => v.lock()), 'INTERNAL');
    expectCode(() => v.transaction(() => v.setAutoLockMinutes(3)), 'INTERNAL');
    expect(v.state()).toBe('unlocked');
    expect(v.getAutoLockMinutes()).toBe(15);
  });

  it('a cold list() after unlock reads what was written (cache is per session)', () => {
    const k = kind();
    v.putMany(k, Array.from({ length: 50 }, (_, i) => ({ id: `id${String(i).padStart(3, '0')}`, value: { i } })));
    v.lock();
    v.unlock(PASS);
    const all = v.list<{ i: number }>(k);
    expect(all).toHaveLength(50);
    expect(all.map((x) => x.i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('readOne() reads one record of an uncached kind, from the cache once cached; ids() lists without decrypting', () => {
    const k = kind();
    clock = 10;
    v.put(k, 'later', { n: 2 });
    clock = 5;
    v.put(k, 'first', { n: 1 });
    v.lock();
    v.unlock(PASS);
    expect(v.ids(k)).toEqual(['first', 'later']);
    expect(v.readOne(k, 'later')).toEqual({ n: 2 });
    expect(Object.isFrozen(v.readOne(k, 'later'))).toBe(true);
    expect(v.readOne(k, 'missing')).toBeUndefined();
    v.put(k, 'later', { n: 3 }); // written while the kind is not cached: read back from the file
    expect(v.readOne(k, 'later')).toEqual({ n: 3 });
    expect(v.list(k)).toHaveLength(2); // now cached
    v.put(k, 'later', { n: 4 });
    expect(v.readOne(k, 'later')).toEqual({ n: 4 });
    expect(v.ids('never-written')).toEqual([]);
    expectCode(() => v.readOne('', 'x'), 'VALIDATION');
  });
});
