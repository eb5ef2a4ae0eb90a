import type { ProfileView } from '../../../../shared/domain/hardening';

interface Props {
  profiles: readonly ProfileView[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}

/** Built-in profiles, then custom ones; each says how many controls it runs. */
export function ProfileList({ profiles, selectedId, onSelect }: Props) {
  const builtIn = profiles.filter((p) => p.builtIn);
  const custom = profiles.filter((p) => !p.builtIn);
  const item = (p: ProfileView) => (
    <li key={p.id}>
      <button
        type="button"
        className={`profile-item${p.id === selectedId ? ' is-selected' : ''}`}
        aria-current={p.id === selectedId ? 'true' : undefined}
        onClick={() => onSelect(p.id)}
        data-testid="profile-item"
        data-profile-id={p.id}
      >
        <span className="profile-item-name">{p.name}</span>
        <span className="profile-item-meta">
          <code>{p.id}</code> · {p.controls.length} control{p.controls.length === 1 ? '' : 's'}
        </span>
      </button>
    </li>
  );
  return (
    <nav className="profile-list" aria-label="Profiles">
      <h3 className="profile-list-heading">Built in</h3>
      <ul>{builtIn.map(item)}</ul>
      <h3 className="profile-list-heading">Custom</h3>
      {custom.length ? (
        <ul data-testid="custom-profiles">{custom.map(item)}</ul>
      ) : (
        <p className="muted small" data-testid="no-custom-profiles">
          None yet. Copy a built-in profile, create one, or import YAML.
        </p>
      )}
    </nav>
  );
}
