/**
 * Ctrl-C during SSH work. The first SIGINT aborts the work through an AbortSignal: the engine
 * kills remote commands it started and fails whatever has not finished with ABORTED, so the
 * command can still report what each host did. The handler is removed after the first one, so a
 * second Ctrl-C ends the process the default way if anything refuses to stop.
 */
import type { CliIo, InterruptSource } from './io';

export const processInterrupts: InterruptSource = {
  onInterrupt(handler) {
    process.once('SIGINT', handler);
    return () => process.removeListener('SIGINT', handler);
  },
};

export interface Interruptible<T> {
  value: T;
  /** Whether Ctrl-C was pressed while fn ran. */
  interrupted: boolean;
}

/** Runs fn with a signal that Ctrl-C aborts. */
export async function withInterrupt<T>(io: CliIo, fn: (signal: AbortSignal) => Promise<T>): Promise<Interruptible<T>> {
  const controller = new AbortController();
  const stop = (io.interrupts ?? processInterrupts).onInterrupt(() => {
    io.stderr.write('\nbulwark: interrupted; stopping (press Ctrl-C again to quit at once)\n');
    controller.abort();
  });
  try {
    const value = await fn(controller.signal);
    return { value, interrupted: controller.signal.aborted };
  } finally {
    stop();
  }
}
