import { describe, expect, it } from 'vitest';
import { sshdStrict, sshdStrictParams } from '../../../main/services/hardening/controls/sshd-strict';
import { planHost } from '../../../main/services/hardening/host-plan';
import { debianFacts } from './facts-fixture';

const login = { user: 'admin', port: 22, method: 'publickey' as const, pinnedKeyTypes: ['ssh-ed25519'] };
const sel = (p: object = {}) => [{ control: sshdStrict, params: sshdStrictParams.parse(p) }];

describe('sshd strict control', () => {
  it('writes the strict lists, two HostKey lines and filters small DH groups', () => {
    const p = planHost({ facts: debianFacts(), login }, sel());
    const dropin = p.files.find((f) => f.path.endsWith('00-bulwark.conf'))!.after!;
    expect(dropin).toMatch(/^KexAlgorithms sntrup761x25519-sha512@openssh\.com,curve25519-sha256,/m);
    expect(dropin).toMatch(/^HostKey \/etc\/ssh\/ssh_host_ed25519_key\nHostKey \/etc\/ssh\/ssh_host_rsa_key$/m);
    expect(dropin).toMatch(/^MaxAuthTries 4$/m);
    expect(dropin).toMatch(/^LogLevel VERBOSE$/m);
    // what Lynis's SSH-7408 asks for that costs Bulwark nothing
    expect(dropin).toMatch(/^ClientAliveInterval 300\nClientAliveCountMax 2\nTCPKeepAlive no\nMaxSessions 2\nCompression no$/m);
    expect(p.commands.some((c) => c.includes("awk '/^#/ || $5 >= 3071' /etc/ssh/moduli"))).toBe(true);
    expect(p.apply?.touch).toEqual(['/etc/ssh/moduli']);
  });

  it('keeps local TCP forwarding on a host others jump through (ProxyJump), and is compliant with it there', () => {
    const bastion = { ...login, jumpFor: ['web-1', 'web-2'] };
    const p = planHost({ facts: debianFacts(), login: bastion }, sel());
    expect(p.files.find((f) => f.path.endsWith('00-bulwark.conf'))!.after!).toMatch(/^AllowTcpForwarding local$/m);
    expect(p.controls[0]!.notes).toContain('AllowTcpForwarding local, not no: web-1, web-2 reach SSH through this host (ProxyJump needs local forwarding).');
    expect(planHost({ facts: debianFacts(), login }, sel()).files[0]!.after!).toMatch(/^AllowTcpForwarding no$/m);

    const strictSshdT = [...sshdStrict.plan({ facts: debianFacts(), login: bastion }, sshdStrictParams.parse({})).sshd]
      .flatMap(([k, v]) => v.split('\n').map((line) => `${k.toLowerCase()} ${line}`))
      .join('\n');
    const done = debianFacts({ moduli: { small: 0, large: 180 } }, strictSshdT);
    expect(sshdStrict.check({ facts: done, login: bastion }, sshdStrictParams.parse({})).status).toBe('compliant');
    // the same host without jump users should not forward at all
    expect(sshdStrict.check({ facts: done, login }, sshdStrictParams.parse({})).status).toBe('drift');
    // asked for explicitly, forwarding stays fully on
    expect(planHost({ facts: debianFacts(), login: bastion }, sel({ allowTcpForwarding: true })).files[0]!.after!).toMatch(/^AllowTcpForwarding yes$/m);
  });

  it('refuses a KEX list Bulwark cannot speak (only post-quantum hybrids)', () => {
    const p = planHost({ facts: debianFacts(), login }, sel({ kex: ['sntrup761x25519-sha512@openssh.com', 'mlkem768x25519-sha256'] }));
    expect(p.controls[0]!.refused?.reason).toMatch(/could not connect to this host afterwards: KexAlgorithms/);
    expect(p.controls[0]!.refused?.fix).toMatch(/curve25519-sha256/);
    expect(p.apply).toBeNull();
  });

  it('refuses to drop the only host key type Bulwark has pinned', () => {
    const p = planHost({ facts: debianFacts(), login: { ...login, pinnedKeyTypes: ['ecdsa-sha2-nistp256'] } }, sel());
    expect(p.controls[0]!.refused?.reason).toMatch(/pinned only a ecdsa-sha2-nistp256 host key/);
    expect(planHost({ facts: debianFacts(), login: { ...login, pinnedKeyTypes: ['ecdsa-sha2-nistp256'] } }, sel({ hostKeys: ['ed25519', 'ecdsa'] })).apply).not.toBeNull();
  });

  it('rejects algorithm names that could smuggle config lines, and limits that lock agent users out', () => {
    expect(() => sshdStrictParams.parse({ ciphers: ['aes256-ctr\nPermitRootLogin yes'] })).toThrow();
    expect(() => sshdStrictParams.parse({ macs: ['hmac-sha2-256 yes'] })).toThrow();
    expect(() => sshdStrictParams.parse({ maxAuthTries: 2 })).toThrow();
    expect(() => sshdStrictParams.parse({ maxSessions: 1 })).toThrow(/at least 2: Bulwark runs up to 2 sessions at once/);
  });

  it('keeps TCP keepalives when ClientAlive probes are off, so a dead peer is still noticed', () => {
    const dropin = (p: object) => planHost({ facts: debianFacts(), login }, sel(p)).files.find((f) => f.path.endsWith('00-bulwark.conf'))!.after!;
    expect(dropin({ clientAliveInterval: 0 })).toMatch(/^TCPKeepAlive yes$/m);
    expect(dropin({ clientAliveInterval: 60 })).toMatch(/^TCPKeepAlive no$/m);
  });

  it('leaves moduli alone when it has no large group (filtering would empty it)', () => {
    const p = planHost({ facts: debianFacts({ moduli: { small: 10, large: 0 } }), login }, sel());
    expect(p.apply?.touch).toEqual([]);
    expect(p.controls[0]!.notes[0]).toMatch(/left alone/);
  });
});
