/**
 * sshd_config as sshd reads it: for most keywords the FIRST value obtained wins, and Include
 * pulls files in at the point where it appears. Bulwark's settings therefore go into its own
 * drop-in, named to sort before the other files in sshd_config.d, and anything sshd would read
 * before it (the main file above its Include line, a drop-in sorting earlier) is a conflict.
 */
export const BULWARK_DROPIN = '/etc/ssh/sshd_config.d/00-bulwark.conf';
export const DROPIN_DIR = '/etc/ssh/sshd_config.d';
export const DEBIAN_INCLUDE = 'Include /etc/ssh/sshd_config.d/*.conf';

/** Keywords whose values accumulate across lines instead of first-wins. */
const ACCUMULATING = new Set(['port', 'listenaddress', 'hostkey', 'hostcertificate', 'include', 'acceptenv', 'setenv', 'subsystem']);

export interface ConfigLine {
  file: string;
  /** 1-based. */
  line: number;
  keyword: string;
  value: string;
  /** Inside a Match block (applies to some connections only). */
  inMatch: boolean;
}

/** Directives of one file, keywords lowercased; comments and blank lines dropped. */
export function parseConfigLines(file: string, text: string): ConfigLine[] {
  const out: ConfigLine[] = [];
  let inMatch = false;
  text.split('\n').forEach((raw, i) => {
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) return;
    const m = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(t);
    if (!m) return;
    const keyword = m[1]!.toLowerCase();
    // a Match block runs to the end of its file; its lines apply to some connections only
    if (keyword === 'match') inMatch = true;
    out.push({ file, line: i + 1, keyword, value: m[2]!.trim(), inMatch });
  });
  return out;
}

/** A glob as sshd's Include uses it, for the drop-in directory only (`*` within one name). */
function includeMatches(pattern: string, path: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
  return re.test(path);
}

export interface SshdSources {
  mainConfig: string;
  /** Files of sshd_config.d with their content. */
  dropins: ReadonlyArray<{ path: string; content: string }>;
}

/**
 * Global directives in the order sshd reads them. Include patterns are expanded against the
 * drop-ins we know (sorted as glob(3) sorts, byte order); a pattern matching none adds nothing.
 */
export function readOrder(src: SshdSources): ConfigLine[] {
  const dropins = [...src.dropins].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const out: ConfigLine[] = [];
  for (const l of parseConfigLines('/etc/ssh/sshd_config', src.mainConfig)) {
    if (l.keyword === 'include' && !l.inMatch) {
      for (const pattern of l.value.split(/\s+/)) {
        const abs = pattern.startsWith('/') ? pattern : `/etc/ssh/${pattern}`;
        for (const d of dropins) if (includeMatches(abs, d.path)) out.push(...parseConfigLines(d.path, d.content).filter((x) => !x.inMatch));
      }
      continue;
    }
    if (!l.inMatch) out.push(l);
  }
  return out;
}

export function hasDropinInclude(mainConfig: string): boolean {
  return parseConfigLines('/etc/ssh/sshd_config', mainConfig).some(
    (l) => l.keyword === 'include' && !l.inMatch && l.value.split(/\s+/).some((p) => includeMatches(p.startsWith('/') ? p : `/etc/ssh/${p}`, BULWARK_DROPIN)),
  );
}

/** Where sshd takes each single-valued keyword from: the first line that sets it. */
export function firstSetters(lines: readonly ConfigLine[]): Map<string, ConfigLine> {
  const first = new Map<string, ConfigLine>();
  for (const l of lines) if (!ACCUMULATING.has(l.keyword) && !first.has(l.keyword)) first.set(l.keyword, l);
  return first;
}

export interface SshdConflict {
  keyword: string;
  /** Where the winning value comes from. */
  file: string;
  line: number;
  value: string;
}

/**
 * Settings Bulwark wants but that another line, read before its drop-in, decides. With the
 * drop-in in place and first in line, this is empty.
 */
export function conflictsFor(src: SshdSources, wanted: ReadonlyMap<string, string>): SshdConflict[] {
  const withOurs = src.dropins.some((d) => d.path === BULWARK_DROPIN)
    ? src
    : { ...src, dropins: [...src.dropins, { path: BULWARK_DROPIN, content: renderDropin(wanted) }] };
  const first = firstSetters(readOrder(withOurs));
  const out: SshdConflict[] = [];
  for (const [keyword, value] of wanted) {
    if (ACCUMULATING.has(keyword.toLowerCase())) continue;
    const setter = first.get(keyword.toLowerCase());
    if (setter && setter.file !== BULWARK_DROPIN && setter.value.toLowerCase() !== value.toLowerCase()) {
      out.push({ keyword, file: setter.file, line: setter.line, value: setter.value });
    }
  }
  return out;
}

/**
 * The drop-in's text for these settings (keywords as sshd_config(5) spells them). A value with
 * newlines is an accumulating keyword (HostKey): one line per value.
 */
export function renderDropin(settings: ReadonlyMap<string, string>): string {
  const lines = ['# Managed by Bulwark: changes here are replaced on the next apply.', '# sshd uses the first value it reads; this file sorts first in sshd_config.d.'];
  for (const [k, v] of settings) for (const one of v.split('\n')) lines.push(`${k} ${one}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The main config with the drop-in Include as its first directive (as Debian ships it), when it
 * has none: without it the drop-in would never be read.
 */
export function withInclude(mainConfig: string): string {
  if (hasDropinInclude(mainConfig)) return mainConfig;
  return `${DEBIAN_INCLUDE}\n\n${mainConfig}`;
}

/**
 * The main config with lines that would override the drop-in commented out (first value wins,
 * and these come before the Include). Each keeps its text after a Bulwark note.
 */
export function commentOut(text: string, lineNumbers: ReadonlySet<number>): string {
  return text
    .split('\n')
    .map((l, i) => (lineNumbers.has(i + 1) ? `# ${l.trim()}  # disabled by Bulwark: its drop-in decides this setting` : l))
    .join('\n');
}
