/**
 * Custom profiles in a real vault: stored encrypted under opaque record ids, checked in full
 * before storing (shape, unknown and repeated controls, each control's parameters), built-in
 * ids refused, CONFLICT unless replace, delete, and survival across lock and unlock. Hostile
 * parameters never reach the vault.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { PROFILE_KIND, ProfileStore } from '../../../main/services/hardening/profile-store';
import { findProfile, selectionsOf } from '../../../main/services/hardening/profiles';
import { profileView, profileViews } from '../../../main/services/access';
import { expectCode } from '../../helpers/expect-error';
import { PASSPHRASE } from '../inventory/helpers';
import { type OpenVault, openVault } from '../inventory/vault-fixture';

let v: OpenVault | undefined;
afterEach(() => {
  v?.close();
  v = undefined;
});

function store(now?: () => number): ProfileStore {
  v = openVault();
  return new ProfileStore(v.vault, now ? { now } : {});
}

const lanOnly = {
  id: 'lan-only',
  name: 'LAN only',
  description: 'SSH from the LAN, keys only',
  controls: [{ id: 'ssh-key-access' }, { id: 'sshd-auth' }, { id: 'ufw', params: { sshFrom: '192.168.1.0/24', lanCidr: '192.168.1.0/24' } }],
};

describe('ProfileStore', () => {
  it('stores a profile encrypted, under an opaque record id, and gives it back', () => {
    const s = store();
    const saved = s.save(lanOnly);
    expect(saved).toEqual(lanOnly);
    expect(s.get('lan-only')).toEqual(lanOnly);
    expect(s.list().map((p) => p.id)).toEqual(['lan-only']);
    const raw = v!.vault.list<{ recordId: string }>(PROFILE_KIND);
    expect(raw).toHaveLength(1);
    expect(raw[0]!.recordId).toMatch(/^[0-9a-f-]{36}$/);
    const file = readFileSync(v!.path);
    for (const plain of ['lan-only', 'LAN only', '192.168.1.0/24']) expect(file.includes(Buffer.from(plain))).toBe(false);
    // runs find it, and its parameters parse as the controls' schemas say
    const sel = selectionsOf(findProfile('lan-only', s.list()));
    expect(sel.find((x) => x.control.id === 'ufw')!.params).toEqual({ sshFrom: '192.168.1.0/24', lanCidr: '192.168.1.0/24' });
    expect(profileView(saved)).toMatchObject({ id: 'lan-only', builtIn: false });
    expect(profileViews(s).map((p) => [p.id, p.builtIn])).toEqual([['guide-baseline', true], ['strict-ssh', true], ['proxmox-node', true], ['lan-only', false]]);
  });

  it('survives lock and unlock', () => {
    const s = store();
    s.save(lanOnly);
    v!.vault.lock();
    expectCode(() => s.list(), 'VAULT_LOCKED');
    v!.vault.unlock(PASSPHRASE);
    expect(s.get('lan-only')).toEqual(lanOnly);
  });

  it('refuses an existing id unless replace, and replacing keeps the record and its creation time', () => {
    let t = 1000;
    const s = store(() => t);
    s.save(lanOnly);
    t = 2000;
    expectCode(() => s.save({ ...lanOnly, name: 'Other' }), 'CONFLICT', /already exists/);
    expect(s.get('lan-only')!.name).toBe('LAN only');
    const replaced = s.save({ ...lanOnly, name: 'Other' }, { replace: true });
    expect(replaced.name).toBe('Other');
    const rows = v!.vault.list<{ createdAt: number; updatedAt: number }>(PROFILE_KIND);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ createdAt: 1000, updatedAt: 2000 });
  });

  it('refuses built-in ids for save and delete', () => {
    const s = store();
    for (const id of ['guide-baseline', 'strict-ssh', 'proxmox-node']) {
      expectCode(() => s.save({ ...lanOnly, id }, { replace: true }), 'CONFLICT', /built-in profile/);
      expectCode(() => s.delete(id), 'CONFLICT', /cannot be deleted/);
    }
    expect(s.list()).toEqual([]);
  });

  it('deletes custom profiles; an unknown id deletes nothing', () => {
    const s = store();
    s.save(lanOnly);
    expect(s.delete('nope')).toBe(false);
    expect(s.delete('lan-only')).toBe(true);
    expect(s.get('lan-only')).toBeUndefined();
    expect(s.delete('lan-only')).toBe(false);
    expect(v!.vault.list(PROFILE_KIND)).toEqual([]);
  });

  it('refuses bad shapes with the field named', () => {
    const s = store();
    const cases: Array<[unknown, RegExp]> = [
      [{ ...lanOnly, id: 'Bad Id' }, /id: must be 2-63 lower-case/],
      [{ ...lanOnly, id: '-lead' }, /id: must be/],
      [{ ...lanOnly, id: 'a'.repeat(64) }, /id: must be/],
      [{ ...lanOnly, name: '   ' }, /name: is required/],
      [{ ...lanOnly, controls: [] }, /controls: choose at least one control/],
      [{ ...lanOnly, controls: Array.from({ length: 33 }, () => ({ id: 'ufw' })) }, /controls/],
      [{ ...lanOnly, extra: 1 }, /extra|Unrecognized/i],
      [{ ...lanOnly, controls: [{ id: 'ufw', params: 'x' }] }, /controls\.0\.params/],
      [{ ...lanOnly, name: 42 }, /name/],
      [null, /invalid/i],
    ];
    for (const [input, message] of cases) expectCode(() => s.save(input), 'VALIDATION', message);
    expect(s.list()).toEqual([]);
  });

  it('refuses unknown and repeated controls and bad parameters, naming control and field', () => {
    const s = store();
    const withControls = (controls: unknown[]) => ({ ...lanOnly, controls });
    const cases: Array<[unknown[], RegExp, string]> = [
      [[{ id: 'telnet' }], /unknown control "telnet"/, 'controls.0.id'],
      [[{ id: 'ufw' }, { id: 'ufw' }], /control ufw is listed twice/, 'controls.1.id'],
      // shell metacharacters never reach a host: the CIDR check refuses them
      [[{ id: 'ufw', params: { lanCidr: '10.0.0.0/8; rm -rf /' } }], /control ufw: lanCidr/, 'controls.0.params.lanCidr'],
      [[{ id: 'ufw', params: { sshFrom: '$(reboot)' } }], /control ufw: sshFrom/, 'controls.0.params.sshFrom'],
      [[{ id: 'sshd-port', params: { port: 70000 } }], /control sshd-port: port/, 'controls.0.params.port'],
      [[{ id: 'sshd-port', params: { port: 0 } }], /control sshd-port: port/, 'controls.0.params.port'],
      [[{ id: 'exposure', params: { allowedPorts: [22, 65536] } }], /control exposure: allowedPorts\.1/, 'controls.0.params.allowedPorts.1'],
      [[{ id: 'fail2ban', params: { maxretry: '3' } }], /control fail2ban: maxretry/, 'controls.0.params.maxretry'],
      [[{ id: 'fail2ban', params: { maxretry: 3.5 } }], /control fail2ban: maxretry/, 'controls.0.params.maxretry'],
      [[{ id: 'sshd-strict', params: { ciphers: ['aes128-ctr; id'] } }], /control sshd-strict: ciphers\.0 is not an algorithm name/, 'controls.0.params.ciphers.0'],
      [[{ id: 'sshd-auth', params: { permitRootLogin: 'yes' } }], /control sshd-auth: permitRootLogin/, 'controls.0.params.permitRootLogin'],
      [[{ id: 'sshd-auth', params: { unknown: true } }], /control sshd-auth/, 'controls.0.params'],
    ];
    for (const [controls, message, field] of cases) {
      const e = expectCode(() => s.save(withControls(controls)), 'VALIDATION', message);
      expect(Object.keys(e.fields ?? {})).toEqual([field]);
    }
    expect(s.list()).toEqual([]);
  });
});
