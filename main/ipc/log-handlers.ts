/**
 * logs:* channels. Followed hosts stream into logs:events (batched) and logs:status; the
 * history is queried from the vault; ban actions name the host by id and are validated again
 * in the service before anything reaches a shell.
 */
import type { AppServices } from '../services/app';
import type { Handlers } from './router';
import { hostsById } from './hosts-by-id';

type LogChannels = Pick<Handlers, 'logs:follow' | 'logs:unfollow' | 'logs:status' | 'logs:query' | 'logs:banAction' | 'logs:settings' | 'logs:setSettings'>;

export function createLogHandlers(s: AppServices): LogChannels {
  return {
    'logs:follow': ({ hostIds }) => s.logs.follow(hostsById(s, hostIds)),
    'logs:unfollow': ({ hostIds }) => s.logs.unfollow(hostsById(s, hostIds)),
    'logs:status': () => s.logs.statuses(),
    'logs:query': (q) =>
      s.logs.query({
        limit: q.limit,
        ...(q.hostNames ? { hosts: q.hostNames } : {}),
        ...(q.kinds ? { kinds: q.kinds } : {}),
        ...(q.ip !== undefined ? { ip: q.ip } : {}),
        ...(q.user !== undefined ? { user: q.user } : {}),
        ...(q.text !== undefined ? { text: q.text } : {}),
        ...(q.from !== undefined ? { from: q.from } : {}),
        ...(q.to !== undefined ? { to: q.to } : {}),
      }),
    'logs:banAction': async ({ hostId, action, jail, ip }) => s.logs.banAction(hostsById(s, [hostId])[0]!, { action, jail, ip }),
    'logs:settings': () => s.logs.settings(),
    'logs:setSettings': ({ settings }) => s.logs.setSettings(settings),
  };
}
