/**
 * Control 2: sshd authentication. Keys only, no keyboard-interactive, no empty passwords, and
 * root either refused or key-only (Proxmox nodes need prohibit-password for cluster traffic).
 */
import { z } from '../../../../shared/zod';
import { type Control, compareSshd, emptyPlan } from '../control';
import { keyAccessRefusal } from './ssh-key-access';

export const sshdAuthParams = z
  .object({
    permitRootLogin: z.enum(['no', 'prohibit-password']).default('no'),
  })
  .strict();
export type SshdAuthParams = z.output<typeof sshdAuthParams>;

/** sshd -T prints the legacy spelling on some versions. */
const SYNONYMS: Record<string, string> = { 'without-password': 'prohibit-password' };

/** The drop-in settings of this control (also what the Ansible export writes). */
export function sshdAuthSettings(p: SshdAuthParams): Map<string, string> {
  return new Map([
    ['PasswordAuthentication', 'no'],
    ['KbdInteractiveAuthentication', 'no'],
    ['PubkeyAuthentication', 'yes'],
    ['PermitRootLogin', p.permitRootLogin],
    ['PermitEmptyPasswords', 'no'],
  ]);
}

export const sshdAuth: Control<SshdAuthParams> = {
  id: 'sshd-auth',
  title: 'sshd authentication: keys only',
  reason: 'Passwords can be guessed; keys cannot. Root logs in with a key at most.',
  params: sshdAuthParams as unknown as z.ZodType<SshdAuthParams>,
  kind: 'change',
  check({ facts }, p) {
    if (facts.sshd.testError) return { status: 'unknown', evidence: [`sshd -T failed: ${facts.sshd.testError}`] };
    const { drift, evidence } = compareSshd(facts, sshdAuthSettings(p), (_k, v) => SYNONYMS[v] ?? v);
    return { status: drift ? 'drift' : 'compliant', evidence };
  },
  plan({ login }, p) {
    const plan = emptyPlan();
    const refused = keyAccessRefusal(login.method, login.user);
    if (refused) return { ...plan, refused };
    if (login.user === 'root' && p.permitRootLogin === 'no') {
      return {
        ...plan,
        refused: {
          reason: 'Bulwark logs in to this host as root, and PermitRootLogin no would lock it out.',
          fix: 'Log in as an account with sudo (edit the host\'s user, store its sudo password), or choose prohibit-password.',
        },
      };
    }
    plan.sshd = sshdAuthSettings(p);
    plan.cutsAccess = true;
    return plan;
  },
};
