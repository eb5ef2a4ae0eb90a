/**
 * Output helpers. Human output is aligned text; with --json, stdout carries exactly one JSON
 * document and nothing else (notices and prompts always go to stderr).
 */
import type { TextSink } from './io';

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [headers, ...rows];
  const widths = headers.map((_, col) => Math.max(...all.map((r) => displayWidth(r[col] ?? ''))));
  const lines = all.map((row) =>
    row
      .map((cell, col) => (col === row.length - 1 ? cell : cell + ' '.repeat(widths[col]! - displayWidth(cell))))
      .join('  ')
      .trimEnd(),
  );
  return lines.join('\n') + '\n';
}

/** Code points, not UTF-16 units, so accented names line up. */
function displayWidth(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Strips control characters so text read from files cannot drive the terminal. */
export function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');
}

export class Output {
  constructor(
    private readonly stdout: TextSink,
    private readonly stderr: TextSink,
    readonly json: boolean,
  ) {}

  /** Human text on stdout; suppressed in --json mode. */
  text(s: string): void {
    if (!this.json) this.stdout.write(s.endsWith('\n') ? s : s + '\n');
  }

  /** The single JSON document of a --json run. */
  data(value: unknown): void {
    this.stdout.write(JSON.stringify(value, null, 2) + '\n');
  }

  /** Either the JSON value (--json) or the human text. */
  result(value: unknown, human: () => string): void {
    if (this.json) this.data(value);
    else this.text(human());
  }

  /** Raw bytes for stdout (e.g. an exported inventory), same in both modes. */
  raw(s: string): void {
    this.stdout.write(s);
  }

  /** Notices, warnings and prompts: stderr, in both modes. */
  note(s: string): void {
    this.stderr.write(s.endsWith('\n') ? s : s + '\n');
  }
}
