const MOVES: ReadonlySet<string> = new Set(['ArrowLeft', 'ArrowRight', 'Home', 'End']);

/**
 * The tab a key moves to among `count` tabs from `current` (wrapping), or null for keys the
 * tablist leaves to the browser: the WAI-ARIA tabs pattern, where Tab goes on into the panel.
 */
export function tabAfterKey(key: string, current: number, count: number): number | null {
  if (!MOVES.has(key)) return null;
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  return (current + (key === 'ArrowRight' ? 1 : -1) + count) % count;
}
