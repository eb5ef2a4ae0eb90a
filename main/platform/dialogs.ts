import { dialog, type BrowserWindow } from 'electron';
import type { FileDialogs } from '../services/app';

export function electronDialogs(getWindow: () => BrowserWindow | null): FileDialogs {
  return {
    async chooseSavePath({ title, defaultName }) {
      const win = getWindow();
      const options = { title, defaultPath: defaultName };
      const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    async chooseOpenPath({ title }) {
      const win = getWindow();
      const options = { title, properties: ['openFile' as const] };
      const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return r.canceled || !r.filePaths[0] ? null : r.filePaths[0];
    },
  };
}
