// What one measured inventory read returns, whoever made it.
import type { GuestAddresses } from './fleet';

export interface ContenderRun {
  /** The time a user waits for the inventory (for Bulwark the sync itself, in a running app). */
  ms: number;
  /** The child process from spawn to exit (for Ansible the same as ms). */
  processMs: number;
  /** Peak RSS: for Ansible the process's (GNU time); for Bulwark the highest sampled during the sync. */
  maxRssKiB: number;
  /** Bulwark only: RSS just before the sync (Node, tsx, modules, an open vault). */
  rssBeforeKiB?: number;
  /** Per vmid, the IPv4 addresses the contender found. */
  guests: GuestAddresses;
}
