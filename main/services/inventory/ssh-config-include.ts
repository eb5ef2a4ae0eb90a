/**
 * `Include` for OpenSSH client configs. The ssh-config library leaves Include lines alone, so
 * the importer inlines the files textually before parsing.
 *
 * OpenSSH resumes the including file's Host/Match block after an Include returns; inlining
 * reproduces that by repeating the block header after the included text (a top-level Include
 * resumes with `Host *`, which is what top-level lines mean). One difference remains: Host
 * blocks inside a file included from within a Host block apply unconditionally here.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, basename, isAbsolute, join } from 'node:path';
import type { Skipped } from './types';

/** Read access the importer needs; tests and the app pass their own. */
export interface ConfigFiles {
  /** The file's text; throws when missing or unreadable. */
  read(path: string): string;
  /** Entry names in a directory; throws when missing. */
  list(dir: string): string[];
}

export function nodeConfigFiles(): ConfigFiles {
  return {
    read: (p) => readFileSync(p, 'utf8'),
    list: (d) => readdirSync(d),
  };
}

export interface IncludeOptions {
  files?: ConfigFiles;
  /** For `~`; defaults to the OS home directory. */
  home?: string;
  /** Where relative paths resolve: ~/.ssh for a user config (OpenSSH's rule). */
  baseDir?: string;
}

/** OpenSSH's READCONF_MAX_DEPTH. */
const MAX_DEPTH = 16;
const INCLUDE = /^\s*include(?:\s*=\s*|\s+)(.*)$/i;
const BLOCK = /^\s*(?:host|match)(?:\s*=\s*|\s+)/i;

export interface Inlined {
  lines: string[];
  /** "<file> line <n>" for each line, so parse errors point into the right file. */
  origins: string[];
  skipped: Skipped[];
}

export function inlineIncludes(text: string, options: IncludeOptions & { source?: string }): Inlined {
  const home = options.home ?? homedir();
  const ctx = { ...options, home, baseDir: options.baseDir ?? join(home, '.ssh'), skipped: [] as Skipped[] };
  const out: Inlined = { lines: [], origins: [], skipped: ctx.skipped };
  inline(text, options.source ?? 'OpenSSH config', 0, out, ctx);
  return out;
}

type Ctx = Required<Omit<IncludeOptions, 'files'>> & { files?: ConfigFiles; skipped: Skipped[] };

/** `header` is the Host/Match line in effect where this text starts (null: top level). */
function inline(text: string, label: string, depth: number, out: Inlined, ctx: Ctx, header: string | null = null): void {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = INCLUDE.exec(line);
    if (!m) {
      if (BLOCK.test(line)) header = line.trim();
      out.lines.push(line);
      out.origins.push(`${label} line ${i + 1}`);
      continue;
    }
    for (const arg of splitArgs(m[1]!)) {
      const skip = (reason: string) => ctx.skipped.push({ name: `Include ${arg}`, reason });
      if (!ctx.files) {
        skip('not followed: the config was given as text, so files it includes cannot be read');
        continue;
      }
      if (depth + 1 > MAX_DEPTH) {
        skip(`not followed: Includes nested more than ${MAX_DEPTH} deep`);
        continue;
      }
      if (/%|\$\{/.test(arg)) {
        skip('not followed: %-tokens and ${VARIABLES} in Include paths are not supported');
        continue;
      }
      let paths: string[];
      try {
        paths = expand(arg, ctx);
      } catch (e) {
        skip(`cannot read: ${(e as Error).message}`);
        continue;
      }
      for (const path of paths) {
        let included: string;
        try {
          included = ctx.files.read(path);
        } catch (e) {
          skip(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
          continue;
        }
        const before = out.lines.length;
        inline(included, path, depth + 1, out, ctx, header);
        if (out.lines.slice(before).some((l) => BLOCK.test(l))) {
          out.lines.push(header ?? 'Host *');
          out.origins.push(`${label} line ${i + 1}`);
        }
      }
    }
  }
}

/** Absolute paths for one Include argument; wildcards only in the last path segment. */
function expand(arg: string, ctx: Ctx): string[] {
  let p = arg === '~' ? ctx.home : arg.startsWith('~/') ? join(ctx.home, arg.slice(2)) : arg;
  if (!isAbsolute(p)) p = join(ctx.baseDir, p);
  const dir = dirname(p);
  const pattern = basename(p);
  if (/[*?]/.test(dir)) throw new Error('wildcards are only supported in the file name');
  if (!/[*?]/.test(pattern)) return [p];
  const re = globToRegExp(pattern);
  // glob(3) returns names sorted, and leading dots only match an explicit dot
  return ctx
    .files!.list(dir)
    .filter((n) => re.test(n) && (!n.startsWith('.') || pattern.startsWith('.')))
    .sort()
    .map((n) => join(dir, n));
}

function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (const ch of pattern) {
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else re += ch.replace(/[\\^$.|+(){}[\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Whitespace-separated arguments, double quotes grouping (ssh_config's rule). */
export function splitArgs(s: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const v = m[1] ?? m[2]!;
    if (v.startsWith('#')) break;
    out.push(v);
  }
  return out;
}
