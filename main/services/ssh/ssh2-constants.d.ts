/**
 * ssh2 keeps its algorithm lists in an internal module that @types/ssh2 does not describe.
 * ssh2 has no `exports` map, so the path resolves; only what algorithms.ts reads is declared.
 */
declare module 'ssh2/lib/protocol/constants.js' {
  export const DEFAULT_KEX: readonly string[];
  export const SUPPORTED_KEX: readonly string[];
  export const DEFAULT_SERVER_HOST_KEY: readonly string[];
  export const SUPPORTED_SERVER_HOST_KEY: readonly string[];
  export const DEFAULT_CIPHER: readonly string[];
  export const SUPPORTED_CIPHER: readonly string[];
  export const DEFAULT_MAC: readonly string[];
  export const SUPPORTED_MAC: readonly string[];
  export const DEFAULT_COMPRESSION: readonly string[];
  export const SUPPORTED_COMPRESSION: readonly string[];
  export const curve25519Supported: boolean;
  export const eddsaSupported: boolean;
}
