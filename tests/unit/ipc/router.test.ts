import { describe, expect, it, vi } from 'vitest';
import { createRouter, type Handlers } from '../../../main/ipc/router';
import { BulwarkError } from '../../../shared/errors';

const ORIGIN = 'app://bulwark';
const mainFrame = { frameUrl: `${ORIGIN}/index.html`, isMainFrame: true };

function router(handlers: Partial<Handlers>, onInternalError = vi.fn()) {
  const onActivity = vi.fn();
  const r = createRouter({ handlers: handlers as Handlers, allowedOrigins: [ORIGIN], onActivity, onInternalError });
  return { r, onActivity, onInternalError };
}

const validHost = { name: 'pve1', address: '192.0.2.10' };
const createdHost = { ...validHost, id: 'h1', port: 22, user: 'root', jumpHost: '', tags: [], notes: '', guest: null, loginKeyId: null, createdAt: 1, updatedAt: 1 };

describe('IPC router', () => {
  it('routes a valid request from our main frame and parses the reply', async () => {
    const create = vi.fn(() => createdHost);
    const { r, onActivity } = router({ 'hosts:create': create });
    const result = await r('hosts:create', { host: validHost }, mainFrame);
    expect(result).toEqual({ ok: true, value: createdHost });
    // defaults from the schema are applied before the handler sees the request
    expect(create).toHaveBeenCalledWith({ host: expect.objectContaining({ port: 22, user: 'root', tags: [] }) });
    expect(onActivity).toHaveBeenCalledWith('hosts:create');
  });

  it('refuses an unknown channel', async () => {
    const { r } = router({});
    const result = await r('shell:exec', {}, mainFrame);
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  it('refuses prototype keys posing as channels', async () => {
    const { r } = router({});
    for (const name of ['__proto__', 'constructor', 'toString']) {
      expect(await r(name, {}, mainFrame)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    }
  });

  it('refuses a sub-frame even from our origin', async () => {
    const handler = vi.fn(() => []);
    const { r } = router({ 'hosts:list': handler });
    const result = await r('hosts:list', {}, { frameUrl: `${ORIGIN}/index.html`, isMainFrame: false });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(handler).not.toHaveBeenCalled();
  });

  it('refuses another origin, a look-alike origin and an unparsable URL', async () => {
    const handler = vi.fn(() => []);
    const { r } = router({ 'hosts:list': handler });
    for (const frameUrl of ['https://evil.example/', 'app://bulwark.evil/index.html', 'file:///etc/passwd', 'not a url', '']) {
      expect(await r('hosts:list', {}, { frameUrl, isMainFrame: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    }
    expect(handler).not.toHaveBeenCalled();
  });

  it('refuses an invalid payload with the field that failed, without calling the handler', async () => {
    const handler = vi.fn();
    const { r, onActivity } = router({ 'hosts:create': handler });
    const result = await r('hosts:create', { host: { name: 'ok', address: '192.0.2.1', port: 70000 } }, mainFrame);
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', fields: { 'host.port': 'must be between 1 and 65535' } } });
    expect(handler).not.toHaveBeenCalled();
    expect(onActivity).not.toHaveBeenCalled();
  });

  it('refuses unexpected extra keys (strict requests)', async () => {
    const handler = vi.fn();
    const { r } = router({ 'vault:lock': handler });
    expect(await r('vault:lock', { force: true }, mainFrame)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await r('vault:lock', 'x', mainFrame)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(handler).not.toHaveBeenCalled();
  });

  it('passes BulwarkError across as data with its fields', async () => {
    const { r } = router({
      'hosts:create': () => {
        throw new BulwarkError('CONFLICT', 'A host named pve1 exists', { name: 'is already used by another host' });
      },
    });
    expect(await r('hosts:create', { host: validHost }, mainFrame)).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'A host named pve1 exists', fields: { name: 'is already used by another host' } },
    });
  });

  it('hides unexpected errors behind INTERNAL and reports them to the log hook', async () => {
    const onInternalError = vi.fn();
    const { r } = router({ 'hosts:list': () => { throw new Error('SQLITE_CORRUPT at /secret/path'); } }, onInternalError);
    const result = await r('hosts:list', {}, mainFrame);
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('/secret/path');
    expect(onInternalError).toHaveBeenCalledOnce();
  });

  it('refuses a reply that breaks the contract', async () => {
    const onInternalError = vi.fn();
    const { r } = router({ 'hosts:list': () => [{ name: 'no id' }] as never }, onInternalError);
    expect(await r('hosts:list', {}, mainFrame)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(onInternalError).toHaveBeenCalledOnce();
  });
});
