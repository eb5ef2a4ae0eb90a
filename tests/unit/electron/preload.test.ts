/**
 * The sandboxed preload. Importing it must expose exactly one object, window.bulwark, whose
 * only members are the contract's channels plus `on`; nothing of ipcRenderer leaks, every call
 * goes through 'bulwark:invoke', bad requests stop before IPC and bad events stop before
 * listeners.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

type IpcListener = (event: unknown, ...args: unknown[]) => void;

const h = vi.hoisted(() => {
  const listeners = new Map<string, IpcListener[]>();
  const ipcRenderer = {
    invoke: vi.fn(async (..._args: unknown[]): Promise<unknown> => ({ ok: true, value: 'from main' })),
    on: vi.fn((channel: string, fn: IpcListener) => {
      listeners.set(channel, [...(listeners.get(channel) ?? []), fn]);
      return ipcRenderer;
    }),
    once: vi.fn(),
    removeListener: vi.fn((channel: string, fn: IpcListener) => {
      listeners.set(channel, (listeners.get(channel) ?? []).filter((l) => l !== fn));
      return ipcRenderer;
    }),
    removeAllListeners: vi.fn(),
    send: vi.fn(),
    sendSync: vi.fn(),
    sendToHost: vi.fn(),
    postMessage: vi.fn(),
  };
  const contextBridge = { exposeInMainWorld: vi.fn(), exposeInIsolatedWorld: vi.fn() };
  /** Delivers a message from main on `channel`, as Electron would. */
  function deliver(channel: string, ...args: unknown[]) {
    for (const fn of listeners.get(channel) ?? []) fn({ senderId: 0 }, ...args);
  }
  return { ipcRenderer, contextBridge, listeners, deliver };
});

vi.mock('electron', () => ({ contextBridge: h.contextBridge, ipcRenderer: h.ipcRenderer }));

// the side effect under test: the preload exposes its API when it is loaded
import '../../../preload/index';
import { channels, type BulwarkApi, type ChannelName, type Request } from '../../../shared/contract';

