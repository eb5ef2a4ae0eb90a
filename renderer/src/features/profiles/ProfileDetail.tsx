import type { ControlCatalogEntry, ProfileView } from '../../../../shared/domain/hardening';
import { Icon } from '../../components/Icon';
import { ControlKindBadge } from './ControlKindBadge';
import { formatValue, sameValue } from './param-draft';
import { paramLabel } from './param-labels';
import { paramFields } from './param-schema';
import type { ExportFormat } from './ExportProfileDialog';

interface Props {
  profile: ProfileView;
  catalog: readonly ControlCatalogEntry[];
  onEdit: () => void;
  onCopy: () => void;
  onDelete: () => void;
  onExport: (format: ExportFormat) => void;
}

/** One profile: what it is for, and each control with its reason and parameters. */
export function ProfileDetail({ profile, catalog, onEdit, onCopy, onDelete, onExport }: Props) {
  const defaultsOf = new Map(catalog.map((c) => [c.id, c.defaults]));
  const keysOf = new Map(catalog.map((c) => [c.id, paramFields(c.paramsSchema, c.defaults).map((f) => f.key)]));
  return (
    <article className="profile-detail" data-testid="profile-detail" data-profile-id={profile.id}>
      <header className="profile-detail-header">
        <div className="profile-detail-title">
          <h2 data-testid="profile-name">{profile.name}</h2>
          <code className="muted">{profile.id}</code>
          {profile.builtIn ? (
            <span className="badge badge-muted" data-testid="profile-builtin" title="Built-in profiles cannot be changed: copy one to customise it">
              built in · read-only
            </span>
          ) : (
            <span className="badge badge-custom">custom</span>
          )}
        </div>
        <div className="row-actions">
          {profile.builtIn ? null : (
            <button type="button" className="btn btn-secondary btn-sm" onClick={onEdit} data-testid="profile-edit">
              Edit…
            </button>
          )}
          <button type="button" className="btn btn-secondary btn-sm" onClick={onCopy} data-testid="profile-copy">
            <Icon name="copy" /> Copy…
          </button>
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => onExport('yaml')} data-testid="profile-export-yaml">
            <Icon name="download" /> Export YAML
          </button>
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => onExport('ansible')} data-testid="profile-export-ansible">
            <Icon name="download" /> Export Ansible
          </button>
          {profile.builtIn ? null : (
            <button type="button" className="btn btn-danger-ghost btn-sm" onClick={onDelete} data-testid="profile-delete">
              <Icon name="trash" /> Delete…
            </button>
          )}
        </div>
      </header>
      {profile.description ? (
        <p className="profile-description" data-testid="profile-description">
          {profile.description}
        </p>
      ) : null}

      <ol className="profile-controls-list">
        {profile.controls.map((c) => {
          const defaults = defaultsOf.get(c.id) ?? {};
          // every parameter the control has, so an optional one left out reads "not set" rather than vanishing
          const keys = [...new Set([...(keysOf.get(c.id) ?? []), ...Object.keys(c.params)])];
          const entries = keys.map((k) => [k, c.params[k]] as const);
          return (
            <li key={c.id} className="profile-control" data-testid="profile-control" data-control-id={c.id}>
              <div className="profile-control-head">
                <h3>{c.title}</h3>
                <ControlKindBadge kind={c.kind} />
              </div>
              <p className="control-reason" data-testid="control-reason">
                {c.reason}
              </p>
              {entries.length ? (
                <dl className="param-list">
                  {entries.map(([key, value]) => {
                    const custom = key in defaults ? !sameValue(value, defaults[key]) : value !== undefined;
                    return (
                      <div key={key} className={custom ? 'is-changed' : undefined} data-testid="param-value" data-param={key}>
                        <dt>{paramLabel(key)}</dt>
                        <dd className="mono">
                          {formatValue(value)}
                          {custom ? <span className="badge badge-changed" title={`Default: ${formatValue(defaults[key])}`}>changed</span> : null}
                        </dd>
                      </div>
                    );
                  })}
                </dl>
              ) : (
                <p className="muted small">No parameters.</p>
              )}
            </li>
          );
        })}
      </ol>
    </article>
  );
}
