/** bcrypt-pbkdf ships no types; it comes with ssh2 (which uses it for the same purpose). */
declare module 'bcrypt-pbkdf' {
  /** OpenBSD's bcrypt_pbkdf(3). Fills `key`; returns 0 on success, -1 on bad arguments. */
  export function pbkdf(
    pass: Uint8Array,
    passlen: number,
    salt: Uint8Array,
    saltlen: number,
    key: Uint8Array,
    keylen: number,
    rounds: number,
  ): number;
}
