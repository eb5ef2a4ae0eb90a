/** Recovery keys are Crockford base32 in groups of 4, separated by dashes or spaces. */
export function groupsOf(key: string): string[] {
  return key.trim().split(/[\s-]+/).filter(Boolean);
}

export function lastGroup(key: string): string {
  return groupsOf(key).at(-1) ?? '';
}

/** Crockford base32 reads O as 0 and I/L as 1, and ignores case: compare the way it decodes. */
export function sameGroup(typed: string, expected: string): boolean {
  const norm = (s: string) => s.trim().toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
  return norm(typed) !== '' && norm(typed) === norm(expected);
}
