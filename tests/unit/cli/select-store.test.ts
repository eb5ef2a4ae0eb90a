/** selectHosts against the real HostStore in a real vault. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBulwarkError } from '../../../shared/errors';
import { selectHosts } from '../../../main/cli/select';
import { openVault, type VaultHandle } from '../../../main/cli/services';
import { Cli, PASSPHRASE } from './harness';

const cli = new Cli();
let h: VaultHandle;

beforeAll(async () => {
  await cli.init();
  await cli.ok(['hosts', 'add', 'pve1', '--address', '10.0.0.1', '--tag', 'pve']);
  await cli.ok(['hosts', 'add', 'pve2', '--address', '10.0.0.2', '--tag', 'pve']);
  await cli.ok(['hosts', 'add', 'web', '--address', '10.0.0.3']);
  h = openVault(cli.vault, { BULWARK_TEST_KDF: 'fast', NODE_ENV: 'test' });
  h.vault.unlock(PASSPHRASE);
});
afterAll(async () => {
  await h.close();
  cli.cleanup();
});

describe('selectHosts on the HostStore', () => {
  it('is the union of names and tag, case-insensitive, each host once', () => {
    expect(selectHosts(h.hosts, { hosts: 'WEB,pve1', tag: 'pve' }).map((x) => x.name)).toEqual(['pve1', 'pve2', 'web']);
  });

  it('refuses unknown names and unused tags with NOT_FOUND', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e;
      }
      return null;
    };
    const e1 = err(() => selectHosts(h.hosts, { hosts: 'web,nope' }));
    expect(isBulwarkError(e1) && e1.code).toBe('NOT_FOUND');
    const e2 = err(() => selectHosts(h.hosts, { tag: 'none' }));
    expect(isBulwarkError(e2) && e2.code).toBe('NOT_FOUND');
  });
});
