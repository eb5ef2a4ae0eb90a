import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BulwarkError } from '../../../shared/errors';
import { proxmoxNodeViewSchema } from '../../../shared/domain/proxmox';
import { PVE_NODE_KIND, ProxmoxNodeStore } from '../../../main/services/inventory';
import { openVault, type OpenVault } from './vault-fixture';

const FP = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0')).join(':');
const input = {
  name: 'pve1',
  address: '10.0.0.5',
  tokenId: 'bulwark@pve!inventory',
  tokenSecret: '0b8f7c3e-1d2a-4c5b-9e8f-123456789abc',
  fingerprint: FP.toLowerCase(),
};

let v: OpenVault;
let store: ProxmoxNodeStore;
beforeEach(() => {
  v = openVault();
  store = new ProxmoxNodeStore(v.vault);
});
afterEach(() => v.close());

describe('ProxmoxNodeStore', () => {
  it('creates a node and never returns the secret from list/create', () => {
    const view = store.create(input);
    expect(view).not.toHaveProperty('tokenSecret');
    expect(view).toMatchObject({ name: 'pve1', port: 8006, hasSecret: true, fingerprint: FP.toUpperCase() });
    expect(proxmoxNodeViewSchema.strict().safeParse(view).success).toBe(true);
    const listed = store.list();
    expect(listed).toEqual([view]);
    expect(JSON.stringify(listed)).not.toContain(input.tokenSecret);
  });

  it('hands the secret to main-process callers only through getWithSecret', () => {
    const view = store.create(input);
    expect(store.getWithSecret(view.id).tokenSecret).toBe(input.tokenSecret);
    expect(v.vault.get(PVE_NODE_KIND, view.id)).toMatchObject({ tokenSecret: input.tokenSecret });
    expect(() => store.getWithSecret('missing')).toThrow(BulwarkError);
  });

  it('validates input with field messages and refuses duplicate names', () => {
    try {
      store.create({ ...input, tokenId: 'root', fingerprint: 'AB:CD' });
      expect.unreachable();
    } catch (e) {
      expect((e as BulwarkError).code).toBe('VALIDATION');
      expect(Object.keys((e as BulwarkError).fields ?? {}).sort()).toEqual(['fingerprint', 'tokenId']);
    }
    store.create(input);
    expect(() => store.create({ ...input, name: 'PVE1' })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });

  it('deletes by id, returning how many went', () => {
    const view = store.create(input);
    expect(store.delete(view.id)).toBe(1);
    expect(store.delete(view.id)).toBe(0);
    expect(store.list()).toEqual([]);
  });
});
