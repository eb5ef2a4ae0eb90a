/**
 * `bulwark profile list|show`: the built-in hardening profiles, their controls, the parameters
 * each control runs with (defaults applied) and why, from the guide. No vault needed.
 */
import type { Command } from 'commander';
import { findProfile } from '../../services/hardening/profiles';
import { profileView, profileViews } from '../../services/access';
import type { Run } from '../command';
import { formatTable, printable } from '../output';

function params(p: Record<string, unknown>): string {
  const parts = Object.entries(p).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`);
  return parts.join(' ') || '(defaults)';
}

export function registerProfileCommands(program: Command, run: Run): void {
  const profile = program.command('profile').alias('profiles').description('hardening profiles: named lists of controls with parameters');

  run(profile.command('list').description('list the hardening profiles'), async (ctx) => {
    const views = profileViews();
    ctx.out.result(views, () =>
      formatTable(
        ['ID', 'NAME', 'CONTROLS', 'DESCRIPTION'],
        views.map((v) => [v.id, v.name, v.controls.map((c) => c.id).join(','), v.description].map(printable)),
      ),
    );
  });

  run(profile.command('show').description("a profile's controls, their parameters and why").argument('<ID>', 'profile id (see "bulwark profile list")'), async (ctx, _opts, [id]) => {
    const v = profileView(findProfile(id!));
    ctx.out.result(v, () => {
      const lines = [`${v.id}: ${v.name}`, v.description, ''];
      for (const c of v.controls) {
        lines.push(`${c.id}  ${c.title}${c.kind === 'check' ? ' (check only)' : ''}`);
        lines.push(`  parameters: ${params(c.params)}`);
        lines.push(`  why: ${c.reason}`);
      }
      return printable(lines.join('\n') + '\n');
    });
  });
}
