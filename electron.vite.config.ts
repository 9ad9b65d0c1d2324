/**
 * `npm run build` (electron-vite 5): main (ESM, package.json is "type": "module"), the preload
 * (ONE CommonJS file: a sandboxed preload cannot load ES modules, and electron-vite would emit
 * `.mjs` for a module package) and the renderer. Nothing here needs the Electron binary.
 * The demo server builds the renderer alone from `rendererConfig`, so both builds are the same.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { UserConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export const RENDERER_OUT_DIR = resolve(root, 'out/renderer');

/** The renderer as plain Vite config: relative asset URLs (loaded from app:// or the demo server), minified. */
export const rendererConfig = {
  root: resolve(root, 'renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: RENDERER_OUT_DIR,
    emptyOutDir: true,
    target: 'chrome140',
    minify: 'esbuild',
    reportCompressedSize: false,
    // No inline <script>/data: modules: the page's CSP allows scripts from 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: { input: resolve(root, 'renderer/index.html') },
  },
} satisfies UserConfig;

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: { main: resolve(root, 'electron/main.ts') },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { preload: resolve(root, 'electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true },
      },
    },
  },
  renderer: rendererConfig,
});
