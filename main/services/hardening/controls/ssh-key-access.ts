/**
 * Control 1, a precondition: Bulwark logs in to the host with a key. Every control that turns
 * password login off is refused on hosts where it does not, because after the change Bulwark
 * (and probably the user) could no longer get in.
 */
import { z } from '../../../../shared/zod';
import { type Control, emptyPlan } from '../control';

export const sshKeyAccess: Control<Record<string, never>> = {
  id: 'ssh-key-access',
  title: 'SSH access works by key',
  reason: 'Password login can only be turned off once a key gets you in; otherwise the change locks you out.',
  params: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
  kind: 'check',
  check({ login }) {
    const byKey = login.method === 'publickey' || login.method === 'agent';
    return {
      status: byKey ? 'compliant' : 'drift',
      evidence: [`Bulwark is logged in as ${login.user} by ${login.method === 'agent' ? 'a key from the ssh-agent' : login.method}`],
    };
  },
  plan: () => emptyPlan(),
};

/** The refusal a password-disabling control returns on a host Bulwark reaches by password. */
export function keyAccessRefusal(method: string, user: string): { reason: string; fix: string } | undefined {
  if (method === 'publickey' || method === 'agent') return undefined;
  return {
    reason: `Bulwark logs in to this host as ${user} with a ${method}: turning password login off would lock it out.`,
    fix: `Deploy a key first (Keys > Deploy, or bulwark keys deploy NAME --hosts HOST) and make it the host's login key, then plan again.`,
  };
}
