/**
 * `bulwark profile list|show|export|import|export-ansible|rm`: the built-in hardening profiles
 * and the custom ones stored in the vault. Built-in profiles need no vault (show and export of a
 * built-in id never ask for the passphrase); custom ones are read from the vault.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import type { TextFile } from '../../../shared/domain/hardening';
import { BulwarkError } from '../../../shared/errors';
import { profileView, profileViews } from '../../services/access';
import { profileToAnsible } from '../../services/hardening/ansible-export';
import { ProfileStore, isBuiltInId } from '../../services/hardening/profile-store';
import { MAX_PROFILE_YAML, profileFromYaml, profileToYaml } from '../../services/hardening/profile-yaml';
import { BUILT_IN_PROFILES, type Profile, findProfile } from '../../services/hardening/profiles';
import type { Run } from '../command';
import type { CliContext } from '../context';
import { formatTable, printable } from '../output';

function params(p: Record<string, unknown>): string {
  const parts = Object.entries(p).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`);
  return parts.join(' ') || '(defaults)';
}

const noCustom = { list: (): Profile[] => [] };

/** A built-in profile without the vault, any other from it. */
async function lookUp(ctx: CliContext, id: string): Promise<Profile> {
  if (isBuiltInId(id)) return findProfile(id);
  if (!fs.existsSync(ctx.vaultPath())) return findProfile(id);
  return ctx.withUnlocked((h) => findProfile(id, new ProfileStore(h.vault).list()));
}

function readInput(file: string): string {
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_PROFILE_YAML) throw new BulwarkError('IMPORT_PARSE', `${file} is ${size} bytes; a profile is at most ${MAX_PROFILE_YAML}`);
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof BulwarkError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BulwarkError('NOT_FOUND', `no such file: ${file}`);
    throw new BulwarkError('IO', `cannot read ${file} (${code ?? (e as Error).message})`);
  }
}

async function readStdin(ctx: CliContext): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.io.stdin as AsyncIterable<Buffer | string>) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    size += b.length;
    if (size > MAX_PROFILE_YAML) throw new BulwarkError('IMPORT_PARSE', `stdin is over ${MAX_PROFILE_YAML} bytes; a profile is at most that`);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** To stdout (raw; --json wraps it), or to --out FILE. */
function emit(ctx: CliContext, file: TextFile, out: unknown): void {
  if (out === undefined) {
    if (ctx.out.json) ctx.out.data({ path: null, ...file });
    else ctx.out.raw(file.text);
    return;
  }
  const target = ctx.resolveFile(String(out));
  try {
    fs.writeFileSync(target, file.text, { mode: 0o644 });
  } catch (e) {
    throw new BulwarkError('IO', `cannot write ${target} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  ctx.out.result({ path: target, fileName: file.fileName }, () => `Wrote ${target}`);
}

export function registerProfileCommands(program: Command, run: Run): void {
  const profile = program.command('profile').alias('profiles').description('hardening profiles: named lists of controls with parameters');

  run(
    profile
      .command('list')
      .description('list the hardening profiles: built in, then custom ones from the vault (when there is one)')
      .option('--built-in', 'only the built-in profiles (does not open the vault)'),
    async (ctx, opts) => {
      const views = opts.builtIn === true || !fs.existsSync(ctx.vaultPath()) ? profileViews(noCustom) : await ctx.withUnlocked((h) => profileViews(new ProfileStore(h.vault)));
      ctx.out.result(views, () =>
        formatTable(
          ['ID', 'NAME', 'SOURCE', 'CONTROLS', 'DESCRIPTION'],
          views.map((v) => [v.id, v.name, v.builtIn ? 'built-in' : 'custom', v.controls.map((c) => c.id).join(','), v.description].map(printable)),
        ),
      );
    },
  );

  run(profile.command('show').description("a profile's controls, their parameters and why").argument('<ID>', 'profile id (see "bulwark profile list")'), async (ctx, _opts, [id]) => {
    const v = profileView(await lookUp(ctx, id!));
    ctx.out.result(v, () => {
      const lines = [`${v.id}: ${v.name}${v.builtIn ? '' : ' (custom)'}`, v.description, ''];
      for (const c of v.controls) {
        lines.push(`${c.id}  ${c.title}${c.kind === 'check' ? ' (check only)' : ''}`);
        lines.push(`  parameters: ${params(c.params)}`);
        lines.push(`  why: ${c.reason}`);
      }
      return printable(lines.join('\n') + '\n');
    });
  });

  run(
    profile
      .command('export')
      .description('a profile (built in or custom) as YAML, to edit and import again')
      .argument('<ID>', 'profile id')
      .option('--out <FILE>', 'file to write (replaced if it exists); stdout without it'),
    async (ctx, opts, [id]) => emit(ctx, profileToYaml(await lookUp(ctx, id!)), opts.out),
  );

  run(
    profile
      .command('import')
      .description('store a custom profile from YAML (the "profile export" format); every parameter is checked first')
      .argument('<FILE>', 'YAML file, or - for stdin')
      .option('--replace', 'replace the custom profile with the same id'),
    async (ctx, opts, [file]) => {
      const text = file === '-' ? await readStdin(ctx) : readInput(ctx.resolveFile(file!));
      // parsed and checked before the passphrase is asked for
      const input = profileFromYaml(text);
      const saved = await ctx.withUnlocked((h) => new ProfileStore(h.vault).save(input, { replace: opts.replace === true }));
      const v = profileView(saved);
      ctx.out.result(v, () => `Stored custom profile ${v.id} (${v.controls.length} controls: ${v.controls.map((c) => c.id).join(', ')})`);
    },
  );

  run(
    profile
      .command('export-ansible')
      .description('a profile as an Ansible playbook making the same changes (check-only controls are listed in its header)')
      .argument('<ID>', 'profile id')
      .option('--out <FILE>', 'file to write (replaced if it exists); stdout without it'),
    async (ctx, opts, [id]) => emit(ctx, profileToAnsible(await lookUp(ctx, id!)), opts.out),
  );

  run(profile.command('rm').description('delete a custom profile (built-in ones cannot be deleted)').argument('<ID>', 'custom profile id'), async (ctx, _opts, [id]) => {
    if (isBuiltInId(id!)) throw new BulwarkError('CONFLICT', `"${id}" is a built-in profile: it cannot be deleted (built in: ${BUILT_IN_PROFILES.map((b) => b.id).join(', ')})`);
    const deleted = await ctx.withUnlocked((h) => new ProfileStore(h.vault).delete(id!));
    if (!deleted) throw new BulwarkError('NOT_FOUND', `No custom profile "${id}" (list them with "bulwark profile list")`);
    ctx.out.result({ deleted: true, id }, () => `Deleted custom profile ${id}`);
  });
}
