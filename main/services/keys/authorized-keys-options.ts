/**
 * The option list in front of an authorized_keys key, read the way sshd reads it
 * (auth-options.c, sshkey_advance_past_options): comma-separated `name` or `name="value"`;
 * inside quotes only `\"` is an escape (other backslashes are literal), and spaces and commas
 * are part of the value. The options end at the first unquoted space or tab.
 */

export interface AuthorizedKeyOption {
  /** As written (sshd compares names case-insensitively). */
  name: string;
  /** The unquoted value of `name="value"`, or null for a flag such as no-pty. */
  value: string | null;
}

/**
 * Index just past the option string that starts `s`, or -1 when a quote is left open
 * (sshd: "invalid key option string").
 */
export function advancePastOptions(s: string): number {
  let quoted = false;
  let i = 0;
  for (; i < s.length && (quoted || (s[i] !== ' ' && s[i] !== '\t')); i++) {
    if (s[i] === '\\' && s[i + 1] === '"') i++;
    else if (s[i] === '"') quoted = !quoted;
  }
  return quoted && i >= s.length ? -1 : i;
}

export type OptionsParse = { ok: true; options: AuthorizedKeyOption[] } | { ok: false; problem: string };

/** Parses an option string (as advancePastOptions delimits it) into its options. */
export function parseOptions(text: string): OptionsParse {
  const options: AuthorizedKeyOption[] = [];
  let i = 0;
  while (i < text.length) {
    const m = /^[A-Za-z0-9][A-Za-z0-9_.@-]*/.exec(text.slice(i));
    if (!m) return { ok: false, problem: `option ${options.length + 1} has no name (at "${text.slice(i, i + 20)}")` };
    const name = m[0];
    i += name.length;
    let value: string | null = null;
    if (text[i] === '=') {
      if (text[i + 1] !== '"') return { ok: false, problem: `the value of ${name} must be in double quotes` };
      i += 2;
      let v = '';
      for (;;) {
        if (i >= text.length) return { ok: false, problem: `the value of ${name} has no closing quote` };
        if (text[i] === '\\' && text[i + 1] === '"') {
          v += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else {
          v += text[i];
          i++;
        }
      }
      value = v;
    }
    options.push({ name, value });
    if (i >= text.length) break;
    if (text[i] !== ',') return { ok: false, problem: `expected "," after option ${name}` };
    i++;
  }
  return { ok: true, options };
}

/** `name="value"` with `"` escaped as sshd expects; refuses what sshd could not read back. */
export function formatOption(option: AuthorizedKeyOption): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.@-]*$/.test(option.name)) throw new Error(`Invalid option name "${option.name}"`);
  if (option.value === null) return option.name;
  if (/[\r\n\0]/.test(option.value)) throw new Error(`The value of ${option.name} must be one line`);
  // a trailing backslash would escape our closing quote
  if (/\\$/.test(option.value)) throw new Error(`The value of ${option.name} must not end with a backslash`);
  return `${option.name}="${option.value.replace(/"/g, '\\"')}"`;
}
