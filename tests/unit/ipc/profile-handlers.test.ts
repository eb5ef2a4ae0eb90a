/**
 * The profile channels as the renderer calls them: the real app services and the real IPC
 * router (requests and replies parsed by the contract), a real vault in a temp dir. Save, list
 * (built-in first), export and import YAML, export Ansible, delete, the control catalogue, and
 * the errors crossing IPC as data with their codes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AppHarness, startAppHarness } from './app-harness';
import type { ControlCatalogEntry, ProfileView, TextFile } from '../../../shared/domain/hardening';

let app: AppHarness;
let s: AppHarness['services'];
const call = <T>(channel: string, payload: unknown) => app.call<T>(channel, payload);
const fails = (channel: string, payload: unknown) => app.fails(channel, payload);

beforeEach(async () => {
  app = await startAppHarness('bulwark-profile-ipc-');
  s = app.services;
});
afterEach(async () => {
  await app.dispose();
});

const profile = { id: 'lan-web', name: 'LAN web', controls: [{ id: 'sshd-auth' }, { id: 'ufw', params: { lanCidr: '10.0.0.0/8' } }, { id: 'exposure', params: { allowedPorts: [443] } }] };

describe('profile channels', () => {
  it('save, list, export, import, export Ansible, delete', async () => {
    const saved = await call<ProfileView>('profiles:save', { profile });
    expect(saved).toMatchObject({ id: 'lan-web', builtIn: false, description: '' });
    expect(saved.controls.find((c) => c.id === 'ufw')!.params).toEqual({ sshFrom: 'anywhere', lanCidr: '10.0.0.0/8' });
    const all = await call<ProfileView[]>('hardening:profiles', {});
    expect(all.map((p) => p.id)).toEqual(['guide-baseline', 'strict-ssh', 'proxmox-node', 'lan-web']);

    const yaml = await call<TextFile>('profiles:export', { id: 'lan-web' });
    expect(yaml.fileName).toBe('lan-web.bulwark-profile.yml');
    expect((await fails('profiles:import', { text: yaml.text })).code).toBe('CONFLICT');
    const replaced = await call<ProfileView>('profiles:import', { text: yaml.text.replace('name: LAN web', 'name: LAN web 2'), replace: true });
    expect(replaced.name).toBe('LAN web 2');
    const copy = await call<ProfileView>('profiles:import', { text: (await call<TextFile>('profiles:export', { id: 'strict-ssh' })).text.replace('id: strict-ssh', 'id: my-strict') });
    expect(copy).toMatchObject({ id: 'my-strict', builtIn: false, name: 'Strict SSH' });

    const play = await call<TextFile>('profiles:exportAnsible', { id: 'lan-web' });
    expect(play.fileName).toBe('lan-web.ansible.yml');
    expect(play.text).toContain('from_ip: "10.0.0.0/8"');
    expect(play.text).toContain('# - exposure: ');

    expect(await call('profiles:delete', { id: 'lan-web' })).toEqual({ deleted: true });
    expect(await call('profiles:delete', { id: 'lan-web' })).toEqual({ deleted: false });
    expect((await fails('profiles:export', { id: 'lan-web' })).code).toBe('NOT_FOUND');
  });

  it('errors cross as data with their codes and fields', async () => {
    expect(await fails('profiles:save', { profile: { ...profile, controls: [{ id: 'ufw', params: { lanCidr: '10.0.0.0/8; rm -rf /' } }] } })).toMatchObject({
      code: 'VALIDATION',
      fields: { 'controls.0.params.lanCidr': expect.stringContaining('not an address') },
    });
    expect((await fails('profiles:save', { profile: { ...profile, id: 'guide-baseline' }, replace: true })).code).toBe('CONFLICT');
    expect((await fails('profiles:delete', { id: 'strict-ssh' })).code).toBe('CONFLICT');
    expect((await fails('profiles:save', { profile: { ...profile, id: 'Bad Id' } })).code).toBe('BAD_REQUEST');
    expect(await fails('profiles:import', { text: 'bulwark-profile: 1\nid: a-b\nid: c\n' })).toMatchObject({ code: 'IMPORT_PARSE', message: expect.stringContaining('line 3') });
    expect((await fails('profiles:exportAnsible', { id: 'nope' })).code).toBe('NOT_FOUND');
    s.vault.lock();
    expect((await fails('hardening:profiles', {})).code).toBe('VAULT_LOCKED');
  });

  it('hardening:controls is the catalogue the contract describes', async () => {
    const catalog = await call<ControlCatalogEntry[]>('hardening:controls', {});
    expect(catalog.map((c) => c.id)).toContain('fail2ban');
    expect(catalog.find((c) => c.id === 'fail2ban')!.defaults).toEqual({ maxretry: 3, bantime: 3600, findtime: 600 });
  });
});
