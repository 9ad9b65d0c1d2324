// Lint: typescript-eslint's recommended rules plus the layer rules of DESIGN.md —
// `electron` values stay in electron/main.ts and electron/preload.ts; renderer/ imports neither
// electron nor Node. Type-only imports are allowed everywhere (they vanish at build time).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['fs', 'path', 'child_process', 'os', 'net', 'tls', 'crypto', 'http', 'https', 'stream', 'url', 'util', 'events', 'worker_threads', 'process'];

const noElectronValues = {
  paths: [{ name: 'electron', message: 'Only electron/main.ts and electron/preload.ts import Electron values (electron/shell/ takes them as parameters); import types with `import type`.', allowTypeImports: true }],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', '.tools/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', Buffer: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', structuredClone: 'readonly', queueMicrotask: 'readonly', performance: 'readonly', fetch: 'readonly', window: 'readonly', document: 'readonly', navigator: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // electron/shell/ takes the Electron pieces as parameters (tests pass a fake), so only
    // electron/main.ts and electron/preload.ts import Electron values at all.
    files: ['probes/**/*.ts', 'electron/agent/**/*.ts', 'electron/cli.ts', 'electron/contract.ts', 'electron/demo/**/*.ts', 'electron/shell/**/*.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', noElectronValues] },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [noElectronValues.paths[0], ...NODE_BUILTINS.map((name) => ({ name, message: 'The renderer runs in a sandboxed web page: no Node modules.' }))],
        patterns: [{ group: ['node:*'], message: 'The renderer runs in a sandboxed web page: no Node modules.' }, { group: ['**/electron/agent/**', '**/electron/shell/**', '**/electron/main*'], message: 'The renderer talks to the agent only through the bridge.' }],
      }],
    },
  },
);
