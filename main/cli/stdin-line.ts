/**
 * One secret line from a piped stdin (`printf '%s\n' "$PW" | bulwark hosts set-sudo-password web1`).
 * Reads to end of file so that a second line is noticed: more than one line is refused rather
 * than silently cut, since it usually means the wrong file was piped in.
 */
import { CliError, usageError } from './errors';
import { ExitCode } from './exit-codes';

/** Far above any password the vault accepts; stops a mistaken `< big.iso` early. */
const MAX_INPUT = 64 * 1024;

export async function readOneLine(input: AsyncIterable<string | Buffer>, what: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of input) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      size += b.length;
      chunks.push(b);
      if (size > MAX_INPUT) throw usageError(`stdin is too large to be a ${what} (over ${MAX_INPUT / 1024} KiB)`);
    }
    const all = Buffer.concat(chunks);
    const text = all.toString('utf8').replace(/^\uFEFF/, '');
    all.fill(0);
    const [line = '', ...rest] = text.split(/\r?\n/);
    const first = line.replace(/\r$/, '');
    if (rest.some((l) => l !== '')) throw new CliError(ExitCode.VALIDATION, `stdin must hold the ${what} on one line; it has several`);
    if (first === '') throw usageError(`no ${what} on stdin (pipe it in, one line, or run on a terminal to be asked)`);
    return first;
  } finally {
    for (const b of chunks) b.fill(0);
  }
}
