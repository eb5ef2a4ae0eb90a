/** Every built-in control, by id. */
import type { Control } from '../control';
import { exposure } from './exposure';
import { fail2ban } from './fail2ban';
import { sshKeyAccess } from './ssh-key-access';
import { sshdAuth } from './sshd-auth';
import { sshdPort } from './sshd-port';
import { sshdStrict } from './sshd-strict';
import { ufw } from './ufw';

export const CONTROLS: ReadonlyMap<string, Control> = new Map(
  ([sshKeyAccess, sshdAuth, sshdPort, sshdStrict, ufw, fail2ban, exposure] as Control[]).map((c) => [c.id, c]),
);
