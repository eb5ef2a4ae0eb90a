/**
 * sshd writes some lines without the remote address ("fatal: Unable to negotiate a key exchange
 * method [preauth]", "Disconnecting: Too many authentication failures", "error:
 * kex_exchange_identification: ..."), but the same process named it earlier ("Connection from
 * 192.0.2.3 port 39678 on ...", a "Failed password" line). This remembers the last address per
 * host and sshd pid, so those lines still say who it was.
 *
 * Bounded (least recently used out): a scanner opening thousands of connections must not grow
 * it. A pid reused by a later connection is overwritten by that connection's first address.
 */
export interface RemoteMemory {
  ip: string;
  port: number | null;
}

export class SshdSessions {
  private readonly remotes = new Map<string, RemoteMemory>();

  constructor(private readonly limit = 4096) {}

  private static key(host: string, pid: number): string {
    return `${host}\u0000${pid}`;
  }

  remember(host: string, pid: number, remote: RemoteMemory): void {
    const key = SshdSessions.key(host, pid);
    this.remotes.delete(key);
    this.remotes.set(key, remote);
    if (this.remotes.size > this.limit) this.remotes.delete(this.remotes.keys().next().value!);
  }

  recall(host: string, pid: number): RemoteMemory | undefined {
    return this.remotes.get(SshdSessions.key(host, pid));
  }

  get size(): number {
    return this.remotes.size;
  }
}
