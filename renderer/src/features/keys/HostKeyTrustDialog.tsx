import { useCallback, useEffect, useRef, useState } from 'react';
import type { HostKeyProbe } from '../../../../shared/domain/keys';
import { call } from '../../bridge';
import { Dialog } from '../../components/Dialog';
import { FormError } from '../../components/FormError';
import { codeOf, messageOf } from '../../lib/errors';
import { useHostsStore } from '../../stores/hosts';
import { toastSuccess } from '../../stores/ui';

/**
 * Hosts are probed one request each, this many at a time, so every answer shows as it arrives:
 * one unreachable host must not hide the others behind its connection timeout.
 */
const PROBE_PARALLEL = 12;

interface RowState {
  busy?: boolean;
  trusted?: { fingerprint: string; keyType: string };
  error?: unknown;
  /** HOST_KEY_CHANGED: the confirmation step is open, with what was typed so far. */
  confirmText?: string;
}

interface Props {
  hostIds: readonly string[];
  /** Opened because a job failed on these hosts' keys (the text says so). */
  fromJob?: boolean;
  onClose: () => void;
}

async function probeEach(hostIds: readonly string[], onProbe: (p: HostKeyProbe) => void, cancelled: () => boolean): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < hostIds.length && !cancelled()) {
      const id = hostIds[next++]!;
      const [p] = await call('ssh:probe', { hostIds: [id] });
      if (p && !cancelled()) onProbe(p);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PROBE_PARALLEL, hostIds.length) }, worker));
}

/**
 * Shows what each host presents and pins a key only when the user says so, host by host (or
 * "Trust all shown" after reading the list). A changed key is a red warning and is replaced only
 * after the user types the host's name. Exactly the key shown is sent back to ssh:trust.
 */
export function HostKeyTrustDialog({ hostIds, fromJob = false, onClose }: Props) {
  const hosts = useHostsStore((s) => s.hosts);
  const [answers, setAnswers] = useState<Record<string, HostKeyProbe>>({});
  const [probing, setProbing] = useState(false);
  const [probeError, setProbeError] = useState<unknown>(null);
  const [rows, setRows] = useState<Record<string, RowState>>({});
  const [bulkBusy, setBulkBusy] = useState(false);
  /** Bumped per round, so answers of an abandoned round (closed, or "Check again") are dropped. */
  const round = useRef(0);

  const probe = useCallback(async () => {
    const mine = ++round.current;
    setAnswers({});
    setProbeError(null);
    setRows({});
    setProbing(true);
    try {
      await probeEach(hostIds, (p) => setAnswers((a) => ({ ...a, [p.hostId]: p })), () => round.current !== mine);
    } catch (e) {
      if (round.current === mine) setProbeError(e);
    } finally {
      if (round.current === mine) setProbing(false);
    }
  }, [hostIds]);

  useEffect(() => {
    void probe();
    return () => {
      round.current++;
    };
  }, [probe]);

  // In the order asked for; hosts not answered yet show as waiting.
  const names = new Map(hosts.map((h) => [h.id, h]));
  const probes = hostIds.flatMap((id) => (answers[id] ? [answers[id]] : []));
  const waiting = hostIds.filter((id) => !answers[id]);

  const patch = (id: string, p: RowState) => setRows((r) => ({ ...r, [id]: { ...r[id], ...p } }));

  const trust = async (p: HostKeyProbe, replace = false): Promise<boolean> => {
    if (!p.key) return false;
    patch(p.hostId, { busy: true, error: undefined });
    try {
      const r = await call('ssh:trust', { hostId: p.hostId, key: p.key, ...(replace ? { replace: true } : {}) });
      patch(p.hostId, { busy: false, trusted: r, confirmText: undefined });
      return true;
    } catch (e) {
      patch(p.hostId, { busy: false, error: e });
      return false;
    }
  };

  const pending = probes.filter((p) => p.status === 'unknown' && !rows[p.hostId]?.trusted);
  const changed = probes.filter((p) => p.status === 'changed' && !rows[p.hostId]?.trusted);

  const trustAll = async () => {
    setBulkBusy(true);
    let n = 0;
    for (const p of pending) if (await trust(p)) n++;
    setBulkBusy(false);
    if (n > 0) toastSuccess(`Trusted ${n} host ${n === 1 ? 'key' : 'keys'}`);
  };

  const busy = bulkBusy || Object.values(rows).some((r) => r.busy);

  return (
    <Dialog
      title="Host keys"
      onClose={onClose}
      busy={busy}
      size="lg"
      testId="trust-dialog"
      description={
        <p>
          {fromJob ? 'Bulwark stopped before logging in to these hosts because it does not trust their host key yet. ' : null}
          Compare each fingerprint with the one the host itself shows (on its console: <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code>) and trust only
          those that match. Nothing is trusted automatically.
        </p>
      }
      footer={
        <>
          <button type="button" className="btn btn-ghost push-left" onClick={() => void probe()} disabled={busy || probing} data-testid="trust-recheck">
            Check again
          </button>
          <button type="button" className="btn btn-secondary" onClick={onClose} disabled={busy} data-testid="trust-close">
            {pending.length === 0 && changed.length === 0 ? 'Done' : 'Close'}
          </button>
          <button type="button" className="btn btn-primary" onClick={() => void trustAll()} disabled={busy || pending.length === 0} data-testid="trust-all">
            {pending.length > 0 ? `Trust all ${pending.length} shown` : 'Trust all shown'}
          </button>
        </>
      }
    >
      {probeError ? <FormError testId="trust-probe-error" message={`Could not ask the hosts for their keys: ${messageOf(probeError)}`} code={codeOf(probeError)} /> : null}
      {probing ? (
        <p className="muted small" aria-live="polite" data-testid="trust-loading">
          {probes.length} of {hostIds.length} answered. An unreachable host takes up to the connection timeout.
        </p>
      ) : null}
      <ul className="trust-list" aria-label="Hosts and the keys they present">
        {probes.map((p) => (
          <TrustRow key={p.hostId} probe={p} state={rows[p.hostId] ?? {}} disabled={bulkBusy} onTrust={(replace) => void trust(p, replace)} onConfirmText={(t) => patch(p.hostId, { confirmText: t })} />
        ))}
        {(probing ? waiting : []).map((id) => {
          const h = names.get(id);
          return (
            <li key={id} className="trust-row trust-waiting" aria-busy="true" data-testid="trust-row" data-host-name={h?.name ?? id} data-status="waiting">
              <div className="trust-head">
                <strong className="trust-name">{h?.name ?? id}</strong>
                {h ? <span className="mono muted">{h.address.includes(':') ? `[${h.address}]` : h.address}:{h.port}</span> : null}
                <span className="status">asking for its key…</span>
              </div>
            </li>
          );
        })}
      </ul>
      {changed.length > 0 ? (
        <p className="small muted">“Trust all shown” never includes hosts whose key changed: each needs its own confirmation.</p>
      ) : null}
    </Dialog>
  );
}

