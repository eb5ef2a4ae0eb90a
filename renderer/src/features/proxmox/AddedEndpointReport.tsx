import { grantedPrivileges, type AddedEndpoint } from './pve-derive';

/** What the new endpoint's token can really do, and what it lacks for which feature. */
export function AddedEndpointReport({ added }: { added: AddedEndpoint }) {
  const rows = grantedPrivileges(added.privileges);
  return (
    <div className="pve-added" data-testid="pve-added">
      <p>
        <strong>{added.endpoint.name}</strong> added: Proxmox VE <span data-testid="pve-added-version">{added.version}</span>, certificate pinned.
      </p>
      {added.missing.length > 0 ? (
        <ul className="pve-missing" data-testid="pve-missing">
          {added.missing.map((m) => (
            <li key={`${m.path} ${m.privilege}`} className="field-warning" data-testid="pve-missing-privilege">
              Missing <code>{m.privilege}</code> on <code>{m.path}</code>: needed for {m.neededFor}.
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">The token has every privilege Bulwark uses.</p>
      )}
      <table className="pve-privileges" data-testid="pve-privileges">
        <caption>Privileges the token has</caption>
        <thead>
          <tr>
            <th scope="col">Path</th>
            <th scope="col">Privileges</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.path}>
              <td className="mono">{row.path}</td>
              <td>{row.granted.length > 0 ? row.granted.join(', ') : <span className="muted">none</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
