import type { FirewallPlanView } from '../../../../shared/domain/proxmox-firewall';
import { RULE_OP_MARK, ruleCells } from './firewall-derive';

const RULE_HEADERS = ['DIR', 'ACTION', 'PROTO', 'PORT', 'SOURCE', 'COMMENT'];

/** What the plan changes and how each guarded address still gets in; refused and compliant said first. */
export function FirewallPlanTables({ plan }: { plan: FirewallPlanView }) {
  const additions = plan.management.filter((m) => m.op === 'add');
  return (
    <div className="pve-fw-plan" data-testid="pve-fw-plan-view" data-self={plan.self}>
      {plan.refused ? (
        <div className="form-error pve-fw-refused" role="alert" data-testid="pve-fw-refused">
          <strong>Refused: applying this would cut off a guarded address.</strong> {plan.refused}
        </div>
      ) : null}
      {plan.compliant ? (
        <p className="pve-fw-compliant" data-testid="pve-fw-compliant">
          Already as planned: nothing to change.
        </p>
      ) : null}
      <p className="muted">
        Planned for Bulwark at <span className="mono">{plan.self}</span> as the node sees it.{' '}
        {plan.localNetwork ? (
          <span data-testid="pve-fw-local-network">
            The node&apos;s local network <span className="mono">{plan.localNetwork}</span> keeps the web UI and SSH implicitly.
          </span>
        ) : (
          <span data-testid="pve-fw-local-network-unknown">The node&apos;s local network could not be read, so it is not counted.</span>
        )}
      </p>
      {plan.options.length > 0 ? (
        <section>
          <h5>Options</h5>
          <ul className="pve-fw-list">
            {plan.options.map((o) => (
              <li key={o.key} data-testid="pve-fw-option" data-key={o.key} className="mono">
                {o.key}: {o.from || '(unset)'} → {o.to}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <table className="pve-fw-table pve-fw-rules">
        <caption>Rules</caption>
        <thead>
          <tr>
            <th aria-label="Change" />
            {RULE_HEADERS.map((h) => (
              <th key={h}>{h}</th>
            ))}
            <th />
          </tr>
        </thead>
        <tbody>
          {plan.rules.map(({ op, rule, mine }, i) => (
            <tr key={`${op}-${rule.pos ?? 'new'}-${i}`} className={`is-${op}`} data-testid="pve-fw-rule" data-op={op} data-mine={mine}>
              <td className="pve-fw-op" aria-label={op}>
                {RULE_OP_MARK[op]}
              </td>
              {ruleCells(rule).map((cell, c) => (
                <td key={RULE_HEADERS[c]} className={c === 5 ? undefined : 'mono'}>
                  {cell}
                </td>
              ))}
              <td>{mine ? null : <span className="badge badge-muted">yours, never changed</span>}</td>
            </tr>
          ))}
          {plan.rules.length === 0 ? (
            <tr>
              <td colSpan={8} className="muted">
                No rules.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {additions.length > 0 ? (
        <section>
          <h5>Added to the management IPSet</h5>
          <ul className="pve-fw-list">
            {additions.map((m) => (
              <li key={m.cidr} className="mono" data-testid="pve-fw-ipset-add">
                + {m.cidr}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <table className="pve-fw-table pve-fw-guard">
        <caption>Who still gets in after the change</caption>
        <thead>
          <tr>
            <th>ADDRESS</th>
            <th>FOR</th>
            <th>PORT</th>
            <th>ALLOWED</th>
            <th>BY</th>
          </tr>
        </thead>
        <tbody>
          {plan.guard.map((g) => (
            <tr key={`${g.address}-${g.port}-${g.who}`} className={g.allowed ? 'is-allowed' : 'is-blocked'} data-testid="pve-fw-guard" data-address={g.address} data-port={g.port} data-allowed={g.allowed}>
              <td className="mono">{g.address}</td>
              <td>{g.who}</td>
              <td className="mono">{g.port}</td>
              <td aria-label={g.allowed ? 'allowed' : 'blocked'}>{g.allowed ? '✓' : '✗'}</td>
              <td>{g.by}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
