/**
 * Splits a unified diff into typed lines so the plan review can colour them. Headers are only
 * recognised before the first hunk: inside a hunk "--- x" is a removed line that starts with "--".
 */
export type DiffLineKind = 'old-file' | 'new-file' | 'hunk' | 'add' | 'del' | 'context' | 'note';

export interface DiffLine {
  kind: DiffLineKind;
  text: string;
}

export function diffLines(diff: string): DiffLine[] {
  const out: DiffLine[] = [];
  let inHunk = false;
  const lines = diff.split('\n');
  // a trailing newline is not an extra empty context line
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (const text of lines) {
    if (text.startsWith('@@')) {
      inHunk = true;
      out.push({ kind: 'hunk', text });
    } else if (!inHunk && text.startsWith('--- ')) out.push({ kind: 'old-file', text });
    else if (!inHunk && text.startsWith('+++ ')) out.push({ kind: 'new-file', text });
    else if (text.startsWith('\\')) out.push({ kind: 'note', text });
    else if (inHunk && text.startsWith('+')) out.push({ kind: 'add', text });
    else if (inHunk && text.startsWith('-')) out.push({ kind: 'del', text });
    else out.push({ kind: inHunk ? 'context' : 'note', text });
  }
  return out;
}

/** Lines added and removed, for "+12 −3" next to a file name. */
export function diffStat(lines: readonly DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const l of lines) {
    if (l.kind === 'add') added++;
    else if (l.kind === 'del') removed++;
  }
  return { added, removed };
}

/** "created", "deleted" or "changed", from the /dev/null side of the headers. */
export function diffAction(lines: readonly DiffLine[]): 'created' | 'deleted' | 'changed' {
  const old = lines.find((l) => l.kind === 'old-file')?.text ?? '';
  const neu = lines.find((l) => l.kind === 'new-file')?.text ?? '';
  if (/^--- \/dev\/null\b/.test(old)) return 'created';
  if (/^\+\+\+ \/dev\/null\b/.test(neu)) return 'deleted';
  return 'changed';
}
