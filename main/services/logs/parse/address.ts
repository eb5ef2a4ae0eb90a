/**
 * The remote address as Bulwark shows and filters it. sshd writes IPv4-mapped IPv6 when it
 * listens on a dual-stack socket, and IPv6 in whatever case the resolver gave; one attacker
 * must show up as one address, so both are folded. A host name (sshd with UseDNS yes) stays
 * the name: there is nothing truthful to turn it into.
 */
import { isIPv4, isIPv6 } from '../../../../shared/domain/validators';

const MAPPED_IPV4 = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;
/** Addresses, names and the odd forms sshd passes through (leading zeros, zone ids). */
const ADDRESS_LIKE = /^[A-Za-z0-9_.:%-]+$/;

/** The normalised remote, or null when the token cannot be an address or a host name. */
export function normalizeRemote(token: string): string | null {
  let t = token;
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1);
  if (!ADDRESS_LIKE.test(t) || !/[0-9A-Za-z]/.test(t)) return null;
  const mapped = MAPPED_IPV4.exec(t);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  if (t.includes(':')) return isIPv6(t) ? t.toLowerCase() : null;
  return t;
}
