/**
 * The controls as the profile editor offers them: each one's parameters as JSON Schema, made
 * from the very zod schema a profile is checked with (so the form and the check cannot
 * disagree), and the parameters it runs with when none are given.
 */
import type { ControlCatalogEntry } from '../../../shared/domain/hardening';
import { z } from '../../../shared/zod';
import type { Control } from './control';
import { CONTROLS } from './controls';

export function catalogEntry(control: Control): ControlCatalogEntry {
  // io 'input': fields with a default are optional, which is what a form may leave out
  const paramsSchema = z.toJSONSchema(control.params, { io: 'input' }) as Record<string, unknown>;
  const defaults = control.params.parse({}) as Record<string, unknown>;
  return { id: control.id, title: control.title, reason: control.reason, kind: control.kind, paramsSchema, defaults: { ...defaults } };
}

export function controlCatalog(): ControlCatalogEntry[] {
  return [...CONTROLS.values()].map(catalogEntry);
}
