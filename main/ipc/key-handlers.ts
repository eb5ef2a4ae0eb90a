/**
 * keys:*, ssh:* and jobs:* channels. Fleet jobs run on the hosts the renderer names by id, report
 * each host's steps as jobs:progress events under the renderer's job id, and can be cancelled.
 */
import { BulwarkError } from '../../shared/errors';
import type { Host } from '../../shared/domain/host';
import type { HostKeyProbe } from '../../shared/domain/keys';
import type { AppServices } from '../services/app';
import type { FleetProgress } from '../services/keys';
import { writeFileAtomic } from '../services/vault';
import type { Handlers } from './router';
import { hostsById } from './hosts-by-id';

type KeyChannels = Pick<
  Handlers,
  | 'hosts:secretStatus'
  | 'hosts:setSudoPassword'
  | 'hosts:clearSudoPassword'
  | 'hosts:setLoginPassword'
  | 'hosts:clearLoginPassword'
  | 'keys:list'
  | 'keys:generate'
  | 'keys:import'
  | 'keys:rename'
  | 'keys:delete'
  | 'keys:exportPrivate'
  | 'keys:deploy'
  | 'keys:audit'
  | 'keys:rotate'
  | 'keys:revoke'
  | 'jobs:cancel'
  | 'ssh:probe'
  | 'ssh:trust'
>;

function job<T>(s: AppServices, jobId: string, fn: (o: { signal: AbortSignal; onProgress: (p: FleetProgress) => void }) => Promise<T>): Promise<T> {
  return s.jobs.run(jobId, (signal) => fn({ signal, onProgress: (p) => s.events.emit('jobs:progress', { jobId, ...p }) }));
}

const account = (a: string | undefined) => (a === undefined ? {} : { account: a });

async function probe(s: AppServices, h: Host): Promise<HostKeyProbe> {
  const base = { hostId: h.id, name: h.name, address: h.address, port: h.port };
  try {
    const p = await s.access.engine().probeHostKey(h.address, h.port, { user: h.user, ...(h.jumpHost ? { jump: h.jumpHost } : {}) });
    return { ...base, status: p.status, keyType: p.keyType, key: p.key, fingerprint: p.fingerprint, pinned: p.pinned };
  } catch (e) {
    const error = e instanceof BulwarkError ? { code: e.code, message: e.message } : { code: 'INTERNAL', message: String(e) };
    return { ...base, status: 'failed', keyType: null, key: null, fingerprint: null, pinned: [], error };
  }
}

export function createKeyHandlers(s: AppServices): KeyChannels {
  return {
    'hosts:secretStatus': () => ({ sudoPassword: s.hostSecrets.hostsWith('sudoPassword'), loginPassword: s.hostSecrets.hostsWith('loginPassword') }),
    'hosts:setSudoPassword': ({ id, password }) => {
      s.hostSecrets.set(id, 'sudoPassword', password);
      return {};
    },
    'hosts:clearSudoPassword': ({ id }) => ({ cleared: s.hostSecrets.clear(id, 'sudoPassword') }),
    'hosts:setLoginPassword': ({ id, password }) => {
      s.hostSecrets.set(id, 'loginPassword', password);
      s.access.loginChanged();
      return {};
    },
    'hosts:clearLoginPassword': ({ id }) => {
      const cleared = s.hostSecrets.clear(id, 'loginPassword');
      s.access.loginChanged();
      return { cleared };
    },

    'keys:list': () => s.keys.list(),
    'keys:generate': ({ key }) => s.keys.generate(key),
    'keys:import': ({ key }) => s.keys.import(key),
    'keys:rename': ({ id, name }) => s.keys.rename(id, name),
    'keys:delete': ({ id }) => ({ deleted: s.keys.delete(id) }),
    'keys:exportPrivate': async ({ id, options }) => {
      const key = s.keys.get(id);
      if (!key) throw new BulwarkError('NOT_FOUND', `No SSH key with id ${id}`);
      const text = s.keys.exportPrivate(id, options);
      const path = await s.dialogs.chooseSavePath({ title: `Save the private key "${key.name}"`, defaultName: `id_${key.name}` });
      if (!path) return { path: null };
      // 0600 from the first byte: ssh refuses private keys others can read
      writeFileAtomic(path, [Buffer.from(text, 'utf8')]);
      return { path };
    },

    'keys:deploy': ({ jobId, keyId, hostIds, account: a }) =>
      job(s, jobId, (o) => s.access.keyOps().deploy(keyId, hostsById(s, hostIds), { ...o, ...account(a) })),
    'keys:audit': ({ jobId, hostIds, accounts }) =>
      job(s, jobId, (o) => s.access.keyOps().audit(hostsById(s, hostIds), { ...o, ...(accounts ? { accounts } : {}) })),
    'keys:rotate': ({ jobId, oldKeyId, newKeyId, hostIds, account: a }) =>
      job(s, jobId, (o) => s.access.keyOps().rotate(oldKeyId, newKeyId, hostsById(s, hostIds), { ...o, ...account(a) })),
    'keys:revoke': ({ jobId, keyId, hostIds, account: a, force }) =>
      job(s, jobId, (o) => s.access.keyOps().revoke(keyId, hostsById(s, hostIds), { ...o, ...account(a), ...(force ? { force } : {}) })),
    'jobs:cancel': ({ jobId }) => ({ cancelled: s.jobs.cancel(jobId) }),

    'ssh:probe': ({ hostIds }) => Promise.all(hostsById(s, hostIds).map((h) => probe(s, h))),
    'ssh:trust': ({ hostId, key, replace }) => {
      const [h] = hostsById(s, [hostId]);
      const r = s.access.engine().trust(h!.address, h!.port, key, replace ? { replace } : {});
      return { fingerprint: r.fingerprint, keyType: r.keyType };
    },
  };
}
