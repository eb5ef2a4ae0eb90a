/**
 * IdentityFile values -> the files ssh would open: `~` first, then `${VAR}` and %-tokens in one
 * left-to-right pass (so an expanded value is never expanded again), as ssh.c does with
 * tilde_expand_filename() and default_client_percent_dollar_expand().
 *
 * One deliberate difference: ssh opens a relative path from its working directory; an import has
 * no such directory, so relative paths resolve under ~/.ssh, where such keys live and where
 * OpenSSH itself resolves relative Include paths.
 */
import { isAbsolute, join, resolve } from 'node:path';

/** The values the tokens stand for, for one host. */
export interface IdentityContext {
  /** %d and `~`. */
  home: string;
  /** Where relative paths resolve (~/.ssh). */
  baseDir: string;
  /** %u: the local login name. */
  localUser: string;
  /** %i: the local uid, when the platform has one. */
  uid?: number | undefined;
  /** %n: the alias as written on the Host line. */
  alias: string;
  /** %h: the HostName after its own %h expansion, or the lowercased alias. */
  hostName: string;
  /** %r: the remote login name. */
  remoteUser: string;
  /** %p */
  port: number;
  env: Readonly<Record<string, string | undefined>>;
}

export type ExpandedIdentity = { path: string } | { problem: string };

const TOKEN = /%(.?)|\$\{([^}]*)(\}?)/g;

export function expandIdentityFile(raw: string, ctx: IdentityContext): ExpandedIdentity {
  let value = raw;
  if (value === '~') value = ctx.home;
  else if (value.startsWith('~/')) value = join(ctx.home, value.slice(2));
  else if (value.startsWith('~')) return { problem: "uses ~user, another user's home directory, which Bulwark does not look up" };

  const tokens: Record<string, string | undefined> = {
    '%': '%',
    d: ctx.home,
    u: ctx.localUser,
    h: ctx.hostName,
    r: ctx.remoteUser,
    n: ctx.alias,
    p: String(ctx.port),
    i: ctx.uid === undefined ? undefined : String(ctx.uid),
  };
  let problem: string | null = null;
  const expanded = value.replace(TOKEN, (whole, token: string | undefined, variable: string | undefined, close: string) => {
    if (token !== undefined) {
      const v = token === '' ? undefined : tokens[token];
      if (v === undefined) problem ??= token === '' ? 'ends with a lone "%"' : `uses %${token}, which Bulwark cannot expand (it expands %d %u %h %r %n %p %i %%)`;
      return v ?? whole;
    }
    if (close === '' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable!)) {
      problem ??= `has a malformed \${...} reference "${whole}"`;
      return whole;
    }
    const v = ctx.env[variable!];
    if (v === undefined) problem ??= `uses \${${variable}}, which is not set in Bulwark's environment`;
    return v ?? whole;
  });
  if (problem !== null) return { problem };
  return { path: resolve(isAbsolute(expanded) ? expanded : join(ctx.baseDir, expanded)) };
}
