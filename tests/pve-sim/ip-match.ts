// Address matching for the simulated firewall. IPv4 CIDRs are matched numerically; IPv6 only
// by exact address (enough for a simulator whose clients connect over 127.0.0.1).

/** Node reports IPv4 peers on dual-stack sockets as ::ffff:a.b.c.d. */
export function normaliseAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

function ipv4ToNumber(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    n = n * 256 + Number(part);
  }
  return n;
}

export function addressInCidr(address: string, cidr: string): boolean {
  const ip = normaliseAddress(address);
  const [base = '', prefixText] = cidr.split('/');
  const ipNumber = ipv4ToNumber(ip);
  const baseNumber = ipv4ToNumber(base);
  if (ipNumber === null || baseNumber === null) return ip.toLowerCase() === base.toLowerCase();
  const prefix = prefixText === undefined ? 32 : Number(prefixText);
  if (prefix === 0) return true;
  const size = 2 ** (32 - prefix);
  return Math.floor(ipNumber / size) === Math.floor(baseNumber / size);
}

/** A PVE port spec: "8006", "8000:8010", or a comma list of those. */
export function portInSpec(port: number, spec: string): boolean {
  return spec.split(',').some((item) => {
    const [low, high] = item.trim().split(':').map(Number);
    if (low === undefined || Number.isNaN(low)) return false;
    return high === undefined ? port === low : port >= low && port <= high;
  });
}
