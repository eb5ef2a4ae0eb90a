// The initial mutable model built from PveSimOptions.
import type { PveSimOptions, SimState } from './types';

export function createState(o: PveSimOptions): SimState {
  return {
    version: o.version ?? 8,
    clusterName: o.clusterName === undefined ? 'homelab' : o.clusterName,
    nodes: o.nodes ?? [{ name: 'pve1', ip: '127.0.0.1' }],
    guests: o.guests ?? [],
    // A fresh cluster.fw has no options at all: the firewall is off, policy_in DROP and policy_out ACCEPT by default.
    firewall: { options: {}, rules: [], ipsets: [] },
    localNetwork: o.localNetwork ?? '192.168.1.0/24',
    safetyNetSeconds: o.safetyNetSeconds ?? 60,
    pools: o.pools ?? [],
  };
}
