import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BulwarkError } from '../../../shared/errors';
import { proxmoxNodeViewSchema } from '../../../shared/domain/proxmox';
import { PVE_NODE_KIND, ProxmoxNodeStore } from '../../../main/services/inventory';
import { openVault, type OpenVault } from './vault-fixture';

const FP = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0')).join(':');
const input = {
  name: 'pve1',
  address: '10.0.0.5',
  user: 'bulwark@pve!inventory',
  secret: '0b8f7c3e-1d2a-4c5b-9e8f-123456789abc',
  fingerprint: FP.toLowerCase(),
};
const CA_FP = FP.split(':').reverse().join(':');
const certificatePin = { sha256: FP.toUpperCase(), caPem: null };

let v: OpenVault;
let store: ProxmoxNodeStore;
beforeEach(() => {
  v = openVault();
  store = new ProxmoxNodeStore(v.vault);
});
afterEach(() => v.close());

describe('ProxmoxNodeStore', () => {
  it('creates a node and never returns the secret from list/create', () => {
    const view = store.create(input, certificatePin);
    expect(view).not.toHaveProperty('secret');
    expect(view).toMatchObject({ name: 'pve1', port: 8006, auth: 'token', hasSecret: true, fingerprint: FP.toUpperCase(), pin: 'certificate' });
    expect(proxmoxNodeViewSchema.strict().safeParse(view).success).toBe(true);
    const listed = store.list();
    expect(listed).toEqual([view]);
    expect(JSON.stringify(listed)).not.toContain(input.secret);
  });

  it('hands the secret to main-process callers only through getWithSecret', () => {
    const view = store.create(input, certificatePin);
    expect(store.getWithSecret(view.id).secret).toBe(input.secret);
    expect(v.vault.get(PVE_NODE_KIND, view.id)).toMatchObject({ secret: input.secret });
    expect(() => store.getWithSecret('missing')).toThrow(BulwarkError);
  });

  it('validates input with field messages and refuses duplicate names', () => {
    try {
      store.create({ ...input, user: 'root', fingerprint: 'AB:CD' }, certificatePin);
      expect.unreachable();
    } catch (e) {
      expect((e as BulwarkError).code).toBe('VALIDATION');
      expect(Object.keys((e as BulwarkError).fields ?? {}).sort()).toEqual(['fingerprint', 'user']);
    }
    store.create(input, certificatePin);
    expect(() => store.create({ ...input, name: 'PVE1' }, certificatePin)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });

  it('checks credentials by sign-in kind: a token id and secret, or a user@realm and a password', () => {
    const fieldsOf = (o: Record<string, unknown>) => {
      try {
        store.validate({ ...input, ...o });
        return [];
      } catch (e) {
        return Object.entries((e as BulwarkError).fields ?? {});
      }
    };
    expect(fieldsOf({ auth: 'password', user: 'root@pam', secret: 'correct horse battery' })).toEqual([]);
    expect(fieldsOf({ auth: 'password', user: 'root@pam!bulwark', secret: '' })).toEqual([
      ['user', 'must be a user with its realm, like root@pam'],
      ['secret', 'is required'],
    ]);
    expect(fieldsOf({ auth: 'token', user: 'root@pam', secret: 'has spaces in it' })).toEqual([
      ['user', 'must be the token id, like user@realm!tokenid'],
      ['secret', 'must be the token secret Proxmox showed (letters, digits, "-")'],
    ]);
    expect(fieldsOf({ auth: 'ldap' })).toEqual([['auth', expect.stringContaining('token')]]);
  });

  it('stores a cluster CA pin, hides the PEM from views, and re-pins without touching the rest', () => {
    const view = store.create({ ...input, auth: 'password', user: 'root@pam', secret: 'pw' }, { sha256: CA_FP, caPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' });
    expect(view).toMatchObject({ pin: 'ca', fingerprint: CA_FP, auth: 'password', user: 'root@pam' });
    expect(view).not.toHaveProperty('caPem');
    const repinned = store.repin(view.id, certificatePin);
    expect(repinned).toMatchObject({ pin: 'certificate', fingerprint: FP.toUpperCase(), name: 'pve1', user: 'root@pam' });
    expect(store.getWithSecret(view.id)).toMatchObject({ caPem: null, secret: 'pw', createdAt: view.createdAt });
    expect(() => store.repin('missing', certificatePin)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('deletes by id, returning how many went', () => {
    const view = store.create(input, certificatePin);
    expect(store.delete(view.id)).toBe(1);
    expect(store.delete(view.id)).toBe(0);
    expect(store.list()).toEqual([]);
  });
});
