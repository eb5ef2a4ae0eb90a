import { NotBuilt } from '../../components/NotBuilt';

export function KeysView() {
  return (
    <NotBuilt
      section="keys"
      title="SSH keys"
      issue={3}
      summary="Manage the SSH keys Bulwark uses to reach your hosts, kept encrypted in the vault."
      planned={[
        'Generate Ed25519 key pairs inside the vault, or import existing private keys.',
        'Install public keys into authorized_keys on selected hosts, and remove them again.',
        'Show which key is deployed on which host, and rotate a key across the fleet.',
        'Pin each host key on first contact and warn when it changes.',
      ]}
    />
  );
}
