/** How Bulwark reaches hosts: vault credentials, one engine while unlocked, fleet operations. */
export { FleetAccess, type FleetAccessOptions } from './fleet-access';
export { vaultCredentials, type CredentialSources } from './credentials';
export { composeHostAccess, type HostAccessServices } from './compose';
export { profileView, profileViews, runAccessOf, runProfile, type ProfileRunOptions } from './run-access';
