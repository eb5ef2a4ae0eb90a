/**
 * `bulwark vault ...`: create, check, export, import, change passphrase, recover.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { BulwarkError } from '../../../shared/errors';
import { ENV, requireStrong, type CliContext } from '../context';
import type { Run } from '../command';
import { openVault } from '../services';
import { verifyVault, type VerifyReport } from '../verify';

/** The new passphrase of passwd and recover: file option, environment or prompt (twice); strong. */
async function newPassphrase(ctx: CliContext, file: string | undefined): Promise<string> {
  const next = await ctx.secret({
    what: 'new passphrase',
    file,
    fileOption: '--new-passphrase-file',
    envVar: ENV.newPassphrase,
    prompt: 'New vault passphrase',
    confirm: true,
  });
  requireStrong(next, 'new passphrase');
  return next;
}

export function registerVaultCommands(program: Command, run: Run): void {
  const vault = program.command('vault').description('create, check, back up and restore the encrypted vault');

  run(
    vault.command('init').description('create a new vault (asks for the passphrase twice; prints the recovery key once)'),
    async (ctx) => {
      const file = ctx.vaultPath();
      if (fs.existsSync(file)) throw new BulwarkError('VAULT_EXISTS', `a vault already exists at ${file}`);
      const passphrase = await ctx.passphrase('New vault passphrase', true);
      requireStrong(passphrase);
      const handle = openVault(file, ctx.io.env);
      let recoveryKey: string;
      try {
        ({ recoveryKey } = handle.vault.create(passphrase));
      } finally {
        await handle.close();
      }
      ctx.out.note(
        'IMPORTANT: the recovery key is shown only this once. Store it offline (on paper or in a\n' +
          'password manager). It is the only way back in if you forget the passphrase, and anyone who has\n' +
          'it can open the vault.',
      );
      ctx.out.result({ path: file, recoveryKey }, () => `Created vault ${file}\n\nRecovery key: ${recoveryKey}\n`);
    },
  );

  run(
    vault.command('check').description('unlock the vault and verify that every record decrypts'),
    async (ctx) => {
      const handle = ctx.openExisting();
      let report: VerifyReport;
      try {
        report = verifyVault(handle, await ctx.passphrase());
      } finally {
        await handle.close();
      }
      ctx.out.result({ path: handle.path, ok: true, ...report }, () => {
        const kinds = Object.entries(report.kinds);
        const lines = [`Vault ${handle.path} is intact: ${report.records} record${report.records === 1 ? '' : 's'} decrypted.`];
        for (const [kind, n] of kinds) lines.push(`  ${kind}: ${n}`);
        return lines.join('\n');
      });
    },
  );

  run(
    vault
      .command('export')
      .description('write an encrypted export of every record to FILE')
      .argument('<FILE>', 'export file to create')
      .option('--export-passphrase-file <FILE>', `read the export passphrase from the first line of FILE (else $${ENV.exportPassphrase}, else a prompt)`)
      .option('--force', 'overwrite FILE if it exists'),
    async (ctx, opts, [target]) => {
      const file = ctx.resolveFile(target!);
      if (!opts.force && fs.existsSync(file)) throw new BulwarkError('CONFLICT', `${target} already exists (use --force to overwrite)`);
      const result = await ctx.withUnlocked(async (h) => {
        const exportPassphrase = await ctx.secret({
          what: 'export passphrase',
          file: opts.exportPassphraseFile as string | undefined,
          fileOption: '--export-passphrase-file',
          envVar: ENV.exportPassphrase,
          prompt: 'Passphrase for the export file',
          confirm: true,
        });
        requireStrong(exportPassphrase, 'export passphrase');
        return h.vault.exportTo(file, exportPassphrase);
      });
      ctx.out.result({ path: file, records: result.records }, () => `Exported ${result.records} record${result.records === 1 ? '' : 's'} to ${file}`);
    },
  );

  run(
    vault
      .command('import')
      .description('merge the records of an export FILE into the vault')
      .argument('<FILE>', 'export file to read')
      .option('--export-passphrase-file <FILE>', `read the export passphrase from the first line of FILE (else $${ENV.exportPassphrase}, else a prompt)`),
    async (ctx, opts, [source]) => {
      const file = ctx.resolveFile(source!);
      if (!fs.existsSync(file)) throw new BulwarkError('NOT_FOUND', `no such file: ${source}`);
      const result = await ctx.withUnlocked(async (h) => {
        const exportPassphrase = await ctx.secret({
          what: 'export passphrase',
          file: opts.exportPassphraseFile as string | undefined,
          fileOption: '--export-passphrase-file',
          envVar: ENV.exportPassphrase,
          prompt: 'Passphrase of the export file',
        });
        return h.vault.importFrom(file, exportPassphrase);
      });
      ctx.out.result({ path: file, added: result.added, updated: result.updated }, () => `Imported ${file}: ${result.added} added, ${result.updated} updated`);
    },
  );

  run(
    vault
      .command('passwd')
      .description('change the vault passphrase')
      .option('--new-passphrase-file <FILE>', `read the new passphrase from the first line of FILE (else $${ENV.newPassphrase}, else a prompt)`),
    async (ctx, opts) => {
      await ctx.withUnlocked(async (h, current) => {
        const next = await newPassphrase(ctx, opts.newPassphraseFile as string | undefined);
        h.vault.changePassphrase(current, next);
      });
      ctx.out.result({ path: ctx.vaultPath(), changed: true }, () => 'Passphrase changed.');
    },
  );

  run(
    vault.command('new-recovery-key').description('replace the recovery key (prints the new one once; the old one stops working)'),
    async (ctx) => {
      const { recoveryKey } = await ctx.withUnlocked((h, current) => h.vault.rotateRecoveryKey(current));
      ctx.out.note('The old recovery key no longer works. Store this one offline; it is shown only this once.');
      ctx.out.result({ path: ctx.vaultPath(), recoveryKey }, () => `Recovery key: ${recoveryKey}\n`);
    },
  );

  run(
    vault
      .command('recover')
      .description('set a new passphrase using the recovery key')
      .option('--recovery-key-file <FILE>', `read the recovery key from the first line of FILE (else $${ENV.recoveryKey}, else a prompt)`)
      .option('--new-passphrase-file <FILE>', `read the new passphrase from the first line of FILE (else $${ENV.newPassphrase}, else a prompt)`),
    async (ctx, opts) => {
      const handle = ctx.openExisting();
      try {
        const recoveryKey = await ctx.secret({
          what: 'recovery key',
          file: opts.recoveryKeyFile as string | undefined,
          fileOption: '--recovery-key-file',
          envVar: ENV.recoveryKey,
          prompt: 'Recovery key',
        });
        const next = await newPassphrase(ctx, opts.newPassphraseFile as string | undefined);
        handle.vault.recover(recoveryKey.trim(), next);
      } finally {
        await handle.close();
      }
      ctx.out.result({ path: ctx.vaultPath(), recovered: true }, () => 'Passphrase reset with the recovery key. Unlock with the new passphrase from now on.');
    },
  );
}
