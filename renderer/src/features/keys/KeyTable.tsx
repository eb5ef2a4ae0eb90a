import { FormError } from '../../components/FormError';
import { Icon } from '../../components/Icon';
import { copyText } from '../../lib/clipboard';
import { KEY_SOURCE_LABELS, keyKindLabel, useKeysStore, type SshKey } from '../../stores/keys';
import { toastError, toastSuccess } from '../../stores/ui';

interface Props {
  onGenerate: () => void;
  onImport: () => void;
  onRename: (key: SshKey) => void;
  onDelete: (key: SshKey) => void;
  onExport: (key: SshKey) => void;
  onDeploy: (key: SshKey) => void;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

async function copyPublic(key: SshKey) {
  try {
    await copyText(key.publicKey);
    toastSuccess(`Public key of ${key.name} copied`, 'Paste it into authorized_keys or a web console.');
  } catch (e) {
    toastError('Could not copy the public key', e);
  }
}

/** The vault's keys. A plain table: a vault holds tens of keys, not thousands. */
export function KeyTable({ onGenerate, onImport, onRename, onDelete, onExport, onDeploy }: Props) {
  const keys = useKeysStore((s) => s.keys);
  const loadState = useKeysStore((s) => s.loadState);
  const loadError = useKeysStore((s) => s.loadError);
  const load = useKeysStore((s) => s.load);

  if (loadState === 'error' && loadError) {
    return (
      <div className="empty-state">
        <FormError testId="keys-load-error" message={`Could not load the keys: ${loadError.message}`} code={loadError.code} />
        <button type="button" className="btn btn-secondary" onClick={() => void load()}>
          Try again
        </button>
      </div>
    );
  }
  if (loadState !== 'ready') {
    return (
      <div className="empty-state muted" aria-busy="true" data-testid="keys-loading">
        Loading keys…
      </div>
    );
  }
  if (keys.length === 0) {
    return (
      <div className="empty-state" data-testid="keys-empty">
        <h2>No SSH keys in the vault</h2>
        <p className="muted">
          Generate a key here, or import the private key Bulwark should log in with. Without one, Bulwark can only use an ssh-agent.
        </p>
        <div className="row-actions">
          <button type="button" className="btn btn-primary" onClick={onGenerate}>
            Generate key
          </button>
          <button type="button" className="btn btn-secondary" onClick={onImport}>
            Import key
          </button>
        </div>
      </div>
    );
  }

  return (
    <div className="table-scroll">
      <table className="data-table keys-table" data-testid="key-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">Fingerprint</th>
            <th scope="col">Comment</th>
            <th scope="col">Source</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k.id} data-testid="key-row" data-key-name={k.name} data-key-id={k.id}>
              <th scope="row" className="cell-name">
                {k.name}
              </th>
              <td className="nowrap" data-testid="key-kind">
                {keyKindLabel(k)}
              </td>
              {/* exactly what `ssh-keygen -lf` prints, the whole line on hover */}
              <td className="mono fingerprint" title={k.fingerprintLine} data-testid="key-fingerprint">
                {k.fingerprint}
              </td>
              <td className="muted" data-testid="key-comment">
                {k.comment || '—'}
              </td>
              <td className="nowrap">{KEY_SOURCE_LABELS[k.source]}</td>
              <td className="nowrap muted">{dateFormat.format(k.createdAt)}</td>
              <td className="cell-row-actions">
                <div className="row-actions">
                  <button type="button" className="btn btn-ghost btn-sm" onClick={() => void copyPublic(k)} aria-label={`Copy the public key of ${k.name}`} data-testid="key-copy">
                    <Icon name="copy" /> Copy public
                  </button>
                  <button type="button" className="btn btn-ghost btn-sm" onClick={() => onDeploy(k)} aria-label={`Deploy ${k.name} to hosts`} data-testid="key-deploy">
                    Deploy…
                  </button>
                  <button type="button" className="btn btn-ghost btn-sm" onClick={() => onExport(k)} aria-label={`Export the private key of ${k.name}`} data-testid="key-export">
                    <Icon name="download" /> Export…
                  </button>
                  <button type="button" className="btn btn-ghost btn-sm" onClick={() => onRename(k)} aria-label={`Rename ${k.name}`} data-testid="key-rename">
                    Rename…
                  </button>
                  <button type="button" className="btn btn-danger-ghost btn-sm" onClick={() => onDelete(k)} aria-label={`Delete ${k.name}`} data-testid="key-delete">
                    <Icon name="trash" />
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
