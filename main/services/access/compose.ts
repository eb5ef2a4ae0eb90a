/**
 * The stores and SSH access over one vault, wired the same way for the app and the CLI: the key
 * store refuses to delete a key hosts log in with, secrets belong to existing hosts, and the
 * engine takes its credentials from all of them.
 */
import { HostSecrets, HostStore } from '../inventory';
import { KeyStore } from '../keys';
import type { Vault } from '../vault';
import { FleetAccess, type FleetAccessOptions } from './fleet-access';

export interface HostAccessServices {
  hosts: HostStore;
  hostSecrets: HostSecrets;
  keys: KeyStore;
  access: FleetAccess;
}

export function composeHostAccess(vault: Vault, o: Pick<FleetAccessOptions, 'agentSocket' | 'engine'> = {}): HostAccessServices {
  const hosts = new HostStore(vault);
  const hostSecrets = new HostSecrets(vault, (id) => hosts.get(id) !== undefined);
  const keys = new KeyStore(vault, { loginKeyOf: (id) => hosts.usingLoginKey(id).map((h) => h.name) });
  const access = new FleetAccess({
    vault,
    hosts,
    keys,
    secrets: hostSecrets,
    agentSocket: o.agentSocket,
    ...(o.engine ? { engine: o.engine } : {}),
  });
  return { hosts, hostSecrets, keys, access };
}
