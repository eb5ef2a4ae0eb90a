import { defineConfig } from 'vite';
import { resolve } from 'node:path';

/**
 * The sandboxed preload: one CommonJS file; only 'electron' may be required at run time,
 * so zod and the contract are bundled in.
 */
export default defineConfig({
  build: {
    outDir: resolve(import.meta.dirname, '../out/preload'),
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
    target: 'chrome130',
    lib: { entry: resolve(import.meta.dirname, '../preload/index.ts'), formats: ['cjs'], fileName: () => 'index.cjs' },
    rollupOptions: { external: ['electron'] },
  },
});
