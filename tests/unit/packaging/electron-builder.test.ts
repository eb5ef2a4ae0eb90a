/**
 * electron-builder cannot run here (it downloads Electron), so check its configuration with
 * electron-builder's own validator and the properties the security model depends on.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);
const config = parse(readFileSync('electron-builder.yml', 'utf8'));
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

describe('electron-builder.yml', () => {
  it("passes electron-builder's schema validation", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    const debug = { add: () => undefined, isEnabled: false };
    await expect(validateConfiguration(structuredClone(config), debug)).resolves.toBeUndefined();
    // and the validator does reject a broken configuration
    await expect(validateConfiguration({ ...structuredClone(config), asarUnpackk: [] }, debug)).rejects.toThrow();
  });

  it('targets AppImage+deb, dmg and nsis', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
  });

  it('unpacks native modules and sets the fuses', () => {
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableEmbeddedAsarIntegrityValidation: true, onlyLoadAppFromAsar: true, enableCookieEncryption: true });
  });

  it('keeps better-sqlite3 a runtime dependency and electron a dev dependency, with no install-app-deps hook', () => {
    expect(pkg.dependencies['better-sqlite3']).toMatch(/^\^?12\./);
    expect(pkg.devDependencies.electron).toBeDefined();
    expect(pkg.dependencies.electron).toBeUndefined();
    expect(JSON.stringify(pkg.scripts)).not.toMatch(/install-app-deps/);
  });
});
