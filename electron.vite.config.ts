/**
 * `npm run build` (electron-vite 5): main (ESM, package.json is "type": "module"), the preload
 * (ONE CommonJS file: a sandboxed preload cannot load ES modules, and electron-vite would emit
 * `.mjs` for a module package) and the renderer. Nothing here needs the Electron binary.
 * The demo server builds the renderer alone from `demoRendererConfig`: the same page and config,
 * with the demo's entry (renderer/demo/main.tsx, the bridge over HTTP) in place of the product's,
 * so the product's bundle never holds the demo bridge.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin, UserConfig } from 'vite';

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

export const DEMO_RENDERER_OUT_DIR = resolve(root, 'out/renderer-demo');
const PRODUCT_ENTRY = 'src="./main.tsx"';
const DEMO_ENTRY = 'src="./demo/main.tsx"';

/** renderer/index.html with the demo's entry script: one page, one CSP meta tag, two entries. */
function demoEntry(): Plugin {
  return {
    name: 'rdp-health-demo-entry',
    transformIndexHtml: {
      order: 'pre',
      handler(html) {
        if (!html.includes(PRODUCT_ENTRY)) throw new Error(`renderer/index.html no longer loads ${PRODUCT_ENTRY}; update the demo entry in electron.vite.config.ts.`);
        return html.replace(PRODUCT_ENTRY, DEMO_ENTRY);
      },
    },
  };
}

/** The demo's renderer (`npm run demo`, the end-to-end tests): the product's config with the demo entry. */
export const demoRendererConfig = {
  ...rendererConfig,
  plugins: [react(), demoEntry()],
  build: { ...rendererConfig.build, outDir: DEMO_RENDERER_OUT_DIR },
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