/** One valid request per channel; typed so that a new channel must be added here. */
const VALID: { [C in ChannelName]: Request<C> } = {
  'vault:status': {},
  'vault:create': { passphrase: 'correct horse battery staple' },
  'vault:unlock': { passphrase: 'correct horse battery staple' },
  'vault:recover': { recoveryKey: 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789-ABCD-EFGH-JK', newPassphrase: 'new passphrase' },
  'vault:rotateRecoveryKey': { passphrase: 'correct horse battery staple' },
  'vault:unlockWithKeychain': {},
  'vault:lock': {},
  'vault:changePassphrase': { current: 'old passphrase', next: 'new passphrase' },
  'vault:touch': {},
  'vault:setAutoLock': { minutes: 15 },
  'vault:setKeychain': { enabled: true },
  'vault:export': { passphrase: 'export passphrase' },
  'vault:import': { passphrase: 'export passphrase' },
  'hosts:list': {},
  'hosts:create': { host: { name: 'pve1', address: '192.0.2.10' } },
  'hosts:update': { id: 'h1', host: { name: 'pve1', address: '192.0.2.11', port: 2222 } },
  'hosts:delete': { ids: ['h1', 'h2'] },
  'hosts:importSshConfig': { keyPassphrases: { '/home/me/.ssh/id_ed25519': 'key passphrase' } },
  'hosts:importAnsible': { text: '[web]\nweb1 ansible_host=192.0.2.20\n', fileName: 'hosts.ini' },
  'hosts:exportAnsible': {},
  'pve:list': {},
  'pve:create': { node: { name: 'pve1', address: '192.0.2.10', user: 'root@pam!bulwark', secret: '0123abcd-4567-89ef' } },
  'pve:trust': { id: 'n1', fingerprint: 'AB:CD', pin: 'ca' },
  'pve:delete': { id: 'n1' },
  'pve:certificate': { name: 'pve1', address: '192.0.2.10', port: 8006 },
  'pve:state': {},
  'pve:sync': { id: 'n1' },
  'pve:accept': { guestIds: ['n1:100'], addHost: { user: 'admin' } },
  'pve:firewallPlan': { id: 'n1', params: { sshFrom: ['192.0.2.0/24'] } },
  'pve:firewallApply': { id: 'n1', params: { sshFrom: ['192.0.2.0/24'], webUiFrom: ['192.0.2.5'] }, sshHostId: 'h1', digests: { options: 'abc', rules: null } },
  'hosts:secretStatus': {},
  'hosts:setSudoPassword': { id: 'h1', password: 'sudo pass' },
  'hosts:clearSudoPassword': { id: 'h1' },
  'hosts:setLoginPassword': { id: 'h1', password: 'login pass' },
  'hosts:clearLoginPassword': { id: 'h1' },
  'keys:list': {},
  'keys:generate': { key: { name: 'ops' } },
  'keys:import': { key: { name: 'ops', text: '-----BEGIN OPENSSH PRIVATE KEY-----' } },
  'keys:rename': { id: 'k1', name: 'ops2' },
  'keys:delete': { id: 'k1' },
  'keys:exportPrivate': { id: 'k1', options: {} },
  'keys:deploy': { jobId: 'job-00000001', keyId: 'k1', hostIds: ['h1'] },
  'hardening:profiles': {},
  'hardening:audit': { jobId: 'job-00000010', profileId: 'guide-baseline', hostIds: ['h1'] },
  'hardening:plan': { jobId: 'job-00000011', profileId: 'guide-baseline', hostIds: ['h1', 'h2'] },
  'hardening:apply': { jobId: 'job-00000012', profileId: 'guide-baseline', hostIds: ['h1'], canary: 1, stopAfterFailures: 2 },
  'runs:list': {},
  'runs:get': { id: '20261126-010203-abcdef' },
  'runs:report': { id: '20261126-010203-abcdef', format: 'html' },
  'logs:follow': { hostIds: ['h1'] },
  'logs:unfollow': { hostIds: ['h1'] },
  'logs:status': {},
  'logs:query': { limit: 10, kinds: ['f2b.ban'] },
  'logs:banAction': { hostId: 'h1', action: 'unban', jail: 'sshd', ip: '192.0.2.7' },
  'logs:settings': {},
  'logs:setSettings': { settings: { retention: { maxEvents: 1_000_000, maxAgeDays: 30 }, alerts: { newAddressLogin: true, rootLogin: true, banStorm: true, banStormPerMinute: 20 } } },
  'hardening:controls': {},
  'profiles:save': { profile: { id: 'web-hosts', name: 'Web hosts', controls: [{ id: 'ufw', params: { lanCidr: '192.0.2.0/24' } }] } },
  'profiles:delete': { id: 'web-hosts' },
  'profiles:import': { text: 'id: web-hosts\nname: Web hosts\ncontrols:\n  - id: ufw\n' },
  'profiles:export': { id: 'guide-baseline' },
  'profiles:exportAnsible': { id: 'guide-baseline' },
  'keys:audit': { jobId: 'job-00000001', hostIds: ['h1'] },
  'keys:rotate': { jobId: 'job-00000001', oldKeyId: 'k1', newKeyId: 'k2', hostIds: ['h1'] },
  'keys:revoke': { jobId: 'job-00000001', keyId: 'k1', hostIds: ['h1'] },
  'jobs:cancel': { jobId: 'job-00000001' },
  'ssh:probe': { hostIds: ['h1'] },
  'ssh:trust': { hostId: 'h1', key: 'AAAAC3NzaC1lZDI1NTE5AAAAIA' },
};

// captured once, before any beforeEach clears the mocks
const exposeCalls = [...h.contextBridge.exposeInMainWorld.mock.calls] as unknown[][];
const ipcOnCalls = [...h.ipcRenderer.on.mock.calls] as unknown[][];
const api = exposeCalls[0]?.[1] as BulwarkApi & Record<string, unknown>;
const call = (name: string, request?: unknown) => (api[name] as (r?: unknown) => Promise<unknown>)(request);

beforeEach(() => {
  h.ipcRenderer.invoke.mockClear();
  h.ipcRenderer.send.mockClear();
  h.ipcRenderer.sendSync.mockClear();
});

describe('preload: what it exposes', () => {
  it("calls contextBridge.exposeInMainWorld exactly once, with 'bulwark'", () => {
    expect(exposeCalls).toHaveLength(1);
    expect(exposeCalls[0]).toHaveLength(2);
    expect(exposeCalls[0]![0]).toBe('bulwark');
    expect(h.contextBridge.exposeInIsolatedWorld).not.toHaveBeenCalled();
  });

  it("has exactly one member per contract channel plus 'on'", () => {
    const expected = [...Object.keys(channels), 'on'].sort();
    expect(Object.keys(api).sort()).toEqual(expected);
    // no hidden members either: non-enumerable properties and symbols count too
    expect(Reflect.ownKeys(api).map(String).sort()).toEqual(expected);
  });

  it('exposes only plain functions, none of them ipcRenderer or one of its methods', () => {
    const forbidden = new Set<unknown>([h.ipcRenderer, ...Object.values(h.ipcRenderer)]);
    for (const [name, value] of Object.entries(api)) {
      expect(typeof value, name).toBe('function');
      expect(forbidden.has(value), name).toBe(false);
      // a function carrying ipcRenderer as a property would leak it just the same
      for (const prop of Reflect.ownKeys(value as object)) {
        expect(forbidden.has((value as Record<PropertyKey, unknown>)[prop]), `${name}.${String(prop)}`).toBe(false);
      }
    }
    expect(Object.getPrototypeOf(api)).toBe(Object.prototype);
  });

  it('is frozen, so the page cannot swap a member', () => {
    expect(Object.isFrozen(api)).toBe(true);
  });

  it("listens on 'bulwark:event' only, once", () => {
    expect(ipcOnCalls).toHaveLength(1);
    expect(ipcOnCalls[0]![0]).toBe('bulwark:event');
    expect(h.ipcRenderer.once).not.toHaveBeenCalled();
  });
});

describe('preload: requests', () => {
  it.each(Object.keys(VALID))("%s goes through ipcRenderer.invoke('bulwark:invoke', channel, request)", async (name) => {
    const request = VALID[name as ChannelName];
    expect(channels[name as ChannelName].request.safeParse(request).success, 'the sample request is valid').toBe(true);
    const result = await call(name, request);
    expect(h.ipcRenderer.invoke).toHaveBeenCalledTimes(1);
    expect(h.ipcRenderer.invoke).toHaveBeenCalledWith('bulwark:invoke', name, request);
    expect(result).toEqual({ ok: true, value: 'from main' });
  });

  it('sends a valid request unchanged and returns what main answered', async () => {
    const host = { name: 'pve1', address: '192.0.2.10' };
    h.ipcRenderer.invoke.mockResolvedValueOnce({ ok: false, error: { code: 'VAULT_LOCKED', message: 'locked' } });
    const result = await api['hosts:create']({ host });
    expect(h.ipcRenderer.invoke).toHaveBeenCalledTimes(1);
    expect(h.ipcRenderer.invoke).toHaveBeenCalledWith('bulwark:invoke', 'hosts:create', { host });
    expect(result).toEqual({ ok: false, error: { code: 'VAULT_LOCKED', message: 'locked' } });
  });

  it('sends {} when a no-argument channel is called without one', async () => {
    await call('vault:status');
    expect(h.ipcRenderer.invoke).toHaveBeenCalledWith('bulwark:invoke', 'vault:status', {});
  });

  it('refuses an invalid request locally with BAD_REQUEST and never calls ipcRenderer', async () => {
    const bad: Array<[string, unknown]> = [
      ['hosts:create', { host: { name: '', address: '' } }],
      ['hosts:create', {}],
      ['vault:unlock', { passphrase: '' }],
      ['vault:setAutoLock', { minutes: -1 }],
      ['hosts:delete', { ids: [] }],
      ['vault:status', { extra: true }], // strict: unknown keys are refused
      ['vault:lock', 'not an object'],
    ];
    for (const [name, request] of bad) {
      const result = await call(name, request);
      expect(result, name).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining(name) } });
    }
    expect(h.ipcRenderer.invoke).not.toHaveBeenCalled();
    expect(h.ipcRenderer.send).not.toHaveBeenCalled();
    expect(h.ipcRenderer.sendSync).not.toHaveBeenCalled();
  });

  it('names the failing field', async () => {
    const result = (await call('vault:setAutoLock', { minutes: 'ten' })) as { ok: false; error: { fields?: Record<string, string> } };
    expect(result.error.fields).toHaveProperty('minutes');
  });
});

