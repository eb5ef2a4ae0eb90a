import { useCallback, useEffect, useState } from 'react';
import type { ProfileView, TextFile } from '../../../../shared/domain/hardening';
import { Dialog } from '../../components/Dialog';
import { FormError } from '../../components/FormError';
import { Icon } from '../../components/Icon';
import { copyText, downloadText } from '../../lib/clipboard';
import { codeOf, messageOf } from '../../lib/errors';
import { useProfilesStore } from '../../stores/profiles';
import { toastError, toastSuccess } from '../../stores/ui';

export type ExportFormat = 'yaml' | 'ansible';

const COPY: Record<ExportFormat, { title: string; what: string; description: string }> = {
  yaml: {
    title: 'Export profile as YAML',
    what: 'Profile YAML',
    description: 'The profile as Bulwark imports it (bulwark profile import, or Import YAML here). Contains no secrets.',
  },
  ansible: {
    title: 'Export as Ansible playbook',
    what: 'Ansible playbook',
    description: "The profile's controls as an Ansible playbook, for teams that run Ansible or AWX.",
  },
};

export function ExportProfileDialog({ profile, format, onClose }: { profile: ProfileView; format: ExportFormat; onClose: () => void }) {
  const exportYaml = useProfilesStore((s) => s.exportYaml);
  const exportAnsible = useProfilesStore((s) => s.exportAnsible);
  const [file, setFile] = useState<TextFile | null>(null);
  const [error, setError] = useState<unknown>(null);
  const copy = COPY[format];

  const load = useCallback(() => {
    setError(null);
    (format === 'yaml' ? exportYaml : exportAnsible)(profile.id).then(setFile, setError);
  }, [format, profile.id, exportYaml, exportAnsible]);
  useEffect(load, [load]);

  const copyAll = () =>
    file &&
    copyText(file.text).then(
      () => toastSuccess(`${copy.what} copied to the clipboard`),
      (e: unknown) => toastError(`Could not copy the ${copy.what.toLowerCase()}`, e),
    );

  return (
    <Dialog
      title={copy.title}
      onClose={onClose}
      size="lg"
      testId="profile-export-dialog"
      description={
        <p>
          <strong>{profile.name}</strong> <code>{profile.id}</code>. {copy.description}
        </p>
      }
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose} data-testid="profile-export-close">
            Close
          </button>
          <button type="button" className="btn btn-secondary" onClick={() => void copyAll()} disabled={!file} data-testid="profile-export-copy">
            <Icon name="copy" /> Copy
          </button>
          <button type="button" className="btn btn-primary" onClick={() => file && downloadText(file.text, file.fileName, 'application/yaml')} disabled={!file} data-testid="profile-export-download">
            <Icon name="download" /> Download {file ? file.fileName : ''}
          </button>
        </>
      }
    >
      {error ? (
        <div className="stack">
          <FormError testId="profile-export-error" message={messageOf(error)} code={codeOf(error)} />
          <button type="button" className="btn btn-secondary" onClick={load}>
            Try again
          </button>
        </div>
      ) : !file ? (
        <p className="muted" aria-busy="true">
          Building the {copy.what.toLowerCase()}…
        </p>
      ) : (
        <textarea className="input mono export-text" readOnly value={file.text} rows={20} aria-label={copy.what} spellCheck={false} data-testid="profile-export-text" data-format={format} />
      )}
    </Dialog>
  );
}
