/**
 * Control 8 (check only): what listens on non-loopback addresses, with process names. The
 * guide's goal is zero open ports behind a tunnel, so everything except SSH is flagged.
 */
import { z } from '../../../../shared/zod';
import { type Control, emptyPlan } from '../control';
import type { ListeningSocket } from '../facts';

export const exposureParams = z
  .object({
    /** Ports the user accepts being open (besides SSH), e.g. 8006 on a Proxmox node. */
    allowedPorts: z.array(z.number().int().min(1).max(65535)).max(100).default([]),
  })
  .strict();
export type ExposureParams = z.output<typeof exposureParams>;

function loopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address === '::ffff:127.0.0.1';
}

function describe(s: ListeningSocket): string {
  const addr = s.address.includes(':') ? `[${s.address}]` : s.address;
  return `${s.proto} ${addr}:${s.port}${s.process ? ` (${s.process})` : ''}`;
}

export const exposure: Control<ExposureParams> = {
  id: 'exposure',
  title: 'Exposure audit: listening sockets',
  reason: 'Every port reachable from the network is something to attack; behind a tunnel, only SSH needs to listen.',
  params: exposureParams as unknown as z.ZodType<ExposureParams>,
  kind: 'check',
  check({ facts, login }, p) {
    const sshPorts = new Set((facts.sshd.effective.get('port') ?? [String(login.port)]).map(Number));
    const exposed = facts.listening.filter((s) => !loopback(s.address));
    const flagged = exposed.filter((s) => !(s.proto === 'tcp' && sshPorts.has(s.port)) && !p.allowedPorts.includes(s.port));
    const evidence = exposed.map((s) => `${flagged.includes(s) ? 'exposed' : 'expected'}: ${describe(s)}`);
    if (exposed.length === 0) evidence.push('nothing listens on a non-loopback address');
    return { status: flagged.length ? 'drift' : 'compliant', evidence };
  },
  plan: () => emptyPlan(),
};
