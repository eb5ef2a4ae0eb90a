/**
 * `bulwark hosts ...`: the inventory.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { hostInputSchema, type Host, type HostInput, type ImportReport } from '../../../shared/domain/host';
import type { KeysImportReport, SshConfigImportReport } from '../../../shared/domain/ssh-config-import';
import { BulwarkError, validationError } from '../../../shared/errors';
import type { Run } from '../command';
import type { CliContext } from '../context';
import { CliError, usageError } from '../errors';
import { ExitCode } from '../exit-codes';
import { homeOf } from '../io';
import { formatTable, printable } from '../output';
import { selectHosts } from '../select';
import {
  exportAnsibleInventory,
  importAnsibleInventory,
  importSshConfig,
  nodeConfigFiles,
  prepareSshConfigImport,
  type PreparedSshConfigImport,
} from '../../services/inventory';
import { KEY_PASSPHRASE_ENV } from './keys';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerHostCommands(program: Command, run: Run): void {
  const hosts = program.command('hosts').description('the host inventory');

  run(
    hosts
      .command('add')
      .description('add a host to the inventory')
      .argument('<NAME>', 'inventory name (also the Ansible and ssh_config alias)')
      .requiredOption('--address <A>', 'DNS name, IPv4 or IPv6 address (no brackets)')
      .option('--port <N>', 'SSH port (default 22)')
      .option('--user <U>', 'SSH user (default root)')
      .option('--jump <J>', 'ProxyJump: [user@]host[:port][,...]')
      .option('--tag <T>', 'tag; repeat for several', collect)
      .option('--notes <TEXT>', 'free-form notes'),
    async (ctx, opts, [name]) => {
      const input: HostInput = { name: name!, address: opts.address as string };
      const problems: Record<string, string> = {};
      if (opts.port !== undefined) {
        const port = parsePort(opts.port as string);
        if (port === undefined) problems['--port'] = 'must be a whole number';
        else input.port = port;
      }
      if (opts.user !== undefined) input.user = opts.user as string;
      if (opts.jump !== undefined) input.jumpHost = opts.jump as string;
      if (opts.tag !== undefined) input.tags = opts.tag as string[];
      if (opts.notes !== undefined) input.notes = opts.notes as string;
      // Validate before asking for the passphrase, and name the options rather than the fields.
      const parsed = hostInputSchema.safeParse(input);
      if (!parsed.success) Object.assign(problems, optionLabels(validationError(parsed.error.issues).fields));
      if (Object.keys(problems).length) throw new BulwarkError('VALIDATION', `invalid host "${name}"`, inOptionOrder(problems));
      const host = await ctx.withUnlocked((h) => {
        try {
          return h.hosts.create(input);
        } catch (e) {
          if (e instanceof BulwarkError && e.fields) throw new BulwarkError(e.code, e.message, optionLabels(e.fields));
          throw e;
        }
      });
      ctx.out.result(host, () => `Added ${host.name} (${host.user}@${host.address}:${host.port})`);
    },
  );

  run(
    hosts
      .command('list')
      .alias('ls')
      .description('list hosts (--json: a JSON array of hosts)')
      .option('--tag <T>', 'only hosts with this tag')
      .option('--search <Q>', 'only hosts whose name, address, user, tags or notes contain Q'),
    async (ctx, opts) => {
      const list = await ctx.withUnlocked((h) => {
        let result: Host[] = opts.search !== undefined ? h.hosts.search(opts.search as string) : h.hosts.list();
        if (opts.tag !== undefined) {
          const tag = (opts.tag as string).trim().toLowerCase();
          result = result.filter((host) => host.tags.includes(tag));
        }
        return sortByName(result);
      });
      ctx.out.result(list, () => hostTable(list));
    },
  );

  run(
    hosts
      .command('rm')
      .alias('remove')
      .description('remove hosts by name, or every host with --tag')
      .argument('[NAME...]', 'inventory names')
      .option('--tag <T>', 'remove every host with this tag'),
    async (ctx, opts, names) => {
      const named = names.filter((n): n is string => typeof n === 'string');
      if (named.length === 0 && opts.tag === undefined) throw usageError('name the hosts to remove, or use --tag TAG');
      if (named.some((n) => n.includes(','))) throw usageError('separate host names with spaces, not commas');
      const removed = await ctx.withUnlocked((h) => {
        const chosen = selectHosts(h.hosts, { hosts: named.join(','), tag: opts.tag as string | undefined });
        const deleted = h.hosts.delete(chosen.map((c) => c.id));
        return { deleted, names: chosen.map((c) => c.name) };
      });
      ctx.out.result(removed, () => `Removed ${removed.deleted} host${removed.deleted === 1 ? '' : 's'}: ${removed.names.join(', ')}`);
    },
  );

  run(
    hosts
      .command('import-ssh-config')
      .description("add or update hosts from an OpenSSH client config, importing each host's IdentityFile keys into the vault")
      .argument('[FILE]', 'config to read (default ~/.ssh/config)')
      .option('--no-keys', 'import the hosts only: read no key files and leave login keys as they are')
      .option(
        '--key-passphrase-file <F>',
        `one passphrase for every encrypted key, from the first line of F (else $${KEY_PASSPHRASE_ENV}, else a prompt per key on a terminal)`,
      ),
    async (ctx, opts, [file]) => {
      const source = file !== undefined ? ctx.resolveFile(file) : path.join(homeOf(ctx.io), '.ssh', 'config');
      const text = readInput(source);
      const options = { home: homeOf(ctx.io), source, files: nodeConfigFiles() };
      if (opts.keys === false) {
        const report = await ctx.withUnlocked((h) => importSshConfig(h.hosts, text, options));
        printReport(ctx, source, report);
        return;
      }
      const report = await ctx.withUnlocked(async (h) => {
        const prepared = prepareSshConfigImport({ hosts: h.hosts, keys: h.keys, vault: h.vault }, text, { ...options, env: ctx.io.env });
        await supplyKeyPassphrases(ctx, prepared, opts.keyPassphraseFile as string | undefined);
        return prepared.apply();
      });
      const retry = report.keys.needPassphrase.length ? retryCommand(ctx, source) : undefined;
      printReport(ctx, source, report, retry);
    },
  );

  run(
    hosts
      .command('import-ansible')
      .description('add or update hosts from an Ansible inventory (YAML or INI)')
      .argument('<FILE>', 'inventory to read'),
    async (ctx, _opts, [file]) => {
      const source = ctx.resolveFile(file!);
      const text = readInput(source);
      const report = await ctx.withUnlocked((h) => importAnsibleInventory(h.hosts, text, path.basename(source)));
      printReport(ctx, source, report);
    },
  );

  run(
    hosts
      .command('export-ansible')
      .description('write the inventory as an Ansible inventory (to stdout without FILE)')
      .argument('[FILE]', 'file to write (replaced if it exists)'),
    async (ctx, _opts, [file]) => {
      const { text, count } = await ctx.withUnlocked((h) => {
        const all = h.hosts.list();
        return { text: exportAnsibleInventory(all), count: all.length };
      });
      if (file === undefined) {
        if (ctx.out.json) ctx.out.data({ path: null, hosts: count, text });
        else ctx.out.raw(text);
        return;
      }
      const target = ctx.resolveFile(file);
      writeOutput(target, text);
      ctx.out.result({ path: target, hosts: count }, () => `Wrote ${count} host${count === 1 ? '' : 's'} to ${target}`);
    },
  );
}

const OPTION_OF_FIELD: Record<string, string> = {
  name: 'NAME',
  address: '--address',
  port: '--port',
  user: '--user',
  jumpHost: '--jump',
  tags: '--tag',
  notes: '--notes',
};

/** Field errors keyed by the option the user typed ("--jump", "--tag") instead of the field. */
function optionLabels(fields: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, problem] of Object.entries(fields ?? {})) {
    const label = OPTION_OF_FIELD[field.split('.')[0]!] ?? field;
    out[label] = out[label] ? `${out[label]}; ${problem}` : problem;
  }
  return out;
}

