import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

// The renderer is a static bundle loaded from app://bulwark/ in Electron and from
// 127.0.0.1 in start:web and the browser tests: relative asset paths, no inline scripts (CSP).
export default defineConfig({
  root: resolve(import.meta.dirname, '../renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, '../out/renderer'),
    emptyOutDir: true,
    sourcemap: true,
    modulePreload: { polyfill: false },
  },
});
