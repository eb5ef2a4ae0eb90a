/**
 * Process entry of the `bulwark` CLI. Kept tiny so tests can import index.ts without running it.
 */
import { main } from './index';
import { realIo } from './io';

// `bulwark hosts list | head`: a closed pipe is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

void main(process.argv, realIo()).then((code) => {
  process.exitCode = code;
});
