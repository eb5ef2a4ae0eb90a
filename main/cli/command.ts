/**
 * Glue between commander and the commands: every action gets a CliContext built from the
 * global options, its own options and its positional arguments.
 */
import type { Command } from 'commander';
import { CliContext, type GlobalOptions } from './context';
import type { CliIo } from './io';
import type { HiddenPrompt } from './passphrase';
import { kdfFromEnv } from './services';

export type Action = (ctx: CliContext, opts: Record<string, unknown>, args: string[]) => Promise<void>;
export type Run = (cmd: Command, action: Action) => Command;

export function actionRunner(io: CliIo, prompt?: HiddenPrompt, argv: readonly string[] = []): Run {
  return (cmd, action) =>
    cmd.action(async (...received: unknown[]) => {
      kdfFromEnv(io.env); // refuse a misplaced test setting before prompting for anything
      const command = received[received.length - 1] as Command;
      const globals = command.optsWithGlobals<GlobalOptions & Record<string, unknown>>();
      const ctx = new CliContext(io, { vault: globals.vault, json: globals.json, passphraseFile: globals.passphraseFile }, prompt, argv);
      const args = (command.processedArgs as unknown[]).flatMap((a) => (Array.isArray(a) ? (a as string[]) : [a as string]));
      await action(ctx, command.opts(), args);
    });
}