interface RowProps {
  probe: HostKeyProbe;
  state: RowState;
  disabled: boolean;
  onTrust: (replace: boolean) => void;
  /** undefined closes the confirmation step. */
  onConfirmText: (text: string | undefined) => void;
}

function TrustRow({ probe: p, state, disabled, onTrust, onConfirmText }: RowProps) {
  const status = state.trusted ? 'now-trusted' : p.status;
  const confirmOpen = state.confirmText !== undefined;
  return (
    <li className={`trust-row trust-${status}`} data-testid="trust-row" data-host-name={p.name} data-status={status}>
      <div className="trust-head">
        <strong className="trust-name">{p.name}</strong>
        <span className="mono muted">
          {p.address.includes(':') ? `[${p.address}]` : p.address}:{p.port}
        </span>
        <span className={`status status-${status}`} data-testid="trust-status">
          {status === 'now-trusted' ? 'trusted now' : status === 'trusted' ? 'already trusted' : status === 'unknown' ? 'not trusted yet' : status === 'changed' ? 'KEY CHANGED' : 'unreachable'}
        </span>
      </div>

      {p.status === 'failed' ? (
        <p className="job-error" data-testid="trust-error">
          <code className="error-code">{p.error?.code}</code> {p.error?.message}
        </p>
      ) : (
        <dl className="trust-key">
          <dt>{p.status === 'changed' ? 'Presented now' : 'Key'}</dt>
          <dd>
            <span className="mono">{p.keyType}</span> <span className="mono fingerprint" data-testid="trust-fingerprint">{p.fingerprint}</span>
          </dd>
          {p.status === 'changed' ? (
            <>
              <dt>Pinned</dt>
              <dd data-testid="trust-pinned">
                {p.pinned.map((k) => (
                  <span key={k.fingerprint} className="pinned-key">
                    <span className="mono">{k.keyType}</span> <span className="mono fingerprint">{k.fingerprint}</span>
                  </span>
                ))}
              </dd>
            </>
          ) : null}
        </dl>
      )}

      {p.status === 'changed' && !state.trusted ? (
        <div className="notice notice-danger" role="alert" data-testid="trust-changed-warning">
          <p>
            <strong>This host presents a different key than the one Bulwark pinned.</strong> That happens when a host is reinstalled or its keys are
            regenerated — and when someone intercepts the connection. Bulwark sent nothing to it. Replace the pinned key only if you know why it changed.
          </p>
          {confirmOpen ? (
            <div className="inline-form">
              <label className="field grow">
                <span>
                  Type <strong className="mono">{p.name}</strong> to replace the pinned key
                </span>
                <input
                  className="input mono"
                  value={state.confirmText}
                  onChange={(e) => onConfirmText(e.target.value)}
                  autoComplete="off"
                  spellCheck={false}
                  autoFocus
                  data-testid="trust-replace-confirm"
                />
              </label>
              <button type="button" className="btn btn-secondary" onClick={() => onConfirmText(undefined)} disabled={state.busy}>
                Keep the pinned key
              </button>
              <button type="button" className="btn btn-danger" onClick={() => onTrust(true)} disabled={state.busy || disabled || state.confirmText !== p.name} data-testid="trust-replace">
                Replace pinned key
              </button>
            </div>
          ) : (
            <button type="button" className="btn btn-danger-ghost" onClick={() => onConfirmText('')} disabled={disabled} data-testid="trust-replace-start">
              Replace the pinned key…
            </button>
          )}
        </div>
      ) : null}

      {p.status === 'unknown' && !state.trusted ? (
        <div className="row-actions">
          <button type="button" className="btn btn-primary btn-sm" onClick={() => onTrust(false)} disabled={state.busy || disabled} aria-label={`Trust the host key of ${p.name}`} data-testid="trust-host">
            {state.busy ? 'Trusting…' : 'Trust'}
          </button>
        </div>
      ) : null}
      {state.trusted ? (
        <p className="small trust-done" data-testid="trust-done">
          Pinned {state.trusted.keyType} {state.trusted.fingerprint}
        </p>
      ) : null}
      {state.error ? <FormError message={messageOf(state.error)} code={codeOf(state.error)} testId="trust-row-error" /> : null}
    </li>
  );
}
