/** Every built-in control, by id. */
import type { Control } from '../control';
import { containers } from './containers';
import { exposure } from './exposure';
import { fail2ban } from './fail2ban';
import { sshKeyAccess } from './ssh-key-access';
import { sshdAuth } from './sshd-auth';
import { sshdPort } from './sshd-port';
import { sshdStrict } from './sshd-strict';
import { ufw } from './ufw';
import { unattendedUpgrades } from './unattended-upgrades';

export const CONTROLS: ReadonlyMap<string, Control> = new Map(
  ([sshKeyAccess, sshdAuth, sshdPort, sshdStrict, ufw, fail2ban, unattendedUpgrades, exposure, containers] as Control[]).map((c) => [c.id, c]),
);
