import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Vault, newId } from '../../../main/services/vault';
import { PASS, SLOW, removeTempDirs, tempDir } from './helpers';

afterAll(removeTempDirs);

const SECRETS = [
  'zebra-hypervisor-07.corp.example',
  '198.51.100.77',
  '2001:db8:beef::1234',
  'margaret_admin',
  'Backup rotation every Thursday 03:15',
  'AAAAC3NzaC1lZDI1NTE5AAAAIMarkerKeyMaterial',
  'pve-token-secret-9f1c2e',
];

function encodings(s: string): Buffer[] {
  const le = Buffer.from(s, 'utf16le');
  const be = Buffer.from(le);
  be.swap16();
  return [Buffer.from(s, 'utf8'), le, be];
}

function findLeaks(bytes: Buffer, needles: string[]): string[] {
  return needles.filter((n) => encodings(n).some((e) => bytes.includes(e)));
}

describe('nothing readable on disk', SLOW, () => {
  it('record contents, the passphrase and the recovery key never reach the file or its WAL', () => {
    const path = join(tempDir(), 'scan', 'vault.db');
    const v = new Vault({ path });
    const { recoveryKey } = v.create(PASS);
    const needles = [...SECRETS, PASS, recoveryKey, recoveryKey.replace(/-/g, '')];

    v.put('host', newId(), { name: SECRETS[0], address: SECRETS[1], ipv6: SECRETS[2], user: SECRETS[3], notes: SECRETS[4] });
    v.put('sshKey', newId(), { publicKey: `ssh-ed25519 ${SECRETS[5]} margaret@laptop`, comment: SECRETS[3] });
    v.putMany('pveNode', [{ id: newId(), value: { host: SECRETS[0], secret: SECRETS[6] } }]);
    const id = newId();
    v.put('host', id, { notes: SECRETS[4] });
    v.put('host', id, { notes: 'edited' }); // the old version must not linger either
    v.delete('host', [id]);
    v.setAutoLockMinutes(5);

    // still unlocked: the records live in the WAL, not yet checkpointed into the main file
    const wal = `${path}-wal`;
    expect(statSync(wal).size).toBeGreaterThan(0);
    expect(findLeaks(readFileSync(wal), needles)).toEqual([]);
    expect(findLeaks(readFileSync(path), needles)).toEqual([]);
    // the scan itself works: the plain-text kinds are visible
    expect(findLeaks(readFileSync(wal), ['sshKey', 'pveNode'])).toEqual(['sshKey', 'pveNode']);

    v.close(); // checkpoint
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
    expect(findLeaks(readFileSync(path), needles)).toEqual([]);
  });
});
