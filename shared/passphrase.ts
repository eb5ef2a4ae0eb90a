/**
 * Passphrase strength estimate shown while a user types and enforced when the vault is created.
 * A coarse entropy estimate with penalties for the patterns guessers try first; it errs on the
 * side of calling a passphrase weak.
 */
export interface Strength {
  /** 0 (very weak) .. 4 (strong) */
  score: 0 | 1 | 2 | 3 | 4;
  bits: number;
  feedback: string;
}

export const MIN_ACCEPTED_SCORE = 2;

const COMMON = ['password', 'passw0rd', 'letmein', 'qwerty', 'admin', 'welcome', 'proxmox', 'bulwark', 'changeme', 'iloveyou', 'dragon', 'monkey', 'secret', 'root', 'abc123', '123456'];

export function estimateStrength(passphrase: string): Strength {
  if (passphrase.length === 0) return { score: 0, bits: 0, feedback: 'Enter a passphrase.' };
  let pool = 0;
  if (/[a-z]/.test(passphrase)) pool += 26;
  if (/[A-Z]/.test(passphrase)) pool += 26;
  if (/[0-9]/.test(passphrase)) pool += 10;
  if (/[^A-Za-z0-9]/.test(passphrase)) pool += 33;
  // count runs of the same or consecutive characters only once
  let effective = 0;
  for (let i = 0; i < passphrase.length; i++) {
    const prev = i > 0 ? passphrase.charCodeAt(i - 1) : -10;
    const d = Math.abs(passphrase.charCodeAt(i) - prev);
    effective += d <= 1 ? 0.25 : 1;
  }
  let bits = effective * Math.log2(Math.max(pool, 2));
  const lower = passphrase.toLowerCase();
  const common = COMMON.find((w) => lower.includes(w));
  if (common) bits -= common.length * Math.log2(pool) * 0.8;
  const uniq = new Set(passphrase).size;
  if (uniq <= 3) bits = Math.min(bits, 10);
  bits = Math.max(0, Math.round(bits));
  const score = (bits < 28 ? 0 : bits < 45 ? 1 : bits < 60 ? 2 : bits < 80 ? 3 : 4) as Strength['score'];
  const feedback = common
    ? `Avoid common words like "${common}".`
    : score < MIN_ACCEPTED_SCORE
      ? 'Too easy to guess: use four or more random words, or a longer mix of characters.'
      : score < 4
        ? 'Acceptable. A longer passphrase is stronger.'
        : 'Strong.';
  return { score, bits, feedback };
}
