/**
 * Child process for crash.test.ts: writes records in transactions forever and prints each id
 * only after its transaction committed. The parent SIGKILLs it at an arbitrary moment.
 * Usage: node --import tsx crash-child.ts <vault path> <passphrase> <first index>
 */
import { Vault } from '../../../main/services/vault';

const [path, passphrase, first] = process.argv.slice(2);
if (!path || !passphrase || !first) throw new Error('usage: crash-child <path> <passphrase> <first>');
const vault = new Vault({ path });
vault.unlock(passphrase);
process.stdout.write('ready\n');
// Big values so the WAL passes the auto-checkpoint size and kills also land mid-checkpoint.
const pad = 'p'.repeat(3000);
for (let i = Number(first); ; i++) {
  const id = `rec-${i}`;
  vault.transaction(() => {
    vault.put('crash', id, { i, pad });
    vault.putMany('crash-aux', [
      { id: `${id}-a`, value: { i, pad } },
      { id: `${id}-b`, value: { i, pad } },
    ]);
    if (i % 7 === 0) vault.delete('crash-aux', [`rec-${i - 7}-b`]);
  });
  // pipes are synchronous on Linux: once this returns, the parent can read the line
  process.stdout.write(`${id}\n`);
}
