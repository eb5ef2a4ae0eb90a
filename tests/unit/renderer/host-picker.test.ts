/**
 * The host-picker state the Keys and Runs views each hold: picking by id and in bulk, tags as a
 * toggle set, and the vault lock forgetting the choice (the query and tags can echo host data)
 * in both stores, the Keys one keeping its form otherwise apart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { useFleetStore } from '../../../renderer/src/stores/fleet';
import { createHostPickerStore } from '../../../renderer/src/stores/host-picker';
import { useRunsPickerStore } from '../../../renderer/src/stores/runs';
import { clearSensitive } from '../../../renderer/src/stores/sensitive';

afterEach(() => clearSensitive());

describe('host picker state', () => {
  it('toggles hosts and tags, and picks or drops many hosts at once', () => {
    const store = createHostPickerStore();
    const s = () => store.getState();
    s().toggleHost('a');
    s().toggleHost('b');
    s().toggleHost('a');
    expect([...s().selected]).toEqual(['b']);
    s().setHosts(['c', 'd', 'b'], true);
    expect([...s().selected].sort()).toEqual(['b', 'c', 'd']);
    s().setHosts(['b', 'x'], false);
    expect([...s().selected].sort()).toEqual(['c', 'd']);
    s().toggleTag('web');
    s().toggleTag('db');
    s().toggleTag('web');
    expect(s().tags).toEqual(['db']);
    s().clearHosts();
    expect(s().selected.size).toBe(0);
    expect(s().tags).toEqual(['db']);
  });

  it('never changes a selection set in place (subscribers compare by reference)', () => {
    const store = createHostPickerStore();
    const before = store.getState().selected;
    store.getState().toggleHost('a');
    expect(before.size).toBe(0);
    expect(store.getState().selected).not.toBe(before);
  });

  it('the Keys and Runs views keep their own choice, and locking the vault forgets both', () => {
    useFleetStore.getState().setQuery('web');
    useFleetStore.getState().toggleHost('k1');
    useFleetStore.getState().setForm({ op: 'audit' });
    useRunsPickerStore.getState().toggleTag('prod');
    useRunsPickerStore.getState().toggleHost('r1');

    expect([...useFleetStore.getState().selected]).toEqual(['k1']);
    expect([...useRunsPickerStore.getState().selected]).toEqual(['r1']);
    expect(useRunsPickerStore.getState().query).toBe('');

    clearSensitive();
    expect(useFleetStore.getState()).toMatchObject({ query: '', tags: [], form: { op: 'deploy' } });
    expect(useFleetStore.getState().selected.size).toBe(0);
    expect(useRunsPickerStore.getState()).toMatchObject({ query: '', tags: [] });
    expect(useRunsPickerStore.getState().selected.size).toBe(0);
  });
});
