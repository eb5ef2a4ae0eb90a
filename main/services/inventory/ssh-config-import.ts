/**
 * OpenSSH client config -> host entries. Each concrete alias on a `Host` line becomes a host
 * whose settings are what OpenSSH would use (first value wins, wildcard blocks and Match
 * blocks applied), computed by the ssh-config library.
 *
 * Decisions (see also ImportEntry.defaults):
 * - No `User`: OpenSSH logs in as the local user, so that is the default (falling back to
 *   'root' when the local name is not a valid remote username). It only seeds new hosts.
 * - No `HostName`: the alias is the address, as for ssh.
 * - `HostName` may use %h (the alias) and %%, the only tokens OpenSSH allows there; anything
 *   else cannot be expanded offline and the host is skipped with the reason.
 * - `IdentityFile` values (accumulated over every matching block, in order) travel with the
 *   entry as written; ssh-config-keys.ts expands them and imports the keys. They also become
 *   "IdentityFile: <path>" note lines on NEW hosts; existing notes are never touched.
 * - `ProxyCommand` (without ProxyJump) cannot be reproduced: skipped with the reason.
 * - Patterns (`*`, `?`, `!`) are not hosts: reported as skipped, except the catch-all `Host *`.
 * - Security: `Match exec` is never run and CanonicalizeHostName is ignored (the library
 *   would run nslookup); importing a config must not execute anything.
 */
import SSHConfig, { LineType, type Line } from 'ssh-config';
import { userInfo } from 'node:os';
import { BulwarkError } from '../../../shared/errors';
import { usernameProblem } from '../../../shared/domain/validators';
import { inlineIncludes, type IncludeOptions } from './ssh-config-include';
import type { ImportEntry, ParsedImport, Skipped } from './types';

export interface SshConfigImportOptions extends IncludeOptions {
  /** User for hosts without `User`; defaults to the local login name (OpenSSH's rule). */
  defaultUser?: string;
  /** Label used in skip reasons, e.g. the file path. */
  source?: string;
}

type Computed = Record<string, string | string[]>;

/** A host entry plus its IdentityFile values as written (unexpanded, in ssh's order). */
export interface SshConfigEntry extends ImportEntry {
  identityFiles: string[];
}

export interface ParsedSshConfig extends ParsedImport {
  entries: SshConfigEntry[];
}

export function parseSshConfig(text: string, options: SshConfigImportOptions = {}): ParsedSshConfig {
  const inlined = inlineIncludes(text, options);
  const config = parseOrThrow(inlined.lines, inlined.origins);
  neutralizeCanonicalization(config);
  const aliases = hostAliases(config);
  lowercaseHostPatterns(config);
  const source = options.source ?? 'ssh config';
  const defaultUser = options.defaultUser ?? localUser();
  const skipped: Skipped[] = [...inlined.skipped];
  const entries: SshConfigEntry[] = [];
  const seen = new Set<string>();

  for (const alias of aliases) {
    if (/[*?!]/.test(alias)) {
      if (alias !== '*') skipped.push({ name: alias, reason: 'a pattern, not a single host: its settings apply to the hosts it matches' });
      continue;
    }
    // ssh lowercases the host it is given before matching, and Bulwark names are unique
    // case-insensitively: the first spelling wins, later blocks only add settings.
    if (seen.has(alias.toLowerCase())) continue;
    seen.add(alias.toLowerCase());
    const computed = config.compute(alias.toLowerCase(), { ignoreCase: true, matchExec: false }) as Computed;
    const mapped = toEntry(alias, computed, defaultUser, source);
    if ('reason' in mapped) skipped.push({ name: alias, reason: mapped.reason });
    else entries.push(mapped);
  }
  return { entries, skipped };
}

