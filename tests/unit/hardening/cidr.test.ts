import { describe, expect, it } from 'vitest';
import { cidrContains, cidrProblem } from '../../../shared/domain/validators';

describe('CIDRs (UFW sources, the lockout guard)', () => {
  it.each([
    ['10.0.0.0/8', '10.1.2.3', true],
    ['10.0.0.0/8', '11.1.2.3', false],
    ['0.0.0.0/0', '1.2.3.4', true],
    ['192.168.1.0/24', '192.168.2.1', false],
    ['192.168.1.7/24', '192.168.1.200', true],
    ['10.0.0.5', '10.0.0.5', true],
    ['10.0.0.5', '10.0.0.6', false],
    ['::/0', 'fe80::1', true],
    ['fd00::/8', 'fd12::1', true],
    ['fd00::/8', 'fe00::1', false],
    ['2001:db8::/32', '2001:db8:0:0:0:0:0:1', true],
    ['10.0.0.0/8', '::ffff:10.0.0.1', true],
    ['::/0', '10.0.0.1', false],
    ['0.0.0.0/0', 'fe80::1', false],
  ])('%s contains %s: %s', (cidr, address, expected) => {
    expect(cidrContains(cidr, address)).toBe(expected);
  });

  it('refuses what is not an address or a CIDR, shell metacharacters included', () => {
    expect(cidrProblem('10.0.0.0/33')).toMatch(/prefix length outside 0-32/);
    expect(cidrProblem('1.2.3.4/24;id')).not.toBeNull();
    expect(cidrProblem('$(reboot)')).not.toBeNull();
    expect(cidrProblem('10.0.0.0/8/8')).not.toBeNull();
    expect(cidrProblem('')).toBe('is required');
    expect(cidrProblem('fd00::/8')).toBeNull();
    expect(cidrProblem('192.168.1.0/24')).toBeNull();
  });
});
