// Public shapes of the Proxmox VE API simulator (see README.md).
import type { PrivilegeMap } from './privileges';

export interface SimNode {
  name: string;
  online?: boolean;
  ip: string;
  cpu?: number;
  maxcpu?: number;
  mem?: number;
  maxmem?: number;
  uptime?: number;
}

export interface SimGuestInterface {
  name: string;
  mac?: string;
  ipv4?: string[]; // "10.0.0.5/24" or "10.0.0.5" (prefix 24 assumed)
  ipv6?: string[];
}

export interface SimGuest {
  vmid: number;
  node: string;
  type: 'qemu' | 'lxc';
  name: string;
  status: 'running' | 'stopped';
  tags?: string[];
  agent?: 'running' | 'not-running' | 'disabled'; // qemu only
  interfaces?: SimGuestInterface[];
  /** qemu `ostype` (l26, win11…) or the container's distribution (debian, alpine…). */
  ostype?: string;
  /** qemu cloud-init `ipconfigN` values, e.g. "ip=192.168.1.60/24,gw=192.168.1.1" or "ip=dhcp". */
  ipconfig?: string[];
  cpu?: number;
  maxcpu?: number;
  mem?: number;
  maxmem?: number;
  uptime?: number;
  /** Snapshots, oldest first: each one's parent is the one before it, the current state's parent is the last. */
  snapshots?: SimSnapshot[];
}

/** One `[snapname]` section of a guest's config file, as the snapshot list reports it. */
export interface SimSnapshot {
  name: string;
  description?: string;
  /** Epoch seconds. */
  snaptime?: number;
  /** qemu only: the snapshot includes RAM. */
  vmstate?: boolean;
}

/** A resource pool of user.cfg (guests only; storage members are not simulated). */
export interface SimPool {
  poolid: string;
  comment?: string;
  vmids: number[];
}

export interface SimToken {
  id: string; // user@realm!tokenid
  secret: string;
  privileges: PrivilegeMap;
}

export interface SimUser {
  userid: string; // root@pam
  password: string;
  privileges: PrivilegeMap;
  /** Has a second factor: a right password gets only a "!tfa!" ticket plus NeedTFA: 1. */
  tfa?: boolean;
}

export interface PveSimOptions {
  version?: 8 | 9;
  clusterName?: string | null;
  nodes?: SimNode[];
  guests?: SimGuest[];
  tokens?: SimToken[];
  users?: SimUser[];
  authFailDelayMs?: number;
  safetyNetSeconds?: number;
  localNetwork?: string;
  ticketLifetimeSeconds?: number;
  /**
   * Judge every request, not only new connections: an already open connection is cut too, as
   * when the firewall's state table is flushed. Default false (established connections survive).
   */
  statelessFirewall?: boolean;
  /** Resource pools (`GET /pools`, `GET /pools/{poolid}`). Default none. */
  pools?: SimPool[];
  /**
   * Milliseconds every answer waits before it is handled, standing in for the node's own work
   * per request (real pveproxy: roughly 10-50 ms). Default 0. Requests are still served
   * concurrently.
   */
  latencyMs?: number;
  /**
   * Extra milliseconds for calls that reach into a guest: the QEMU guest agent
   * (`…/agent/…`, a QMP round trip to the agent) and a container's `/interfaces` (PVE runs
   * `nsenter … ip --json a`). Added to `latencyMs`. Default 0.
   */
  guestAgentLatencyMs?: number;
}

/** One line of cluster.fw [RULES]; `pos` is never stored, it is the index. */
export interface FirewallRule {
  type: 'in' | 'out' | 'group';
  action: string; // ACCEPT | DROP | REJECT, or a security group name for type=group
  enable?: number;
  macro?: string;
  proto?: string;
  dport?: string;
  sport?: string;
  source?: string;
  dest?: string;
  iface?: string;
  comment?: string;
  log?: string;
}

export interface IpsetEntry {
  cidr: string;
  comment?: string;
  nomatch?: number;
}

export interface Ipset {
  name: string;
  comment?: string;
  entries: IpsetEntry[];
}

export interface FirewallState {
  /** Keys as stored in cluster.fw [OPTIONS]; absent keys take PVE's defaults (policy_in DROP, policy_out ACCEPT, enable 0). */
  options: Record<string, string | number>;
  rules: FirewallRule[];
  ipsets: Ipset[];
}

export interface SimState {
  version: 8 | 9;
  clusterName: string | null;
  /** nodes[0] is the node that serves the API (the one the client talks to). */
  nodes: SimNode[];
  guests: SimGuest[];
  firewall: FirewallState;
  localNetwork: string;
  safetyNetSeconds: number;
  /** Resource pools; absent means none (optional so hand-built states stay valid). */
  pools?: SimPool[];
}

export type WriteTarget = 'options' | 'rules' | `ipset:${string}`;

export interface SimRequestRecord {
  method: string;
  path: string;
  auth: 'token' | 'ticket' | 'none';
  status: number;
}

export interface PveSim {
  url: string;
  fingerprint(): string;
  caFingerprint(): string;
  caPem(): string;
  certPem(): string;
  /** A new node certificate from the same CA (a renewal) or from a new CA (a re-created cluster). */
  rotateCertificate(o: { sameCa: boolean }): void;
  /** Serves a certificate the cluster CA did not issue, as pveproxy-ssl.pem (uploaded or ACME). */
  installCustomCertificate(): void;
  state: SimState;
  changeBeforeNextWrite(target: WriteTarget): void;
  requests: SimRequestRecord[];
  /** Connections the simulated firewall dropped before TLS (no answer at all). */
  droppedConnections: number;
  close(): Promise<void>;
}
