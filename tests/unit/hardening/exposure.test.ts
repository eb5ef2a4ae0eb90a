import { describe, expect, it } from 'vitest';
import { exposure, exposureParams } from '../../../main/services/hardening/controls/exposure';
import { parseListening } from '../../../main/services/hardening/facts';
import { debianFacts } from './facts-fixture';

const login = { user: 'admin', port: 22, method: 'publickey' as const, pinnedKeyTypes: [] };

const SS = `tcp   LISTEN 0      128          0.0.0.0:22        0.0.0.0:*    users:(("sshd",pid=120,fd=3))
tcp   LISTEN 0      128             [::]:22           [::]:*    users:(("sshd",pid=120,fd=4))
tcp   LISTEN 0      4096       127.0.0.1:11434     0.0.0.0:*    users:(("ollama",pid=300,fd=3))
tcp   LISTEN 0      511          0.0.0.0:8080      0.0.0.0:*    users:(("python3",pid=401,fd=3))
udp   UNCONN 0      0      192.168.1.5%eth0:5353   0.0.0.0:*    users:(("avahi-daemon",pid=90,fd=12))
tcp   LISTEN 0      4096               *:8006            *:*    users:(("pveproxy",pid=1500,fd=6))`;

describe('exposure audit', () => {
  it('parses ss output: IPv6 brackets, %interface suffixes, wildcard addresses', () => {
    expect(parseListening(SS)).toEqual([
      { proto: 'tcp', address: '0.0.0.0', port: 22, process: 'sshd' },
      { proto: 'tcp', address: '::', port: 22, process: 'sshd' },
      { proto: 'tcp', address: '127.0.0.1', port: 11434, process: 'ollama' },
      { proto: 'tcp', address: '0.0.0.0', port: 8080, process: 'python3' },
      { proto: 'udp', address: '192.168.1.5', port: 5353, process: 'avahi-daemon' },
      { proto: 'tcp', address: '*', port: 8006, process: 'pveproxy' },
    ]);
  });

  it('flags everything but SSH on non-loopback addresses; allowed ports are expected', () => {
    const facts = debianFacts({ listening: parseListening(SS) });
    const c = exposure.check({ facts, login }, exposureParams.parse({}));
    expect(c.status).toBe('drift');
    expect(c.evidence).toEqual([
      'expected: tcp 0.0.0.0:22 (sshd)',
      'expected: tcp [::]:22 (sshd)',
      'exposed: tcp 0.0.0.0:8080 (python3)',
      'exposed: udp 192.168.1.5:5353 (avahi-daemon)',
      'exposed: tcp *:8006 (pveproxy)',
    ]);
    const allowed = exposure.check({ facts: debianFacts({ listening: parseListening(SS).filter((s) => s.port !== 8080 && s.port !== 5353) }), login }, exposureParams.parse({ allowedPorts: [8006] }));
    expect(allowed.status).toBe('compliant');
  });
});
