/**
 * A yes/no question on the terminal (echoed, unlike secrets). Only "yes" or "y" goes ahead;
 * Ctrl-C ends the run with 130, end of input counts as no.
 */
import readline from 'node:readline';
import type { SecretInput, TextSink } from './io';
import { Interrupted } from './passphrase';

export type LinePrompt = (input: SecretInput, output: TextSink, prompt: string) => Promise<string>;

export const promptLine: LinePrompt = (input, output, prompt) =>
  new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input, output: output as NodeJS.WritableStream, terminal: input.isTTY === true });
    let settled = false;
    const done = (fn: () => void) => {
      if (settled) return;
      settled = true;
      rl.close();
      fn();
    };
    rl.on('SIGINT', () => done(() => reject(new Interrupted())));
    rl.on('close', () => done(() => resolve('')));
    rl.question(prompt, (answer) => done(() => resolve(answer)));
  });

export function isYes(answer: string): boolean {
  return /^(y|yes)$/i.test(answer.trim());
}
