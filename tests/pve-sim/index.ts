// Entry point of the Proxmox VE API simulator used by Bulwark's Proxmox client tests.
export { startPveSim } from './server';
export { inboundAllowed, readOptions as readFirewallOptions } from './firewall';
export type { PrivilegeMap } from './privileges';
export type {
  FirewallRule, FirewallState, Ipset, IpsetEntry, PveSim, PveSimOptions, SimGuest, SimGuestInterface,
  SimNode, SimPool, SimRequestRecord, SimSnapshot, SimState, SimToken, SimUser, WriteTarget,
} from './types';