describe('preload: events', () => {
  it('delivers a valid vault:stateChanged to `on` listeners, parsed', () => {
    const listener = vi.fn();
    const off = api.on('vault:stateChanged', listener);
    try {
      // unknown keys are stripped by the schema: listeners get the parsed payload, not the raw one
      h.deliver('bulwark:event', 'vault:stateChanged', { state: 'locked', reason: 'idle', injected: '<img src=x>' });
      expect(listener).toHaveBeenCalledTimes(1);
      expect(listener.mock.calls[0]![0]).toStrictEqual({ state: 'locked', reason: 'idle' });
    } finally {
      off();
    }
  });

  it('drops events that fail the event schema, and unknown events', () => {
    const listener = vi.fn();
    const off = api.on('vault:stateChanged', listener);
    try {
      h.deliver('bulwark:event', 'vault:stateChanged', { state: 'pwned' });
      h.deliver('bulwark:event', 'vault:stateChanged', { state: 'locked', reason: 'because' });
      h.deliver('bulwark:event', 'vault:stateChanged', null);
      h.deliver('bulwark:event', 'vault:stateChanged');
      h.deliver('bulwark:event', 'hosts:changed', { state: 'locked' });
      h.deliver('bulwark:event', '__proto__', { state: 'locked' });
      expect(listener).not.toHaveBeenCalled();
    } finally {
      off();
    }
  });

  it('ignores messages on any other IPC channel', () => {
    const listener = vi.fn();
    const off = api.on('vault:stateChanged', listener);
    try {
      h.deliver('some:other', 'vault:stateChanged', { state: 'locked' });
      expect(listener).not.toHaveBeenCalled();
    } finally {
      off();
    }
  });

  it('stops delivering after unsubscribe', () => {
    const listener = vi.fn();
    const off = api.on('vault:stateChanged', listener);
    off();
    h.deliver('bulwark:event', 'vault:stateChanged', { state: 'unlocked' });
    expect(listener).not.toHaveBeenCalled();
  });

  it('refuses to subscribe to an event the contract does not define', () => {
    expect(() => (api.on as (e: string, l: () => void) => unknown)('hosts:changed', () => {})).toThrow(/unknown event/);
  });
});
