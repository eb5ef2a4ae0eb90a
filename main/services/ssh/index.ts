/**
 * The SSH engine. Other services and the IPC layer import from here only.
 * See engine.ts for the facade; host keys (host-keys.ts) are always verified.
 */
export { SshEngine } from './engine';
export type { ConnectionInfo, ExecResult, ProbeResult, SshEngineOptions, SudoOptions } from './engine';
export type { ExecOptions, StdinReply } from './exec';
export type { UploadOptions, UploadResult } from './sftp';
export { AUTH_ORDER } from './auth';
export type { AuthMethodName, AuthResult, CredentialProvider, Credentials, KeyCredential } from './auth';
export type { SshEvent } from './connect';
export type { Hop } from './errors';
export { HOST_KEY_KIND, HostKeyStore } from './host-keys';
export type { HostKeyCheck, HostKeyRecord, HostKeyVault, KnownHostsImportReport } from './host-keys';
export { fingerprintOf, parseHostPublicKey } from './host-key-blob';
export { hashKnownHostsName, knownHostsName, parseKnownHosts } from './known-hosts';
export { parseJumpSpec, resolveChain, targetFromHost } from './jump';
export type { InventoryHostRef, ResolveHostName, SshTarget } from './jump';
export { shellJoin, shellQuote } from './quote';
export { sudoCommand } from './sudo';
export {
  ENGINE_KEX,
  UNSUPPORTED_PQ_KEX,
  algorithms,
  engineAccessProblems,
  kexKeepsEngineAccess,
  supportsKex,
} from './algorithms';
export type { AlgorithmLists, EngineAlgorithms, ServerAlgorithms } from './algorithms';
export { HostLocks } from './host-locks';
