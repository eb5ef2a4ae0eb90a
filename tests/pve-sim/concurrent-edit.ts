// Simulates another admin saving cluster.fw between a client's read and its write, so the
// client's digest no longer matches. Each edit is harmless to the firewall's behaviour.
import { findIpset } from './firewall';
import type { SimState, WriteTarget } from './types';

export function applyConcurrentEdit(state: SimState, target: WriteTarget): void {
  const fw = state.firewall;
  if (target === 'options') {
    fw.options.ebtables = Number(fw.options.ebtables ?? 1) === 1 ? 0 : 1;
  } else if (target === 'rules') {
    fw.rules.push({ type: 'in', action: 'DROP', proto: 'tcp', dport: '9', enable: 0, comment: 'concurrent edit' });
  } else {
    const name = target.slice('ipset:'.length);
    const ipset = findIpset(state, name) ?? { name, entries: [] };
    if (!fw.ipsets.includes(ipset)) fw.ipsets.push(ipset);
    ipset.entries.push({ cidr: `192.0.2.${ipset.entries.length + 1}`, comment: 'concurrent edit' });
  }
}
