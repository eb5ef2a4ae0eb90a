/**
 * Copies text. The async Clipboard API can be refused by Electron's permission handler, so it
 * falls back to a selected, off-screen textarea and execCommand('copy').
 */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    /* fall through to the legacy path */
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'offscreen';
  // Inside a modal <dialog> everything outside it is inert, so the textarea goes next to focus.
  const host = document.activeElement?.closest('dialog') ?? document.body;
  const previous = document.activeElement as HTMLElement | null;
  host.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  previous?.focus();
  if (!ok) throw new Error('The clipboard refused the text; select it and copy by hand.');
}

/** Saves text as a file through the browser's download path (a Blob and <a download>). */
export function downloadText(text: string, fileName: string, type = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.className = 'offscreen';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoke later: revoking at once can cancel the download in Chromium.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