function toEntry(alias: string, c: Computed, defaultUser: string, source: string): SshConfigEntry | { reason: string } {
  const one = (key: string): string | undefined => {
    const v = c[key];
    return Array.isArray(v) ? v[0] : v;
  };
  const input: Record<string, unknown> = { name: alias };
  const defaults: Record<string, unknown> = { address: alias, user: defaultUser };

  const hostName = one('hostname');
  if (hostName !== undefined) {
    const expanded = expandHostNameTokens(hostName, alias);
    if (expanded === null) return { reason: `HostName "${hostName}" uses %-tokens other than %h, which Bulwark cannot expand` };
    input.address = expanded;
  }
  const user = one('user');
  if (user !== undefined) {
    if (user.includes('%')) return { reason: `User "${user}" uses %-tokens, which Bulwark cannot expand` };
    input.user = user;
  }
  const port = one('port');
  if (port !== undefined) {
    if (!/^[0-9]+$/.test(port)) return { reason: `port: "${port}" is not a number (${source})` };
    input.port = Number(port);
  }
  const jump = one('proxyjump');
  const command = one('proxycommand');
  if (jump !== undefined) {
    if (jump.includes('%')) return { reason: `ProxyJump "${jump}" uses %-tokens, which Bulwark cannot expand` };
    input.jumpHost = jump.toLowerCase() === 'none' ? '' : jump.split(',').map(fromSshUri).join(',');
  } else if (command !== undefined && command.toLowerCase() !== 'none') {
    return { reason: 'uses ProxyCommand, which Bulwark cannot run (a ProxyJump would work)' };
  }
  const identityFiles = identityFilesOf(c['identityfile']);
  if (identityFiles.length) defaults.notes = identityFiles.map((f) => `IdentityFile: ${f}`).join('\n');

  return { input, defaults, source, identityFiles };
}

/** ssh registers each value once and skips "none" (ssh.c load_public_identity_files). */
function identityFilesOf(value: string | string[] | undefined): string[] {
  const all = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return [...new Set(all)].filter((f) => f.toLowerCase() !== 'none');
}

/** %h -> alias (lowercased, as ssh does), %% -> %; null for any other token (ssh itself rejects them in HostName). */
function expandHostNameTokens(value: string, alias: string): string | null {
  let bad = false;
  const out = value.replace(/%(.?)/g, (_, t: string) => {
    if (t === 'h') return alias.toLowerCase();
    if (t === '%') return '%';
    bad = true;
    return '';
  });
  return bad ? null : out;
}

/** ProxyJump also accepts ssh://[user@]host[:port] since OpenSSH 8.1. */
function fromSshUri(hop: string): string {
  const h = hop.trim();
  return h.toLowerCase().startsWith('ssh://') ? h.slice(6).replace(/\/$/, '') : h;
}

function hostAliases(config: SSHConfig): string[] {
  const out: string[] = [];
  for (const line of config) {
    if (line.type !== LineType.DIRECTIVE || !/^host$/i.test(line.param)) continue;
    const v = line.value;
    if (typeof v === 'string') out.push(...v.split(/\s+/).filter(Boolean));
    else out.push(...v.map((x) => x.val));
  }
  return out;
}

/** OpenSSH lowercases both the host and Host patterns before matching; the library does not. */
function lowercaseHostPatterns(config: SSHConfig): void {
  for (const line of config) {
    if (line.type !== LineType.DIRECTIVE || !/^host$/i.test(line.param)) continue;
    if (typeof line.value === 'string') line.value = line.value.toLowerCase();
    else for (const v of line.value) v.val = v.val.toLowerCase();
  }
}

function neutralizeCanonicalization(lines: Line[]): void {
  for (const line of lines) {
    if (line.type !== LineType.DIRECTIVE) continue;
    if (/^CanonicalizeHostName$/i.test(line.param)) line.value = 'no';
    if ('config' in line) neutralizeCanonicalization(line.config);
  }
}

function parseOrThrow(lines: string[], origins: string[]): SSHConfig {
  try {
    return SSHConfig.parse(lines.join('\n'));
  } catch (e) {
    // The library does not say where; find the first line that fails on its own.
    for (let i = 0; i < lines.length; i++) {
      try {
        SSHConfig.parse(lines[i]!);
      } catch {
        throw new BulwarkError('IMPORT_PARSE', `${origins[i]}: cannot parse "${lines[i]!.trim()}"`);
      }
    }
    throw new BulwarkError('IMPORT_PARSE', `Cannot parse the OpenSSH config: ${(e as Error).message}`);
  }
}

function localUser(): string {
  try {
    const name = userInfo().username;
    return usernameProblem(name) === null ? name : 'root';
  } catch {
    return 'root';
  }
}
