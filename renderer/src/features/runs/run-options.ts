/** The run form's optional counts (canary, stop after K failures), checked as the contract checks them. */
export type CountResult = { ok: true; value: number | undefined } | { ok: false; error: string };

export function parseOptionalCount(text: string, label: string, max = 10_000): CountResult {
  const t = text.trim();
  if (t === '') return { ok: true, value: undefined };
  if (!/^\d+$/.test(t)) return { ok: false, error: `${label} must be a whole number (or empty for none)` };
  const n = Number(t);
  if (n < 1 || n > max) return { ok: false, error: `${label} must be between 1 and ${max}` };
  return { ok: true, value: n };
}
