import { describe, expect, it } from 'vitest';
import { expandIdentityFile, parseSshConfig, type IdentityContext } from '../../../main/services/inventory';

const ctx: IdentityContext = {
  home: '/home/alice',
  baseDir: '/home/alice/.ssh',
  localUser: 'alice',
  uid: 1000,
  alias: 'Web1',
  hostName: 'web1.example.net',
  remoteUser: 'deploy',
  port: 2222,
  env: { KEYS: '/srv/keys' },
};
const expand = (raw: string) => expandIdentityFile(raw, ctx);

describe('expandIdentityFile: the path ssh would open', () => {
  it('expands ~ and ~/ to the home directory', () => {
    expect(expand('~')).toEqual({ path: '/home/alice' });
    expect(expand('~/.ssh/id_ed25519')).toEqual({ path: '/home/alice/.ssh/id_ed25519' });
  });

  it('expands %d %u %h %r %n %p %i and %%', () => {
    expect(expand('%d/.ssh/%u-%r@%h:%p')).toEqual({ path: '/home/alice/.ssh/alice-deploy@web1.example.net:2222' });
    expect(expand('/keys/%n-%i-100%%')).toEqual({ path: '/keys/Web1-1000-100%' });
  });

  it('does not expand what a token expanded to again', () => {
    expect(expandIdentityFile('/k/%r', { ...ctx, remoteUser: '%u' })).toEqual({ path: '/k/%u' });
  });

  it('expands ${VAR} from the environment it is given', () => {
    expect(expand('${KEYS}/id_ops')).toEqual({ path: '/srv/keys/id_ops' });
    expect(expand('${NOPE}/id')).toEqual({ problem: "uses ${NOPE}, which is not set in Bulwark's environment" });
    expect(expand('${KEYS/id')).toEqual({ problem: 'has a malformed ${...} reference "${KEYS/id"' });
  });

  it('resolves relative paths under ~/.ssh and normalises the result', () => {
    expect(expand('id_lab')).toEqual({ path: '/home/alice/.ssh/id_lab' });
    expect(expand('keys/../id_lab')).toEqual({ path: '/home/alice/.ssh/id_lab' });
  });

  it('reports tokens it cannot expand instead of guessing a path', () => {
    expect(expand('~/.ssh/%C')).toEqual({ problem: 'uses %C, which Bulwark cannot expand (it expands %d %u %h %r %n %p %i %%)' });
    expect(expand('~/.ssh/key%')).toEqual({ problem: 'ends with a lone "%"' });
    expect(expand('~bob/.ssh/id')).toEqual({ problem: "uses ~user, another user's home directory, which Bulwark does not look up" });
  });
});

describe('parseSshConfig: IdentityFile accumulates over matching blocks', () => {
  it('keeps every value in the order ssh reads them, once each, without "none"', () => {
    const parsed = parseSshConfig(
      [
        'Host web1',
        '  IdentityFile ~/.ssh/web',
        '  IdentityFile ~/.ssh/shared',
        '  User www',
        'Host web*',
        '  IdentityFile ~/.ssh/webs',
        '  User ignored-second-value',
        'Host *',
        '  IdentityFile none',
        '  IdentityFile ~/.ssh/shared',
        '  IdentityFile ~/.ssh/common',
      ].join('\n'),
      { defaultUser: 'me' },
    );
    const web1 = parsed.entries.find((e) => (e.input as { name: string }).name === 'web1')!;
    expect(web1.identityFiles).toEqual(['~/.ssh/web', '~/.ssh/shared', '~/.ssh/webs', '~/.ssh/common']);
    // first value wins for single-valued keywords in the same pass
    expect(web1.input).toMatchObject({ user: 'www' });
  });
});
