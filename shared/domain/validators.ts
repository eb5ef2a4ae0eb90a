/**
 * Validators for the values that end up in SSH configs, remote shells and Ansible inventories.
 * Pure functions so the renderer gives the same field messages the main process enforces.
 */

const HOSTNAME_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

export function isIPv4(value: string): boolean {
  const parts = value.split('.');
  if (parts.length !== 4) return false;
  return parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

export function isIPv6(value: string): boolean {
  let v = value;
  const zone = v.indexOf('%');
  if (zone !== -1) {
    if (!/^[A-Za-z0-9_.-]{1,32}$/.test(v.slice(zone + 1))) return false;
    v = v.slice(0, zone);
  }
  if (v.length < 2 || v.length > 45) return false;
  let groups: string[];
  const doubleColon = v.indexOf('::');
  if (doubleColon !== -1 && v.indexOf('::', doubleColon + 1) !== -1) return false;
  const splitGroups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  let limit = 8;
  const last = v.slice(v.lastIndexOf(':') + 1);
  if (last.includes('.')) {
    // embedded IPv4 (e.g. ::ffff:192.0.2.1) counts as two groups
    if (!isIPv4(last)) return false;
    v = v.slice(0, v.length - last.length) + '0:0';
    limit = 8;
  }
  if (doubleColon !== -1) {
    const [head, tail] = [v.slice(0, v.indexOf('::')), v.slice(v.indexOf('::') + 2)];
    const h = splitGroups(head);
    const t = splitGroups(tail);
    if (h.length + t.length > limit - 1) return false;
    groups = [...h, ...t];
  } else {
    groups = v.split(':');
    if (groups.length !== limit) return false;
  }
  return groups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g));
}

export function isHostname(value: string): boolean {
  if (value.length === 0 || value.length > 253) return false;
  const v = value.endsWith('.') ? value.slice(0, -1) : value;
  const labels = v.split('.');
  if (!labels.every((l) => HOSTNAME_LABEL.test(l))) return false;
  // an all-numeric dotted name is a malformed IPv4 address, not a hostname
  return !/^[0-9.]+$/.test(v);
}

/** A host address: a DNS name, an IPv4 or an IPv6 address (without brackets). */
export function addressProblem(value: string): string | null {
  if (value.trim() !== value) return 'must not start or end with spaces';
  if (value === '') return 'is required';
  if (value.startsWith('[') && value.endsWith(']')) return 'write IPv6 addresses without brackets';
  if (isIPv4(value) || isIPv6(value) || isHostname(value)) return null;
  if (/^[0-9.]+$/.test(value)) return 'is not a valid IPv4 address (four numbers 0-255)';
  if (value.includes(':')) return 'is not a valid IPv6 address';
  return 'is not a valid hostname or IP address (letters, digits, hyphens and dots only)';
}

export const USERNAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;
export function usernameProblem(value: string): string | null {
  if (value === '') return 'is required';
  if (USERNAME_PATTERN.test(value)) return null;
  if (value.length > 32) return 'must be at most 32 characters';
  return 'must start with a letter or underscore and use only letters, digits, ".", "_" and "-"';
}

/** Inventory names double as Ansible inventory hostnames and ssh_config Host aliases. */
export const HOST_NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$/;
export function hostNameProblem(value: string): string | null {
  if (value === '') return 'is required';
  if (HOST_NAME_PATTERN.test(value)) return null;
  if (value.length > 63) return 'must be at most 63 characters';
  return 'may use only letters, digits, ".", "_" and "-", and must not start with "." or "-"';
}

/** Tags double as Ansible group names and Proxmox tags. Stored lowercase. */
export const TAG_PATTERN = /^[a-z0-9_][a-z0-9_.+-]{0,62}$/;
export function tagProblem(value: string): string | null {
  if (value === '') return 'must not be empty';
  if (TAG_PATTERN.test(value)) return null;
  if (value.length > 63) return 'must be at most 63 characters';
  return `"${value}" may use only lowercase letters, digits, "_", ".", "+" and "-"`;
}

export function portProblem(value: number): string | null {
  if (!Number.isInteger(value)) return 'must be a whole number';
  if (value < 1 || value > 65535) return 'must be between 1 and 65535';
  return null;
}

