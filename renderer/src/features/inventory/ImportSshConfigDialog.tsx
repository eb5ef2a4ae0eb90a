import { useId, useState, type FormEvent } from 'react';
import { mergeSshConfigReports, type KeyPassphrases, type SshConfigImportReport } from '../../../../shared/domain/ssh-config-import';
import { Dialog } from '../../components/Dialog';
import { FormError } from '../../components/FormError';
import { codeOf, messageOf } from '../../lib/errors';
import { toastSuccess } from '../../stores/ui';
import { ImportReportView } from './ImportReportView';
import { importSshConfig, readLimited, useImport } from './useImport';

const MAX_CHARS = 5_000_000;

/**
 * Imports hosts and the keys their IdentityFiles name. When some keys are encrypted, the hosts
 * are already imported; the dialog then asks for each key's passphrase (or lets it be skipped)
 * and runs the import once more with them. Passphrases live in this component's state only until
 * that second call is sent.
 */
export function ImportSshConfigDialog({ onClose }: { onClose: () => void }) {
  const { busy, error, report, run, setReport } = useImport<SshConfigImportReport>();
  const [file, setFile] = useState<File | null>(null);
  // what the first run read, so the second run imports the same config
  const [text, setText] = useState<string | undefined>(undefined);
  const [pending, setPending] = useState<SshConfigImportReport | null>(null);
  const inputId = useId();

  const finish = (r: SshConfigImportReport) =>
    toastSuccess('Import finished', `${r.added.length} added, ${r.updated.length} updated, ${r.skipped.length} skipped; ${r.keys.imported.length} keys imported`);

  const start = async (source: () => Promise<string | undefined>) => {
    const r = await run(
      async () => {
        const t = await source();
        setText(t);
        return importSshConfig(t);
      },
      { toast: false },
    );
    if (!r) return;
    if (r.keys.needPassphrase.length) setPending(r);
    else finish(r);
  };

  const retry = async (passphrases: KeyPassphrases) => {
    const first = pending!;
    const r = await run(async () => mergeSshConfigReports(first, await importSshConfig(text, passphrases)), { toast: false });
    if (!r) return;
    setPending(null);
    finish(r);
  };

  const skipAll = () => {
    setReport(pending);
    setPending(null);
    if (pending) finish(pending);
  };

  const done = report && !pending;
  return (
    <Dialog
      title="Import OpenSSH config"
      onClose={onClose}
      busy={busy}
      size="lg"
      testId="import-ssh-dialog"
      description={
        <p>
          Each <code>Host</code> entry becomes an inventory host. A host whose name already exists is updated; entries that cannot become a host
          (wildcard patterns, invalid values) are skipped with the reason. The private keys named by <code>IdentityFile</code> are imported into the
          vault, and each host logs in with the first of its keys that imports.
        </p>
      }
      footer={
        done ? (
          <button type="button" className="btn btn-primary" onClick={onClose} data-testid="import-done">
            Done
          </button>
        ) : (
          <button type="button" className="btn btn-secondary" onClick={onClose} disabled={busy} data-testid="import-cancel">
            {pending ? 'Close' : 'Cancel'}
          </button>
        )
      }
    >
      {pending ? (
        <PassphraseStep report={pending} busy={busy} error={error} onSubmit={(p) => void retry(p)} onSkipAll={skipAll} />
      ) : report ? (
        <ImportReportView report={report} />
      ) : (
        <div className="stack">
          <div className="field">
            <label htmlFor={inputId}>Config file</label>
            <input id={inputId} type="file" className="file-input" onChange={(e) => setFile(e.target.files?.[0] ?? null)} disabled={busy} data-testid="import-ssh-file" />
          </div>
          <div className="row-actions">
            <button
              type="button"
              className="btn btn-primary"
              disabled={!file || busy}
              onClick={() => file && void start(() => readLimited(file, MAX_CHARS))}
              data-testid="import-ssh-submit"
            >
              {busy ? 'Importing…' : 'Import file'}
            </button>
            <span className="muted">or</span>
            <button type="button" className="btn btn-secondary" disabled={busy} onClick={() => void start(async () => undefined)} data-testid="import-ssh-read-default">
              Read ~/.ssh/config
            </button>
          </div>
          <FormError testId="import-error" message={error ? messageOf(error) : null} code={codeOf(error)} />
        </div>
      )}
    </Dialog>
  );
}

interface PassphraseStepProps {
  report: SshConfigImportReport;
  busy: boolean;
  error: unknown;
  onSubmit: (passphrases: KeyPassphrases) => void;
  onSkipAll: () => void;
}

/** One password field per encrypted key file, each with "Skip". */
function PassphraseStep({ report, busy, error, onSubmit, onSkipAll }: PassphraseStepProps) {
  const paths = report.keys.needPassphrase;
  const [values, setValues] = useState<Record<string, string>>({});
  const [skipped, setSkipped] = useState<ReadonlySet<string>>(new Set());
  const id = useId();
  const toSend = paths.filter((p) => !skipped.has(p) && (values[p] ?? '') !== '');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (toSend.length === 0) return onSkipAll();
    const passphrases = Object.fromEntries(toSend.map((p) => [p, values[p]!]));
    // the fields are cleared as the request leaves: a passphrase is used once and not kept
    setValues({});
    onSubmit(passphrases);
  };
  const toggleSkip = (path: string) =>
    setSkipped((s) => {
      const next = new Set(s);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });

  return (
    <form className="stack" onSubmit={submit} data-testid="import-key-passphrases">
      <p role="status" data-testid="import-passphrase-summary">
        <strong>{report.added.length}</strong> added · <strong>{report.updated.length}</strong> updated · <strong>{report.skipped.length}</strong> skipped.{' '}
        {paths.length === 1 ? 'One key is' : `${paths.length} keys are`} protected by a passphrase. Enter {paths.length === 1 ? 'it' : 'them'} to import{' '}
        {paths.length === 1 ? 'it' : 'them'} (Bulwark stores keys decrypted inside the encrypted vault and does not keep the passphrase), or skip.
      </p>
      {paths.map((path, i) => (
        <div className="field" key={path} data-testid="import-passphrase-row">
          <label htmlFor={`${id}-${i}`} className="mono">
            {path}
          </label>
          <div className="inline-form">
            <input
              id={`${id}-${i}`}
              type="password"
              className="input"
              autoComplete="off"
              value={values[path] ?? ''}
              onChange={(e) => setValues((v) => ({ ...v, [path]: e.target.value }))}
              disabled={busy || skipped.has(path)}
              autoFocus={i === 0}
              data-testid="import-passphrase-input"
            />
            <label className="checkbox">
              <input type="checkbox" checked={skipped.has(path)} onChange={() => toggleSkip(path)} disabled={busy} data-testid="import-passphrase-skip" />
              Skip
            </label>
          </div>
        </div>
      ))}
      <div className="row-actions">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="import-passphrase-submit">
          {busy ? 'Importing…' : toSend.length ? `Import ${toSend.length === 1 ? 'key' : `${toSend.length} keys`}` : 'Continue without these keys'}
        </button>
        <button type="button" className="btn btn-secondary" disabled={busy} onClick={onSkipAll} data-testid="import-passphrase-skip-all">
          Skip all
        </button>
      </div>
      <FormError testId="import-error" message={error ? messageOf(error) : null} code={codeOf(error)} />
    </form>
  );
}
