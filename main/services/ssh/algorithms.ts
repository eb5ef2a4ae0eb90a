/**
 * What the engine (ssh2) can negotiate, read from ssh2's own lists so it cannot drift from the
 * library version. "offered" is what the engine proposes on every connection (ssh2's defaults:
 * no SHA-1 key exchange, no CBC ciphers); "supported" is everything ssh2 implements.
 *
 * ssh2 does not implement the post-quantum hybrids OpenSSH now prefers (sntrup761x25519-sha512,
 * mlkem768x25519-sha256). A hardening profile that leaves a host with only those would lock
 * Bulwark out, so the hardening code checks its KEX list with kexKeepsEngineAccess().
 */
import * as ssh2 from 'ssh2/lib/protocol/constants.js';

export interface AlgorithmLists {
  kex: string[];
  serverHostKey: string[];
  cipher: string[];
  mac: string[];
  compression: string[];
}

export interface EngineAlgorithms {
  /** Proposed by the engine on every connection, in preference order. */
  offered: AlgorithmLists;
  /** Everything ssh2 implements (superset of offered). */
  supported: AlgorithmLists;
}

/** Key exchanges OpenSSH offers that ssh2 cannot do. */
export const UNSUPPORTED_PQ_KEX: readonly string[] = Object.freeze([
  'mlkem768x25519-sha256',
  'sntrup761x25519-sha512',
  'sntrup761x25519-sha512@openssh.com',
]);

/**
 * The key exchanges the engine offers. A server's KexAlgorithms must keep at least one of these
 * (curve25519-sha256 is the one to keep) or Bulwark can no longer connect.
 */
export const ENGINE_KEX: readonly string[] = Object.freeze([...ssh2.DEFAULT_KEX]);

/** AEAD ciphers carry their own integrity: with one of these the MAC list does not matter. */
const AEAD = new Set(['chacha20-poly1305@openssh.com', 'aes128-gcm@openssh.com', 'aes256-gcm@openssh.com']);

export function algorithms(): EngineAlgorithms {
  return {
    offered: {
      kex: [...ssh2.DEFAULT_KEX],
      serverHostKey: [...ssh2.DEFAULT_SERVER_HOST_KEY],
      cipher: [...ssh2.DEFAULT_CIPHER],
      mac: [...ssh2.DEFAULT_MAC],
      compression: [...ssh2.DEFAULT_COMPRESSION],
    },
    supported: {
      kex: [...ssh2.SUPPORTED_KEX],
      serverHostKey: [...ssh2.SUPPORTED_SERVER_HOST_KEY],
      cipher: [...ssh2.SUPPORTED_CIPHER],
      mac: [...ssh2.SUPPORTED_MAC],
      compression: [...ssh2.SUPPORTED_COMPRESSION],
    },
  };
}

/** Whether ssh2 implements this key exchange at all. */
export function supportsKex(name: string): boolean {
  return ssh2.SUPPORTED_KEX.includes(name);
}

/** True when a server KexAlgorithms list (plain names) still contains one the engine offers. */
export function kexKeepsEngineAccess(serverKex: readonly string[]): boolean {
  return serverKex.some((k) => ENGINE_KEX.includes(k));
}

/** A planned sshd algorithm configuration (plain names, after +/-/^ were applied). */
export interface ServerAlgorithms {
  kex?: readonly string[];
  ciphers?: readonly string[];
  macs?: readonly string[];
  hostKeyAlgorithms?: readonly string[];
}

/**
 * Problems that would stop the engine from connecting to a server configured like this; an empty
 * list means Bulwark keeps access. Lists left undefined are the server's defaults (which always
 * include something the engine speaks).
 */
export function engineAccessProblems(cfg: ServerAlgorithms): string[] {
  const offered = algorithms().offered;
  const problems: string[] = [];
  const common = (server: readonly string[] | undefined, mine: string[]): string[] | undefined =>
    server === undefined ? undefined : server.filter((a) => mine.includes(a));
  const kex = common(cfg.kex, offered.kex);
  if (kex && kex.length === 0) {
    const pq = cfg.kex!.filter((k) => UNSUPPORTED_PQ_KEX.includes(k));
    problems.push(
      `KexAlgorithms has no key exchange the engine speaks${pq.length ? ` (it cannot do ${pq.join(', ')})` : ''}: keep curve25519-sha256`,
    );
  }
  const ciphers = common(cfg.ciphers, offered.cipher);
  if (ciphers && ciphers.length === 0) problems.push(`Ciphers has no cipher the engine speaks: keep one of ${offered.cipher.join(', ')}`);
  const macs = common(cfg.macs, offered.mac);
  const onlyNonAead = ciphers ? ciphers.every((c) => !AEAD.has(c)) : false;
  if (macs && macs.length === 0 && onlyNonAead) problems.push(`MACs has no MAC the engine speaks: keep one of ${offered.mac.join(', ')}`);
  const hk = common(cfg.hostKeyAlgorithms, offered.serverHostKey);
  if (hk && hk.length === 0) problems.push(`HostKeyAlgorithms has no host key algorithm the engine speaks: keep ssh-ed25519`);
  return problems;
}