/**
 * One ProxyJump hop: [user@]host[:port], host being an inventory name, a DNS name, an IPv4
 * address or a bracketed IPv6 address.
 */
export function jumpHopProblem(hop: string): string | null {
  const m = /^(?:([^@\s]+)@)?(\[[^\]]+\]|[^:@\s]+)(?::([0-9]{1,5}))?$/.exec(hop);
  if (!m) return `"${hop}" is not of the form [user@]host[:port]`;
  const [, user, rawHost, port] = m;
  if (user !== undefined && usernameProblem(user)) return `"${hop}": user ${usernameProblem(user)}`;
  const host = rawHost!.startsWith('[') ? rawHost!.slice(1, -1) : rawHost!;
  if (rawHost!.startsWith('[') && !isIPv6(host)) return `"${hop}": ${host} is not a valid IPv6 address`;
  if (!rawHost!.startsWith('[') && addressProblem(host) && hostNameProblem(host))
    return `"${hop}": host ${addressProblem(host)}`;
  if (port !== undefined && portProblem(Number(port))) return `"${hop}": port ${portProblem(Number(port))}`;
  return null;
}

export function jumpHostProblem(value: string): string | null {
  if (value === '') return null;
  for (const hop of value.split(',')) {
    const p = jumpHopProblem(hop.trim());
    if (p) return p;
  }
  return null;
}

/** SHA-256 fingerprint as colon-separated hex (the form Proxmox and browsers show). */
export const TLS_FINGERPRINT_PATTERN = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

/** "192.168.1.0/24", "10.0.0.5" (a single address), "fd00::/8". Host bits may be set, as ufw allows. */
export function cidrProblem(value: string): string | null {
  if (typeof value !== 'string' || value === '') return 'is required';
  const [addr, bits, extra] = value.split('/');
  if (extra !== undefined) return `"${value}" is not an address or CIDR`;
  const v4 = isIPv4(addr!);
  if (!v4 && !isIPv6(addr!)) return `"${value}" is not an IPv4 or IPv6 address or CIDR`;
  if (bits === undefined) return null;
  if (!/^[0-9]{1,3}$/.test(bits) || Number(bits) > (v4 ? 32 : 128)) return `"${value}" has a prefix length outside 0-${v4 ? 32 : 128}`;
  return null;
}

/** An IPv4 or IPv6 address as a number (IPv4-mapped IPv6 reads as its IPv4 address), or null. */
function addressValue(a: string): { v4: boolean; n: bigint } | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  if (mapped) a = mapped[1]!;
  if (isIPv4(a)) return { v4: true, n: a.split('.').reduce((n, o) => (n << 8n) + BigInt(Number(o)), 0n) };
  if (!isIPv6(a)) return null;
  const [head, tail] = a.includes('::') ? a.split('::') : [a, undefined];
  const part = (s: string | undefined) => (s ? s.split(':') : []);
  let groups = part(head);
  let rest = part(tail);
  // a trailing dotted IPv4 counts as two groups
  const fix = (g: string[]) => {
    const last = g[g.length - 1];
    if (last && isIPv4(last)) {
      const v = last.split('.').map(Number);
      g.splice(g.length - 1, 1, ((v[0]! << 8) | v[1]!).toString(16), ((v[2]! << 8) | v[3]!).toString(16));
    }
    return g;
  };
  groups = fix(groups);
  rest = fix(rest);
  const all = tail === undefined ? groups : [...groups, ...Array(8 - groups.length - rest.length).fill('0'), ...rest];
  return { v4: false, n: all.reduce((n, g) => (n << 16n) + BigInt(parseInt(g || '0', 16)), 0n) };
}

/** Whether `address` lies in `cidr` (a bare address: equality). Families never mix. */
export function cidrContains(cidr: string, address: string): boolean {
  const [net, bitsText] = cidr.split('/');
  const a = addressValue(address);
  const b = addressValue(net!);
  if (!a || !b || a.v4 !== b.v4) return false;
  const width = a.v4 ? 32 : 128;
  const bits = bitsText === undefined ? width : Number(bitsText);
  const shift = BigInt(width - bits);
  return a.n >> shift === b.n >> shift;
}
