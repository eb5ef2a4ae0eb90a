/**
 * Stores holding decrypted vault data register a reset here. When the vault locks, the vault
 * store calls clearSensitive() once and every such store forgets its data, including stores
 * added later (keys, runs, logs) without the vault store having to know them.
 */
const resets = new Set<() => void>();

export function registerSensitive(reset: () => void): void {
  resets.add(reset);
}

export function clearSensitive(): void {
  for (const reset of resets) reset();
}
