/**
 * Profiles: named lists of controls with their parameters. The built-in ones follow the guide;
 * a profile's parameters are parsed by each control's own schema, so a bad value is refused
 * before anything connects to a host.
 */
import { BulwarkError } from '../../../shared/errors';
import type { z } from '../../../shared/zod';
import { CONTROLS } from './controls';
import type { ControlSelection } from './host-plan';

export interface ProfileControl {
  id: string;
  params?: Record<string, unknown>;
}

export interface Profile {
  id: string;
  name: string;
  description: string;
  controls: ProfileControl[];
}

export const BUILT_IN_PROFILES: readonly Profile[] = Object.freeze([
  {
    id: 'guide-baseline',
    name: 'Guide baseline',
    description: 'Keys-only SSH with root login off, UFW denying everything but SSH, fail2ban (3 tries, 1 hour), and an audit of Docker containers (published ports, AI services, app logins).',
    controls: [
      { id: 'ssh-key-access' },
      { id: 'sshd-auth', params: { permitRootLogin: 'no' } },
      { id: 'ufw' },
      { id: 'fail2ban', params: { maxretry: 3, bantime: 3600 } },
      // check only, and not applicable without Docker: the guide's AI-host containers
      { id: 'containers' },
    ],
  },
  {
    id: 'strict-ssh',
    name: 'Strict SSH',
    description: 'The baseline plus modern SSH crypto, tight limits, verbose logs and automatic security updates.',
    controls: [
      { id: 'ssh-key-access' },
      { id: 'sshd-auth', params: { permitRootLogin: 'no' } },
      { id: 'sshd-strict' },
      { id: 'ufw' },
      { id: 'fail2ban', params: { maxretry: 3, bantime: 3600 } },
      { id: 'unattended-upgrades' },
      { id: 'containers' },
    ],
  },
  {
    id: 'proxmox-node',
    name: 'Proxmox node',
    description: 'Root by key only (cluster traffic needs it), strict SSH, fail2ban. Leaves the firewall, IP forwarding and bridges to Proxmox.',
    controls: [
      { id: 'ssh-key-access' },
      { id: 'sshd-auth', params: { permitRootLogin: 'prohibit-password' } },
      { id: 'sshd-strict' },
      { id: 'fail2ban', params: { maxretry: 3, bantime: 3600 } },
      { id: 'exposure', params: { allowedPorts: [8006, 3128] } },
    ],
  },
]);

export function findProfile(id: string, custom: readonly Profile[] = []): Profile {
  const p = [...BUILT_IN_PROFILES, ...custom].find((x) => x.id === id);
  if (!p) throw new BulwarkError('NOT_FOUND', `No profile "${id}" (built in: ${BUILT_IN_PROFILES.map((b) => b.id).join(', ')})`);
  return p;
}

/** The profile's controls with parsed parameters; VALIDATION names the control and the field. */
export function selectionsOf(profile: Profile): ControlSelection[] {
  return profile.controls.map((pc) => {
    const control = CONTROLS.get(pc.id);
    if (!control) throw new BulwarkError('VALIDATION', `Profile "${profile.id}": unknown control "${pc.id}"`, { controls: `unknown control ${pc.id}` });
    const parsed = (control.params as z.ZodType).safeParse(pc.params ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new BulwarkError('VALIDATION', `Profile "${profile.id}", control ${pc.id}: ${issue.path.join('.') || 'params'} ${issue.message}`, { [`${pc.id}.${issue.path.join('.')}`]: issue.message });
    }
    return { control, params: parsed.data as object };
  });
}
