import { useState } from 'react';
import { call } from '../../bridge';
import { downloadText } from '../../lib/clipboard';
import { toastError, toastSuccess } from '../../stores/ui';

const TYPES = { html: 'text/html', json: 'application/json' } as const;

/** The recorded run as a self-contained HTML report or JSON, saved through the download path. */
export function ExportButtons({ runId }: { runId: string }) {
  const [busy, setBusy] = useState<'html' | 'json' | null>(null);
  const save = async (format: 'html' | 'json') => {
    setBusy(format);
    try {
      const file = await call('runs:report', { id: runId, format });
      downloadText(file.text, file.fileName, TYPES[format]);
      toastSuccess('Report saved', file.fileName);
    } catch (e) {
      toastError(`Could not export the ${format.toUpperCase()} report`, e);
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="row-actions">
      <button type="button" className="btn btn-secondary btn-sm" onClick={() => void save('html')} disabled={busy !== null} data-testid="run-export-html">
        {busy === 'html' ? 'Exporting…' : 'Export HTML'}
      </button>
      <button type="button" className="btn btn-secondary btn-sm" onClick={() => void save('json')} disabled={busy !== null} data-testid="run-export-json">
        {busy === 'json' ? 'Exporting…' : 'Export JSON'}
      </button>
    </div>
  );
}
