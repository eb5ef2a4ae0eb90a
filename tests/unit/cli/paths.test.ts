import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, defaultVaultPath } from '../../../main/services/paths';

describe('defaultVaultPath', () => {
  it('uses $XDG_DATA_HOME on Linux', () => {
    expect(defaultVaultPath({ XDG_DATA_HOME: '/data/me' }, 'linux', '/home/me')).toBe('/data/me/bulwark/vault.db');
  });

  it('falls back to ~/.local/share on Linux and the BSDs', () => {
    expect(defaultVaultPath({}, 'linux', '/home/me')).toBe('/home/me/.local/share/bulwark/vault.db');
    expect(defaultVaultPath({ XDG_DATA_HOME: '' }, 'freebsd', '/home/me')).toBe('/home/me/.local/share/bulwark/vault.db');
    expect(defaultVaultPath({}, 'openbsd', '/home/me')).toBe('/home/me/.local/share/bulwark/vault.db');
  });

  it('ignores a relative $XDG_DATA_HOME, as the XDG spec requires', () => {
    expect(defaultVaultPath({ XDG_DATA_HOME: 'data' }, 'linux', '/home/me')).toBe('/home/me/.local/share/bulwark/vault.db');
  });

  it('uses Application Support on macOS, ignoring XDG', () => {
    expect(defaultVaultPath({ XDG_DATA_HOME: '/x' }, 'darwin', '/Users/me')).toBe(
      '/Users/me/Library/Application Support/Bulwark/vault.db',
    );
  });

  it('uses %APPDATA% on Windows with backslashes', () => {
    expect(defaultVaultPath({ APPDATA: 'C:\\Users\\me\\AppData\\Roaming' }, 'win32', 'C:\\Users\\me')).toBe(
      'C:\\Users\\me\\AppData\\Roaming\\Bulwark\\vault.db',
    );
  });

  it('falls back to the roaming profile on Windows when %APPDATA% is unset', () => {
    expect(defaultVaultPath({}, 'win32', 'C:\\Users\\me')).toBe('C:\\Users\\me\\AppData\\Roaming\\Bulwark\\vault.db');
  });

  it('lets BULWARK_VAULT override every platform', () => {
    for (const platform of ['linux', 'darwin', 'win32', 'freebsd'] as const) {
      expect(defaultVaultPath({ BULWARK_VAULT: '/tmp/v.db', XDG_DATA_HOME: '/x', APPDATA: 'C:\\A' }, platform, '/h')).toBe('/tmp/v.db');
    }
  });

  it('treats an empty BULWARK_VAULT as unset', () => {
    expect(defaultVaultPath({ BULWARK_VAULT: '' }, 'linux', '/home/me')).toBe('/home/me/.local/share/bulwark/vault.db');
  });

  it('defaults to the real environment', () => {
    expect(defaultVaultPath()).toBe(defaultVaultPath(process.env, process.platform, os.homedir()));
    expect(defaultDataDir({}, 'linux', '/h')).toBe('/h/.local/share/bulwark');
  });
});
