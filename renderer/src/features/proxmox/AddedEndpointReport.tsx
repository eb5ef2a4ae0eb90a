import { Fingerprint } from './CertificateDetails';
import { grantedPrivileges, pinnedLabel, type AddedEndpoint, type PinOutcome } from './pve-derive';

/** What the new endpoint's credentials can really do, what it lacks for which feature, and what was pinned. */
export function AddedEndpointReport({ added }: { added: AddedEndpoint }) {
  const rows = grantedPrivileges(added.privileges);
  const who = added.endpoint.auth === 'password' ? 'user' : 'token';
  return (
    <div className="pve-added" data-testid="pve-added">
      <p>
        <strong>{added.endpoint.name}</strong> added: Proxmox VE <span data-testid="pve-added-version">{added.version}</span>.
      </p>
      <PinnedOutcome pinned={added.pinned} />
      {added.missing.length > 0 ? (
        <ul className="pve-missing" data-testid="pve-missing">
          {added.missing.map((m) => (
            <li key={`${m.path} ${m.privilege}`} className="field-warning" data-testid="pve-missing-privilege">
              Missing <code>{m.privilege}</code> on <code>{m.path}</code>: needed for {m.neededFor}.
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">The {who} has every privilege Bulwark uses.</p>
      )}
      <table className="pve-privileges" data-testid="pve-privileges">
        <caption>Privileges the {who} has</caption>
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

/**
 * What main pinned, which may not be what was asked: a node whose certificate the cluster CA did
 * not issue gets its certificate pinned, and the note says why (renewals will need trusting again).
 */
export function PinnedOutcome({ pinned }: { pinned: PinOutcome }) {
  return (
    <div className="pve-pinned" data-testid="pve-pinned" data-kind={pinned.kind}>
      <p>
        {pinnedLabel(pinned)} (SHA-256{' '}
        <span className="mono pve-fingerprint pve-pinned-sha256" data-testid="pve-pinned-sha256">
          <Fingerprint sha256={pinned.sha256} />
        </span>
        ).
      </p>
      {pinned.note ? (
        <p className="pve-pinned-note" data-testid="pve-pinned-note">
          <span aria-hidden="true">⚠ </span>
          {pinned.note}
        </p>
      ) : null}
    </div>
  );
}
