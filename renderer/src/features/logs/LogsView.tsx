import { NotBuilt } from '../../components/NotBuilt';

export function LogsView() {
  return (
    <NotBuilt
      section="logs"
      title="Live security logs"
      issue={5}
      summary="A live stream of security events from your hosts, read over SSH."
      planned={[
        'Follow sshd, sudo and fail2ban events from the journal or auth.log of selected hosts.',
        'Filter by host, event type and time; spot brute-force attempts and bans as they happen.',
        'Optional desktop notifications for events you choose.',
      ]}
    />
  );
}