/** Plain decimal only: Number('') is 0 and Number('0x16') is 22. The range is the schema's job. */
function parsePort(value: string): number | undefined {
  return /^[0-9]{1,6}$/.test(value.trim()) ? Number(value) : undefined;
}

function inOptionOrder(fields: Record<string, string>): Record<string, string> {
  const order = Object.values(OPTION_OF_FIELD);
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return Object.fromEntries(Object.entries(fields).sort(([a], [b]) => rank(a) - rank(b)));
}

function sortByName(hosts: Host[]): Host[] {
  return [...hosts].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function hostTable(hosts: readonly Host[]): string {
  if (hosts.length === 0) return 'No hosts.';
  return formatTable(
    ['NAME', 'ADDRESS', 'PORT', 'USER', 'JUMP', 'TAGS'],
    hosts.map((h) => [h.name, h.address, String(h.port), h.user, h.jumpHost || '-', h.tags.join(',') || '-'].map(printable)),
  );
}

function readInput(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BulwarkError('NOT_FOUND', `no such file: ${file}`);
    throw new BulwarkError('IO', `cannot read ${file} (${code ?? (e as Error).message})`);
  }
}

function writeOutput(file: string, text: string): void {
  try {
    fs.writeFileSync(file, text, { mode: 0o600 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BulwarkError('IO', `cannot write ${file} (${code ?? (e as Error).message})`);
  }
}

function printReport(ctx: CliContext, source: string, report: ImportReport | SshConfigImportReport, retry?: string): void {
  ctx.out.result(retry ? { ...report, retry } : report, () => {
    const head = `Imported ${source}: ${report.added.length} added, ${report.updated.length} updated, ${report.skipped.length} skipped`;
    const rows = [
      ...report.added.map((n) => ['added', n, '']),
      ...report.updated.map((n) => ['updated', n, '']),
      ...report.skipped.map((s) => ['skipped', s.name, s.reason]),
    ].map((r) => r.map(printable));
    const hostPart = rows.length ? `${head}\n${indent(formatTable(['RESULT', 'HOST', 'REASON'], rows))}` : head;
    return 'keys' in report ? `${hostPart}\n${keysText(report.keys)}` : hostPart;
  });
  if (retry) {
    const n = (report as SshConfigImportReport).keys.needPassphrase.length;
    ctx.out.note(`${n} encrypted key${n === 1 ? ' was' : 's were'} skipped (no passphrase). To import ${n === 1 ? 'it' : 'them'}, run:\n  ${retry}`);
  }
}

function keysText(k: KeysImportReport): string {
  const head = `Keys: ${k.imported.length} imported, ${k.reused.length} reused, ${k.needPassphrase.length} need a passphrase, ${k.failed.length} failed`;
  const rows = [
    ...k.imported.map((i) => ['imported', i.path, `${i.name} ${i.fingerprint}`]),
    ...k.reused.map((r) => ['reused', r.path, `already in the vault as ${r.name}`]),
    ...k.needPassphrase.map((p) => ['skipped', p, 'encrypted: no passphrase given']),
    ...k.failed.map((f) => ['failed', f.path, f.reason]),
    ...k.warnings.map((w) => ['warning', w.path, w.message]),
  ].map((r) => r.map(printable));
  const links = k.linked.map((l) => [l.host, l.key].map(printable));
  return [
    rows.length ? `${head}\n${indent(formatTable(['RESULT', 'KEY FILE', 'DETAIL'], rows))}` : head,
    links.length ? `Login keys set: ${links.length}\n${indent(formatTable(['HOST', 'KEY'], links))}` : 'Login keys set: 0',
  ].join('\n');
}

function indent(table: string): string {
  return table.replace(/^/gm, '  ').trimEnd();
}

/**
 * Passphrases for the encrypted IdentityFiles: one shared passphrase from --key-passphrase-file
 * or $BULWARK_KEY_PASSPHRASE, else a no-echo prompt per file on a terminal (Enter skips it; three
 * tries, like ssh). Without either, the files stay skipped and the report says how to retry.
 */
async function supplyKeyPassphrases(ctx: CliContext, prepared: PreparedSshConfigImport, file: string | undefined): Promise<void> {
  const waiting = prepared.needPassphrase();
  if (waiting.length === 0) return;
  const spec = { what: 'key passphrase', file, fileOption: '--key-passphrase-file', envVar: KEY_PASSPHRASE_ENV };
  if (file !== undefined || ctx.io.env[KEY_PASSPHRASE_ENV]) {
    const shared = await ctx.secret({ ...spec, prompt: 'Key passphrase' });
    for (const p of waiting) prepared.unlock(p, shared);
    return;
  }
  if (!ctx.io.stdin.isTTY) return;
  for (const p of waiting) {
    for (let attempt = 1; attempt <= 3; attempt++) {
      let passphrase: string;
      try {
        passphrase = await ctx.secret({ ...spec, prompt: `Passphrase for ${printable(p)} (Enter to skip)` });
      } catch (e) {
        // an empty answer or end of input: skip this key; Ctrl-C still ends the run
        if (e instanceof CliError && e.exitCode === ExitCode.USAGE) break;
        throw e;
      }
      if (prepared.unlock(p, passphrase) !== 'wrong-passphrase') break;
      ctx.out.note(`wrong passphrase for ${printable(p)}`);
    }
  }
}

/** The command that imports the skipped keys, with the global options this run was given. */
function retryCommand(ctx: CliContext, source: string): string {
  const global = [
    ...(ctx.opts.vault !== undefined ? ['--vault', shellQuote(ctx.opts.vault)] : []),
    ...(ctx.opts.passphraseFile !== undefined ? ['--passphrase-file', shellQuote(ctx.opts.passphraseFile)] : []),
  ];
  return ['bulwark', ...global, 'hosts', 'import-ssh-config', shellQuote(source), '--key-passphrase-file', 'FILE'].join(' ');
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
