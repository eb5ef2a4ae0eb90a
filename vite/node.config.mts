import { defineConfig } from 'vite';
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../package.json'), 'utf8')) as { dependencies: Record<string, string> };
// Runtime dependencies stay in node_modules (better-sqlite3 is native; electron-builder packs them).
const external = ['electron', ...builtinModules, ...builtinModules.map((m) => `node:${m}`), ...Object.keys(pkg.dependencies)];

/** The Node-side programs: the Electron main process, the CLI and the start:web server. */
export default defineConfig({
  build: {
    ssr: true,
    outDir: resolve(import.meta.dirname, '../out'),
    emptyOutDir: false,
    sourcemap: true,
    target: 'node20',
    minify: false,
    rollupOptions: {
      input: {
        'main/index': resolve(import.meta.dirname, '../main/index.ts'),
        'cli/bulwark': resolve(import.meta.dirname, '../main/cli/bin.ts'),
        'web/start': resolve(import.meta.dirname, '../main/web/start.ts'),
      },
      external: (id) => external.some((e) => id === e || id.startsWith(`${e}/`)),
      output: { format: 'cjs', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
});
