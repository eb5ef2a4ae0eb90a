/**
 * Option parsing shared by the SSH and fleet commands. Everything is checked before the vault
 * is opened, so a typo costs no passphrase prompt.
 */
import { usernameProblem } from '../../shared/domain/validators';
import { BulwarkError } from '../../shared/errors';
import { usageError } from './errors';
import { type HostSelection, parseNameList } from './select';

/** Whole seconds, 1 to 9999 (`--timeout`). */
export function parseSeconds(value: unknown, option: string): number {
  const text = String(value).trim();
  const n = Number(text);
  if (!/^[0-9]{1,4}$/.test(text) || n < 1) throw usageError(`${option} must be a whole number of seconds (1 to 9999)`);
  return n;
}

/** `--account USER`, checked like a host's user (it reaches a remote shell, quoted, as well). */
export function parseAccount(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const account = String(value);
  const problem = usernameProblem(account);
  if (problem) throw new BulwarkError('VALIDATION', `invalid --account "${account}"`, { '--account': problem });
  return account;
}

/** --hosts/--tag as given; selectHosts() resolves them once the vault is open. */
export function requireSelection(opts: Record<string, unknown>): HostSelection {
  const selection: HostSelection = {};
  if (opts.hosts !== undefined) selection.hosts = String(opts.hosts);
  if (opts.tag !== undefined) selection.tag = String(opts.tag);
  const names = selection.hosts === undefined ? [] : parseNameList(selection.hosts);
  if (names.length === 0 && !selection.tag?.trim()) throw usageError('choose hosts with --hosts NAME[,NAME...] and/or --tag TAG');
  return selection;
}
