/** The key service's error constructors, so each message is worded once. */
import { BulwarkError } from '../../../shared/errors';

/** The text is not a key Bulwark can read; `message` says which format was seen. */
export function keyInvalid(message: string): BulwarkError {
  return new BulwarkError('KEY_INVALID', message, { text: message });
}

/** A readable key of a kind Bulwark refuses (DSA, short RSA, other curves, FIDO keys). */
export function keyUnsupported(message: string): BulwarkError {
  return new BulwarkError('KEY_UNSUPPORTED', message, { text: message });
}

export function passphraseRequired(what: string): BulwarkError {
  return new BulwarkError('KEY_PASSPHRASE_REQUIRED', `${what} is protected by a passphrase: enter it to import the key.`, {
    passphrase: 'required for this key',
  });
}

export function wrongKeyPassphrase(what: string): BulwarkError {
  return new BulwarkError('KEY_WRONG_PASSPHRASE', `Wrong passphrase for ${what}.`, { passphrase: 'wrong passphrase' });
}
