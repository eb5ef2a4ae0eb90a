/** The inventory service: hosts and Proxmox nodes in the vault, plus import/export. */
export { HostStore, type HostSelection } from './hosts';
export { type EndpointPin, ProxmoxNodeStore, PVE_NODE_KIND, toView as toProxmoxNodeView } from './proxmox-nodes';
export { HOST_KIND } from './host-fields';
export { HostSecrets, HOST_SECRET_KIND, MAX_SUDO_PASSWORD, sudoPasswordProblem, type HostSecretName } from './host-secrets';
export { parseSshConfig, type ParsedSshConfig, type SshConfigEntry, type SshConfigImportOptions } from './ssh-config-import';
export {
  prepareSshConfigImport,
  type PreparedSshConfigImport,
  type SshConfigKeysOptions,
  type SshConfigStores,
  type UnlockOutcome,
} from './ssh-config-keys';
export { expandIdentityFile, type IdentityContext, type ExpandedIdentity } from './ssh-config-identity';
export { nodeKeyFiles, type KeyFileReader, type KeyFileRead } from './key-files';
export { nodeConfigFiles, type ConfigFiles } from './ssh-config-include';
export { parseAnsibleInventory, detectInventoryFormat, type InventoryFormat } from './ansible-inventory';
export { exportAnsibleInventory } from './ansible-export';
export { applyImport, importAnsibleInventory, importSshConfig, importSshConfigWithKeys } from './importers';
export type { ImportEntry, ParsedImport, RecordStore } from './types';
