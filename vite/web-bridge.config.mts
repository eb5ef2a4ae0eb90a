import { defineConfig } from 'vite';
import { resolve } from 'node:path';

/** window.bulwark for start:web and the browser tests: createApi over HTTP, as a classic script. */
export default defineConfig({
  build: {
    outDir: resolve(import.meta.dirname, '../out/web-bridge'),
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
    target: 'chrome120',
    lib: { entry: resolve(import.meta.dirname, '../preload/web.ts'), formats: ['iife'], name: 'bulwarkBridge', fileName: () => 'bridge.js' },
  },
});
