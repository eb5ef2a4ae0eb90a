/**
 * The logs channels as the renderer calls them, through the real router and app services with a
 * real vault: settings (defaults, saved, bounds), history queries, and the refusals that must
 * happen before anything reaches a host (unknown host ids, a bad address for a ban action).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AppHarness, startAppHarness } from './app-harness';
import type { LogSettingsView } from '../../../shared/domain/logs';
import type { Host } from '../../../shared/domain/host';

let app: AppHarness;
const call = <T>(channel: string, payload: unknown) => app.call<T>(channel, payload);
const fails = (channel: string, payload: unknown) => app.fails(channel, payload);

beforeEach(async () => {
  app = await startAppHarness('bulwark-logs-ipc-');
});
afterEach(async () => {
  await app.dispose();
});

describe('logs channels', () => {
  it('settings: defaults, saved across a lock, bounds refused with the field named', async () => {
    const d = await call<LogSettingsView>('logs:settings', {});
    expect(d).toEqual({ retention: { maxEvents: 1_000_000, maxAgeDays: 30 }, alerts: { newAddressLogin: true, rootLogin: true, banStorm: true, banStormPerMinute: 20 } });
    const next = { retention: { maxEvents: 5000, maxAgeDays: 7 }, alerts: { ...d.alerts, rootLogin: false } };
    expect(await call('logs:setSettings', { settings: next })).toEqual(next);
    await call('vault:lock', {});
    await call('vault:unlock', { passphrase: 'granite orbit lantern 47 meadow' });
    expect(await call('logs:settings', {})).toEqual(next);
    const bad = await fails('logs:setSettings', { settings: { ...next, retention: { maxEvents: 10, maxAgeDays: 7 } } });
    expect(bad.code).toBe('BAD_REQUEST');
    expect(JSON.stringify(bad)).toMatch(/maxEvents/);
  });

  it('an empty history answers empty; unknown hosts and bad ban requests are refused before any SSH', async () => {
    expect(await call('logs:query', { limit: 10 })).toEqual([]);
    expect(await call('logs:status', {})).toEqual([]);
    expect((await fails('logs:follow', { hostIds: ['nope'] })).code).toBe('NOT_FOUND');
    const h = await call<Host>('hosts:create', { host: { name: 'web1', address: '192.0.2.10', user: 'admin' } });
    const e = await fails('logs:banAction', { hostId: h.id, action: 'unban', jail: 'sshd', ip: '1.2.3.4; reboot' });
    expect(e).toMatchObject({ code: 'VALIDATION' });
    expect(e.message).toMatch(/is not an IPv4 or IPv6 address/);
    expect((await fails('logs:banAction', { hostId: h.id, action: 'ban', jail: 'ssh d', ip: '192.0.2.1' })).code).toBe('BAD_REQUEST');
  });
});
