/** The SSH key service: generation, import, fingerprints, the vault store, authorized_keys editing. */
export { KeyStore, SSH_KEY_KIND, toKeyView, type ImportResult } from './store';
export { generateKeyPair, GENERATE_BITS, type GenerateOptions } from './generate';
export { importPrivateKey, MAX_KEY_TEXT, type ImportedKey } from './import';
export {
  fingerprintOf,
  fingerprintLine,
  publicKeyLine,
  parsePublicKeyLine,
  FINGERPRINT_PATTERN,
  type PublicKeyInfo,
} from './fingerprint';
export {
  parseAuthorizedKeys,
  addKey,
  removeKey,
  findKey,
  checkAuthorizedKeyLine,
  type AuthorizedKeyEntry,
  type AuthorizedKeyOption,
  type AuthorizedKeysLineKind,
  type KeyTarget,
} from './authorized-keys';
export { formatOption, parseOptions } from './authorized-keys-options';
export {
  deployKeyScript,
  removeKeyScript,
  parseKeyScriptOutput,
  KEY_SCRIPT_EXIT,
  type DeployScriptOptions,
  type RemoveScriptOptions,
  type KeyScriptOutcome,
} from './remote-script';
export { MIN_RSA_BITS, RECOMMENDED_RSA_BITS } from './material';
export { DEFAULT_KDF_ROUNDS, MAX_KDF_ROUNDS } from './openssh-private';
export {
  generateKeyInputSchema,
  importKeyInputSchema,
  type GenerateKeyInput,
  type ImportKeyInput,
} from '../../../shared/domain/keys';
export { KEY_TYPES, KEY_SOURCES } from './types';
export type { KeyType, KeySource, KeyPairText, SshKeyRecord, SshKeyView, PrivateKeyFormat } from './types';
export { KeyFleetOps } from './fleet-ops';
export type { AuditRow, DeployHostResult, FleetHostRef, FleetOpName, FleetPhase, FleetProgress, KeyFleetOpsOptions } from './fleet-ops';
export type { FleetError, FleetErrorCode, FleetOpResult, FleetSummary } from './fleet-results';
