/** Proxmox answers in their version and guest-type variants (shapes as documented in the API viewer). */
import { describe, expect, it } from 'vitest';
import { agentAddresses, agentInterfacesSchema, clusterResourcesSchema, lxcAddresses, lxcInterfacesSchema, permissionsSchema, configuredAddresses } from '../../../main/services/proxmox/schemas';

describe('Proxmox answer schemas', () => {
  it('cluster resources: 0/1 booleans, vmid as number or string, ;-tags, unknown entries with fields missing', () => {
    const data = clusterResourcesSchema.parse([
      { id: 'node/pve1', type: 'node', node: 'pve1', status: 'online', cpu: 0.03, maxcpu: 8, mem: 3.2e9, maxmem: 3.4e10, uptime: 86400 },
      { id: 'qemu/100', type: 'qemu', node: 'pve1', vmid: 100, name: 'web', status: 'running', template: 0, tags: 'web;prod', cpu: 0.01, maxmem: 4294967296, uptime: 3600, diskread: 1 },
      { id: 'lxc/101', type: 'lxc', node: 'pve1', vmid: '101', name: 'dns', status: 'stopped', template: '0', tags: 'infra, dns' },
      { id: 'qemu/105', type: 'qemu', node: 'pve2', vmid: 105, status: 'unknown' },
      { id: 'storage/pve1/local', type: 'storage', node: 'pve1', status: 'available' },
    ]);
    expect(data.map((r) => [r.type, r.vmid, r.tags, r.template])).toEqual([
      ['node', undefined, [], undefined],
      ['qemu', 100, ['web', 'prod'], false],
      ['lxc', 101, ['infra', 'dns'], false],
      ['qemu', 105, [], undefined],
      ['storage', undefined, [], undefined],
    ]);
    expect([data[3]!.status, data[3]!.name, data[3]!.maxmem]).toEqual(['unknown', undefined, undefined]);
  });

  it('guest agent addresses: ipv4 and ipv6 typed, loopback and link-local left out', () => {
    const data = agentInterfacesSchema.parse({
      result: [
        { name: 'lo', 'ip-addresses': [{ 'ip-address': '127.0.0.1', 'ip-address-type': 'ipv4', prefix: 8 }] },
        {
          name: 'ens18',
          'hardware-address': 'bc:24:11:00:00:01',
          'ip-addresses': [
            { 'ip-address': '10.213.1.11', 'ip-address-type': 'ipv4', prefix: 24 },
            { 'ip-address': 'fe80::be24:11ff:fe00:1', 'ip-address-type': 'ipv6', prefix: 64 },
            { 'ip-address': 'fd00::11', 'ip-address-type': 'ipv6', prefix: 64 },
          ],
        },
        { name: 'docker0' },
      ],
    });
    expect(agentAddresses(data)).toEqual([
      { interface: 'ens18', address: '10.213.1.11', family: 4, prefix: 24 },
      { interface: 'ens18', address: 'fd00::11', family: 6, prefix: 64 },
    ]);
  });

  it('LXC interfaces: inet/inet6 strings, or ip-addresses on newer servers', () => {
    const old = lxcInterfacesSchema.parse([
      { name: 'lo', inet: '127.0.0.1/8', inet6: '::1/128', hwaddr: '00:00:00:00:00:00' },
      { name: 'eth0', inet: '10.213.1.12/24', inet6: 'fe80::1/64', hwaddr: 'bc:24:11:00:00:02' },
    ]);
    expect(lxcAddresses(old)).toEqual([{ interface: 'eth0', address: '10.213.1.12', family: 4, prefix: 24 }]);
    const fresh = lxcInterfacesSchema.parse([{ name: 'eth0', hwaddr: 'bc:24:11:00:00:02', 'ip-addresses': [{ 'ip-address': '10.213.1.12', 'ip-address-type': 'inet', prefix: 24 }] }]);
    expect(lxcAddresses(fresh)).toEqual([{ interface: 'eth0', address: '10.213.1.12', family: 4, prefix: 24 }]);
    // a container that stopped between the list and this read answers null
    expect(lxcAddresses(lxcInterfacesSchema.parse(null))).toEqual([]);
  });

  it('permissions: path -> privilege -> granted', () => {
    expect(permissionsSchema.parse({ '/': { 'Sys.Audit': 1, 'Sys.Modify': 0 }, '/vms': { 'VM.Audit': 1 } })).toEqual({ '/': { 'Sys.Audit': true, 'Sys.Modify': false }, '/vms': { 'VM.Audit': true } });
  });
});

describe('configuredAddresses', () => {
  it('reads cloud-init ipconfigN of a VM, in interface order; dhcp, auto and bad values say nothing', () => {
    const config = { ipconfig1: 'ip=10.0.1.5/16', ipconfig0: 'ip=192.168.1.60/24,gw=192.168.1.1,ip6=auto', ipconfig2: 'ip=dhcp,ip6=dhcp', ipconfig3: 'ip=300.1.1.1/24', net0: 'virtio=BC:24:11:00:00:01,bridge=vmbr0', ostype: 'l26' };
    expect(configuredAddresses('qemu', config)).toEqual([
      { interface: 'net0', address: '192.168.1.60', family: 4, prefix: 24 },
      { interface: 'net1', address: '10.0.1.5', family: 4, prefix: 16 },
    ]);
  });

  it("reads a container's netN ip= and ip6=, named as inside the container; no link-local or loopback", () => {
    const config = { net0: 'name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:02,ip=192.168.1.53/24,gw=192.168.1.1,ip6=fd00::53/64,type=veth', net1: 'name=eth1,bridge=vmbr1,ip=manual,ip6=fe80::1/64', net2: 'name=lo2,ip=127.0.0.2/8' };
    expect(configuredAddresses('lxc', config)).toEqual([
      { interface: 'eth0', address: '192.168.1.53', family: 4, prefix: 24 },
      { interface: 'eth0', address: 'fd00::53', family: 6, prefix: 64 },
    ]);
    // ipconfigN means nothing to a container, netN carries no address in a VM
    expect(configuredAddresses('lxc', { ipconfig0: 'ip=10.0.0.1/24' })).toEqual([]);
    expect(configuredAddresses('qemu', { net0: 'virtio=BC:24:11:00:00:01,bridge=vmbr0,ip=10.0.0.1/24' })).toEqual([]);
  });
});
