import { NotBuilt } from '../../components/NotBuilt';

export function RunsView() {
  return (
    <NotBuilt
      section="runs"
      title="Runs"
      issue={4}
      summary="The history of profile checks and applications across your hosts."
      planned={[
        'Follow a run live, host by host and control by control.',
        'See what changed on each host, with the output of every step.',
        'Re-run failed hosts, and roll back a run where a control supports it.',
      ]}
    />
  );
}
