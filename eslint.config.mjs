// Layering rules: who may import whom. CI runs `npm run lint`; a violation fails the build.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'path', 'os', 'crypto', 'child_process', 'net', 'http', 'https', 'tls', 'stream', 'util', 'url', 'zlib', 'worker_threads'];
const pattern = (group, message) => ({ group, message });
const ZOD = { name: 'zod', message: 'Import z from shared/zod.ts: it turns off eval-based parsers that the CSP would refuse' };

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'release/**', 'test-results/**', 'playwright-report/**', 'tests/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/zod.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [ZOD],
        patterns: [
          pattern(['electron', ...NODE_BUILTINS], 'shared/ runs in every process: no electron, no Node built-ins'),
          pattern(['**/main/**', '**/renderer/**', '**/preload/**', 'react', 'zustand'], 'shared/ imports nothing local but shared/'),
        ],
      }],
    },
  },
  {
    files: ['main/services/**/*.ts', 'main/cli/**/*.ts', 'main/web/**/*.ts', 'main/assets/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          pattern(['electron'], 'Domain code runs under plain Node (tests, CLI): adapt Electron APIs in main/platform'),
          pattern(['**/renderer/**', '**/preload/**', 'react', 'zustand'], 'main/ never imports the renderer or the preload'),
        ],
      }],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/services/**', 'main/cli/**', 'main/web/**', 'main/assets/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'electron', importNames: ['ipcMain'], message: 'ipcMain lives only in main/ipc/electron-ipc.ts' },
          { name: 'electron', importNames: ['shell'], message: 'shell.openExternal only through openExternalSafely (main/windows/main-window.ts)' },
        ],
        patterns: [pattern(['**/renderer/**', '**/preload/**', 'react', 'zustand'], 'main/ never imports the renderer or the preload')],
      }],
    },
  },
  {
    files: ['main/ipc/electron-ipc.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'electron', importNames: ['shell'], message: 'shell only in main/windows/main-window.ts' }] }] },
  },
  {
    files: ['main/windows/main-window.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'electron', importNames: ['ipcMain'], message: 'ipcMain lives only in main/ipc/electron-ipc.ts' }] }] },
  },
  {
    files: ['preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [ZOD],
        patterns: [
          pattern([...NODE_BUILTINS], 'The sandboxed preload cannot use Node built-ins'),
          pattern(['**/main/**', '**/renderer/**', 'react', 'zustand'], 'preload/ imports only electron and shared/'),
        ],
      }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [ZOD],
        patterns: [
          pattern(['electron', ...NODE_BUILTINS], 'The renderer is a sandboxed web page: no electron, no Node'),
          pattern(['**/main/**', '**/preload/**'], 'The renderer talks to main only through window.bulwark (src/bridge.ts)'),
        ],
      }],
      'no-restricted-globals': ['error', { name: 'require', message: 'no require in the renderer' }],
    },
  },
  {
    files: ['renderer/src/**/*.ts', 'renderer/src/**/*.tsx'],
    ignores: ['renderer/src/bridge.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'window', property: 'bulwark', message: 'Only src/bridge.ts touches window.bulwark' }],
    },
  },
);
