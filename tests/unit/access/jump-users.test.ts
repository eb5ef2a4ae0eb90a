import { describe, expect, it } from 'vitest';
import { jumpUsersOf } from '../../../main/services/access/jump-users';

const host = (name: string, address: string, jumpHost = '', port = 22) => ({ name, address, port, user: 'admin', jumpHost });

describe('jumpUsersOf', () => {
  const bastion = host('bastion', '10.0.0.1');
  const inventory = [
    bastion,
    host('by-name', '10.0.1.1', 'bastion'),
    host('by-address', '10.0.1.2', 'ops@10.0.0.1:22'),
    host('second-hop', '10.0.1.3', 'edge,bastion'),
    host('behind-by-name', '10.0.1.4', 'by-name'), // by-name itself jumps through bastion
    host('other-port', '10.0.1.5', '10.0.0.1:2222'),
    host('elsewhere', '10.0.1.6', '10.9.9.9'),
    host('direct', '10.0.1.7'),
    host('loop-a', '10.0.1.8', 'loop-b'),
    host('loop-b', '10.0.1.9', 'loop-a'),
    host('edge', '192.0.2.1'),
  ];

  it('finds every host whose chain passes through the host, by name, address or several hops', () => {
    expect(jumpUsersOf(bastion, inventory)).toEqual(['by-name', 'by-address', 'second-hop', 'behind-by-name']);
  });

  it('a host nobody jumps through has none; another port on the same address is another sshd', () => {
    expect(jumpUsersOf(host('direct', '10.0.1.7'), inventory)).toEqual([]);
    expect(jumpUsersOf({ address: '10.0.0.1', port: 2222 }, inventory)).toEqual(['other-port']);
    expect(jumpUsersOf(host('edge', '192.0.2.1'), inventory)).toEqual(['second-hop']);
  });
});
