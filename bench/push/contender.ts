/** What run.ts asks of each way to push the baseline. */
import type { Fleet } from '../../tests/fleet/fleet';

export type Pass = 'first' | 'again';

export interface PushOutcome {
  /** Wall time of the push alone: no setup before it, no cleanup after it. */
  ms: number;
  /** One line: what the tool said it did, e.g. "10 applied" or "changed=0 on 10". */
  summary: string;
  /** Bulwark only: per-host phase timings (plan/apply/verify/disarm). */
  phases?: Record<string, number>[];
}

export interface Contender {
  /** Pushes the baseline to every host of the fleet; throws when any host failed. */
  push(pass: Pass): Promise<PushOutcome>;
  close(): Promise<void>;
}

export type ContenderFactory = (fleet: Fleet, workDir: string) => Promise<Contender>;

/** The controller's address as the hosts see it (fail2ban's ignoreip). */
export function controllerAddress(fleet: Fleet): string {
  return fleet.gateway.replace(/\/\d+$/, '');
}
