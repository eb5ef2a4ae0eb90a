/**
 * The layering rules are only worth something if they fire: lint small snippets as if they
 * lived in each folder and expect the violations to be reported.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function errors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId?.startsWith('no-restricted')).map((m) => m.message);
}

describe('import direction rules', () => {
  it.each([
    ["import { app } from 'electron';", 'main/services/vault/x.ts'],
    ["import { readFile } from 'node:fs';", 'renderer/src/x.ts'],
    ["import { ipcRenderer } from 'electron';", 'renderer/src/x.ts'],
    ["import { Vault } from '../../main/services/vault';", 'renderer/src/x.ts'],
    ["import { readFile } from 'fs';", 'shared/x.ts'],
    ["import { createHandlers } from '../main/ipc/handlers';", 'shared/x.ts'],
    ["import { x } from '../main/services/app';", 'preload/x.ts'],
    ["import { ipcMain } from 'electron';", 'main/windows/x.ts'],
    ["import { ipcMain } from 'electron';", 'main/windows/main-window.ts'],
    ["import { shell } from 'electron';", 'main/platform/x.ts'],
    ["import { shell } from 'electron';", 'main/ipc/electron-ipc.ts'],
    ["export const a = window.bulwark;", 'renderer/src/features/x.ts'],
    ["import { z } from 'zod';", 'shared/domain/x.ts'],
    ["import { z } from 'zod';", 'renderer/src/x.ts'],
  ])('rejects %s in %s', async (code, file) => {
    expect(await errors(code, file)).not.toEqual([]);
  });

  it.each([
    ["import { z } from './zod';", 'shared/x.ts'],
    ["import { z } from 'zod';", 'shared/zod.ts'],
    ["import { contextBridge } from 'electron';", 'preload/x.ts'],
    ["import { ipcMain } from 'electron';", 'main/ipc/electron-ipc.ts'],
    ["import { shell } from 'electron';", 'main/windows/main-window.ts'],
    ["import { safeStorage } from 'electron';", 'main/platform/x.ts'],
    ["import { readFile } from 'node:fs';", 'main/services/x.ts'],
    ["import { channels } from '../../shared/contract';", 'renderer/src/x.ts'],
    ["export const a = window.bulwark;", 'renderer/src/bridge.ts'],
  ])('allows %s in %s', async (code, file) => {
    expect(await errors(code, file)).toEqual([]);
  });
});
