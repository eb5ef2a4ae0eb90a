/**
 * hardening:audit|plan|apply and runs:* channels (profiles themselves: profile-handlers.ts).
 * Runs are jobs named by the renderer: each host's steps go out as runs:progress events under
 * that job id, jobs:cancel stops them, and the reply is the run as history recorded it, with
 * its grouped view.
 */
import type { RunMode } from '../../shared/domain/hardening';
import type { AppServices } from '../services/app';
import { runProfile } from '../services/access';
import { replyOf } from '../services/hardening/group-plans';
import type { Handlers } from './router';
import { hostsById } from './hosts-by-id';

type HardeningChannels = Pick<Handlers, 'hardening:audit' | 'hardening:plan' | 'hardening:apply' | 'runs:list' | 'runs:get'>;

type RunRequest = Parameters<Handlers['hardening:apply']>[0];

function start(s: AppServices, mode: RunMode, r: RunRequest) {
  const hosts = hostsById(s, r.hostIds);
  return s.jobs.run(r.jobId, (signal) =>
    runProfile(s.access, s.history, {
      mode,
      profileId: r.profileId,
      profiles: s.profiles,
      hosts,
      inventory: s.hosts,
      via: 'app',
      canary: r.canary,
      stopAfterFailures: r.stopAfterFailures,
      signal,
      onProgress: (e) => s.events.emit('runs:progress', { jobId: r.jobId, ...e }),
    }),
  );
}

export function createHardeningHandlers(s: AppServices): HardeningChannels {
  return {
    'hardening:audit': (r) => start(s, 'audit', r),
    'hardening:plan': (r) => start(s, 'plan', r),
    'hardening:apply': (r) => start(s, 'apply', r),
    'runs:list': () => s.history.list(),
    'runs:get': ({ id }) => replyOf(s.history.require(id)),
  };
}
