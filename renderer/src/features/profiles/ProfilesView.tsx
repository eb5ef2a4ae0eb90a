import { NotBuilt } from '../../components/NotBuilt';

export function ProfilesView() {
  return (
    <NotBuilt
      section="profiles"
      title="Hardening profiles"
      issue={4}
      summary="Named sets of hardening controls that can be checked against hosts and applied to them."
      planned={[
        'Controls for sshd (key-only login, no root password login, safe key exchange), firewall and fail2ban.',
        'Check a host against a profile and show which controls pass, fail or cannot be read.',
        'Validate changes with sshd -t before applying, and keep a dead-man switch so a bad change rolls back instead of locking you out.',
      ]}
    />
  );
}
