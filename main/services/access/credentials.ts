/**
 * What Bulwark offers a host when it logs in: the host's login key when it has one (only that
 * key, so a server with MaxAuthTries 3 never sees a parade of wrong keys), else every vault key;
 * then the ssh-agent when one is configured. Keys are labelled with their vault id, so a
 * ConnectionInfo names the exact vault key that worked.
 */
import type { Host } from '../../../shared/domain/host';
import type { CredentialProvider, Credentials, KeyCredential } from '../ssh';
import type { KeyStore } from '../keys';

export interface CredentialSources {
  /** Inventory lookup by name (hops from the inventory carry the host's name). */
  findHost(name: string): Host | undefined;
  keys: KeyStore;
  /** The host's stored login password, tried after keys and the agent. */
  loginPassword?: (hostId: string) => string | undefined;
  /** An ssh-agent socket ($SSH_AUTH_SOCK); none when undefined. */
  agentSocket?: string | undefined;
}

export function vaultCredentials(src: CredentialSources): CredentialProvider {
  return (hop): Credentials => {
    const host = hop.name ? src.findHost(hop.name) : undefined;
    const keys: KeyCredential[] = [];
    const login = host?.loginKeyId ? src.keys.get(host.loginKeyId) : undefined;
    const ids = login ? [login.id] : src.keys.list().map((k) => k.id);
    for (const id of ids) keys.push({ privateKey: src.keys.getPrivate(id).privateKey, label: id });
    const password = host && src.loginPassword?.(host.id);
    return { keys, ...(src.agentSocket ? { agent: src.agentSocket } : {}), ...(password ? { password } : {}) };
  };
}
