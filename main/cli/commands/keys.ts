/**
 * `bulwark keys ...`: SSH keys stored in the vault. The private half never leaves through these
 * commands; an encrypted key's passphrase is read like every other secret (never from argv).
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { BulwarkError, isBulwarkError } from '../../../shared/errors';
import type { Run } from '../command';
import { CliError, usageError } from '../errors';
import { requireKey } from '../lookup';
import { formatTable, printable } from '../output';
import { MAX_KEY_TEXT, type GenerateKeyInput, type SshKeyView } from '../../services/keys';
import { registerKeyFleetCommands } from './key-fleet';

export const KEY_PASSPHRASE_ENV = 'BULWARK_KEY_PASSPHRASE';

/** What `keys list --json` (and gen/import) print for a key: never the private key, nor the id. */
export interface KeyJson {
  name: string;
  type: string;
  bits: number;
  fingerprint: string;
  publicKey: string;
  comment: string;
  source: string;
  createdAt: number;
}

export function keyJson(k: SshKeyView): KeyJson {
  return {
    name: k.name,
    type: k.type,
    bits: k.bits,
    fingerprint: k.fingerprint,
    publicKey: k.publicKey,
    comment: k.comment,
    source: k.source,
    createdAt: k.createdAt,
  };
}

export function registerKeyCommands(program: Command, run: Run): void {
  const keys = program.command('keys').description('SSH keys stored in the vault');

  run(
    keys
      .command('gen')
      .alias('generate')
      .description('generate a key pair and store it in the vault')
      .requiredOption('--name <NAME>', 'name of the key in the vault (unique, case-insensitive)')
      .option('--type <T>', 'ed25519 (default), rsa or ecdsa')
      .option('--bits <N>', 'rsa: 4096 (default) or 3072; ecdsa: 256 (default), 384 or 521')
      .option('--comment <C>', 'public key comment (default NAME@bulwark)'),
    async (ctx, opts) => {
      const input: GenerateKeyInput = { name: opts.name as string };
      if (opts.type !== undefined) input.type = (opts.type as string).toLowerCase() as GenerateKeyInput['type'];
      if (opts.bits !== undefined) {
        const bits = opts.bits as string;
        if (!/^[0-9]{1,5}$/.test(bits.trim())) throw new BulwarkError('VALIDATION', 'invalid --bits', { '--bits': 'must be a whole number' });
        input.bits = Number(bits);
      }
      if (opts.comment !== undefined) input.comment = opts.comment as string;
      const key = await ctx.withUnlocked((h) => h.keys.generate(input));
      ctx.out.result(keyJson(key), () => describeKey('Generated', key));
    },
  );

  run(
    keys
      .command('import')
      .description('import a private key file (OpenSSH or PEM) into the vault; it is stored decrypted inside the vault')
      .argument('<FILE>', 'private key file')
      .requiredOption('--name <NAME>', 'name of the key in the vault (unique, case-insensitive)')
      .option('--comment <C>', "public key comment (default: the file's comment)")
      .option('--key-passphrase-file <F>', `read the key's passphrase from the first line of F (else $${KEY_PASSPHRASE_ENV}, else a prompt)`),
    async (ctx, opts, [file]) => {
      const text = readKeyFile(ctx.resolveFile(file!));
      const base = { name: opts.name as string, text, ...(opts.comment !== undefined ? { comment: opts.comment as string } : {}) };
      const result = await ctx.withUnlocked(async (h) => {
        const store = h.keys;
        try {
          return store.import(base);
        } catch (e) {
          // Only an encrypted key needs its passphrase: ask for it then, not before.
          if (!isBulwarkError(e) || e.code !== 'KEY_PASSPHRASE_REQUIRED') throw e;
        }
        const passphrase = await ctx.secret({
          what: 'key passphrase',
          file: opts.keyPassphraseFile as string | undefined,
          fileOption: '--key-passphrase-file',
          envVar: KEY_PASSPHRASE_ENV,
          prompt: `Passphrase for ${file}`,
        });
        return store.import({ ...base, passphrase });
      });
      for (const w of result.warnings) ctx.out.note(`warning: ${printable(w)}`);
      ctx.out.result({ ...keyJson(result.key), format: result.format }, () => describeKey('Imported', result.key));
    },
  );

  run(
    keys
      .command('list')
      .alias('ls')
      .description('list stored keys (--json: a JSON array; never the private keys)'),
    async (ctx) => {
      const list = await ctx.withUnlocked((h) => h.keys.list());
      ctx.out.result(list.map(keyJson), () => keyTable(list));
    },
  );

  run(
    keys
      .command('rm')
      .alias('remove')
      .description('delete a key from the vault (it stays in authorized_keys wherever it was deployed)')
      .argument('<NAME>', 'key name'),
    async (ctx, _opts, [name]) => {
      const removed = await ctx.withUnlocked((h) => {
        const store = h.keys;
        const key = requireKey(store, name!);
        store.delete(key.id);
        return { deleted: 1, name: key.name, fingerprint: key.fingerprint };
      });
      ctx.out.result(removed, () => `Removed key ${printable(removed.name)} (${removed.fingerprint})`);
    },
  );

  run(
    keys
      .command('export-public')
      .description('print the public key line (for authorized_keys or a .pub file)')
      .argument('<NAME>', 'key name'),
    async (ctx, _opts, [name]) => {
      const key = await ctx.withUnlocked((h) => {
        const store = h.keys;
        const k = requireKey(store, name!);
        return { name: k.name, publicKey: store.exportPublic(k.id) };
      });
      ctx.out.result(key, () => key.publicKey);
    },
  );

  registerKeyFleetCommands(keys, run);
}

function describeKey(verb: string, k: SshKeyView): string {
  return [
    `${verb} key ${printable(k.name)}`,
    `  type:        ${k.type}${k.type === 'ed25519' ? '' : ` (${k.bits} bits)`}`,
    `  fingerprint: ${printable(k.fingerprintLine)}`,
    `  public key:  ${printable(k.publicKey)}`,
  ].join('\n');
}

function keyTable(list: readonly SshKeyView[]): string {
  if (list.length === 0) return 'No keys.';
  return formatTable(
    ['NAME', 'TYPE', 'BITS', 'FINGERPRINT', 'SOURCE', 'COMMENT'],
    list.map((k) => [k.name, k.type, String(k.bits), k.fingerprint, k.source, k.comment || '-'].map(printable)),
  );
}

function readKeyFile(file: string): string {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw usageError(`${file} is not a regular file`);
    if (stat.size > MAX_KEY_TEXT) throw new BulwarkError('KEY_INVALID', `${file} is too large to be a private key`);
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (isBulwarkError(e) || e instanceof CliError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BulwarkError('NOT_FOUND', `no such file: ${file}`);
    throw new BulwarkError('IO', `cannot read ${file} (${code ?? (e as Error).message})`);
  }
}
