/**
 * Python's shlex.split(s, comments=True) in POSIX mode, because that is what Ansible uses for
 * INI host lines and for ansible_ssh_*_args: quotes group and disappear, a backslash escapes
 * outside single quotes, and "#" outside quotes ends the line (even mid-word, as in shlex).
 */
export function shlexSplit(s: string, options: { comments?: boolean } = {}): string[] {
  const out: string[] = [];
  let token = '';
  let inToken = false;
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (/\s/.test(ch)) {
      if (inToken) out.push(token);
      token = '';
      inToken = false;
      i++;
    } else if (ch === '#' && options.comments) {
      break;
    } else if (ch === "'") {
      const end = s.indexOf("'", i + 1);
      if (end === -1) throw new Error('No closing quotation');
      token += s.slice(i + 1, end);
      inToken = true;
      i = end + 1;
    } else if (ch === '"') {
      i++;
      for (;;) {
        if (i >= s.length) throw new Error('No closing quotation');
        const c = s[i]!;
        if (c === '"') break;
        if (c === '\\' && i + 1 < s.length && '\\"$`\n'.includes(s[i + 1]!)) {
          token += s[i + 1];
          i += 2;
        } else {
          token += c;
          i++;
        }
      }
      inToken = true;
      i++;
    } else if (ch === '\\') {
      if (i + 1 >= s.length) throw new Error('No escaped character');
      token += s[i + 1];
      inToken = true;
      i += 2;
    } else {
      token += ch;
      inToken = true;
      i++;
    }
  }
  if (inToken) out.push(token);
  return out;
}
