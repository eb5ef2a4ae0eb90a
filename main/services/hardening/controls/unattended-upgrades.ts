/**
 * Control 7: automatic security updates. unattended-upgrades installed, 20auto-upgrades turning
 * on the daily list refresh and the unattended upgrade, and apt's timers enabled (they run the
 * periodic jobs; without them APT::Periodic does nothing). Debian family only (apt).
 *
 * 20auto-upgrades is written AFTER the install: the package's postinst may write its own
 * version of it. The file is backed up and restored on failure; the package stays installed
 * then (removing it could take away what else depends on it, and an installed but disabled
 * unattended-upgrades does nothing). Nothing here can cut access: no dead-man switch.
 */
import { z } from '../../../../shared/zod';
import { shellQuote } from '../../ssh/quote';
import { type Control, emptyPlan } from '../control';

export const AUTO_UPGRADES = '/etc/apt/apt.conf.d/20auto-upgrades';
export const AUTO_UPGRADES_LINES = ['APT::Periodic::Update-Package-Lists "1";', 'APT::Periodic::Unattended-Upgrade "1";'];

export const unattendedUpgradesParams = z.object({}).strict();
export type UnattendedUpgradesParams = z.output<typeof unattendedUpgradesParams>;

export const unattendedUpgrades: Control<UnattendedUpgradesParams> = {
  id: 'unattended-upgrades',
  title: 'Automatic security updates',
  reason: 'Most break-ins use flaws that already have a fix; installing security updates daily closes them without waiting for someone to log in.',
  params: unattendedUpgradesParams as unknown as z.ZodType<UnattendedUpgradesParams>,
  kind: 'change',
  check({ facts }) {
    if (facts.packageManager !== 'apt-get') return { status: 'not-applicable', evidence: [`package manager: ${facts.packageManager ?? 'unknown'} (this control is for apt)`] };
    const u = facts.unattendedUpgrades;
    const evidence = [
      `unattended-upgrades ${u.installed ? 'installed' : 'not installed'}`,
      `${AUTO_UPGRADES}: ${u.enabled ? 'list refresh and unattended upgrade on' : 'not turning both on (want "1" for each)'}`,
      `apt-daily timers ${u.timers ? 'enabled' : 'not enabled (want enabled)'}`,
    ];
    return { status: u.installed && u.enabled && u.timers ? 'compliant' : 'drift', evidence };
  },
  plan({ facts }) {
    const plan = emptyPlan();
    const u = facts.unattendedUpgrades;
    if (!u.installed) {
      // a refresh that fails (no mirror reachable) leaves the lists apt already has
      plan.commands.push('apt-get update -q || :', 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q unattended-upgrades');
    }
    plan.touch.push(AUTO_UPGRADES);
    plan.commands.push(`printf '%s\\n' ${AUTO_UPGRADES_LINES.map(shellQuote).join(' ')} > ${shellQuote(AUTO_UPGRADES)}`);
    if (!u.timers) plan.commands.push('systemctl enable --quiet apt-daily.timer apt-daily-upgrade.timer');
    plan.verify.push(`apt-config dump | grep -q '^APT::Periodic::Unattended-Upgrade "1";'`);
    return plan;
  },
};
