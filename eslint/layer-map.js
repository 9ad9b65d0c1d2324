// The layer map (vscode's `code-layering` is the model): which layer may import which, and which
// packages each may use. One table, one rule (`layers/map`); eslint.config.js applies it to every
// TypeScript file. A file in no layer (bin/, eslint/) is not checked.
import { dirname, relative, resolve } from 'node:path';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * First match wins. `files`: a folder (ends in /) or a file without its extension.
 * `may`: layers it imports values and types from; `types`: layers it imports types from only.
 * `packages`: the only npm packages it may import (absent = any); `node`: Node built-ins allowed;
 * `electron`: 'values' in the two files Electron starts, types only everywhere else.
 */
export const LAYERS = [
  { name: 'domain', files: ['electron/domain/'], may: [], packages: ['zod'], node: false, why: 'the domain is pure: it imports only its own files and zod' },
  { name: 'probes', files: ['probes/'], may: ['domain'], node: true },
  // The simulated host (PowerShell and scenario JSON, never shipped): no shipped layer may import it;
  // the agent finds it at run time (script-paths.ts), tests, bench and scripts ('*') read it.
  { name: 'sim', files: ['sim/'], may: [] },
  { name: 'contract', files: ['electron/contract', 'electron/client-contract', 'electron/demo-token'], may: ['domain'], node: false, why: 'the contract is the IPC seam: the page type-checks it, so no Node' },
  { name: 'agent', files: ['electron/agent/'], may: ['domain', 'probes', 'manifest'], node: true, why: 'the agent speaks the domain, not the transport: the contract derives from the domain' },
  { name: 'cli', files: ['electron/cli', 'electron/cli/'], may: ['domain', 'probes', 'agent', 'manifest'], node: true },
  { name: 'shell', files: ['electron/shell/'], may: ['domain', 'probes', 'contract', 'agent'], node: true, why: 'electron/shell takes Electron as a parameter' },
  { name: 'preload', files: ['electron/preload'], may: [], types: ['contract'], node: false, electron: 'values', why: 'the sandboxed preload requires nothing but electron' },
  { name: 'main', files: ['electron/main'], may: ['domain', 'probes', 'contract', 'agent', 'cli', 'shell', 'manifest'], node: true, electron: 'values' },
  { name: 'demo', files: ['electron/demo/'], may: ['domain', 'probes', 'contract', 'agent', 'shell', 'build'], node: true },
  { name: 'renderer-demo', files: ['renderer/demo/'], may: ['renderer', 'domain', 'contract'], node: false, why: 'the page talks to the agent only through the bridge' },
  { name: 'renderer', files: ['renderer/'], may: ['domain', 'contract'], types: ['preload'], node: false, why: 'the page talks to the agent only through the bridge (and the demo bridge is its own entry, renderer/demo)' },
  { name: 'build', files: ['electron.vite.config', 'vitest.config'], may: ['*'], node: true },
  { name: 'manifest', files: ['package'], may: [] },
  { name: 'tools', files: ['test/', 'bench/', 'scripts/'], may: ['*'], node: true },
];

const NODE_BUILTINS = new Set(builtinModules);
const withoutExtension = (path) => path.replace(/\.(?:[cm]?[jt]sx?|json|css)$/, '');

/** The layer a repository path (without its extension) belongs to. */
export function layerOf(path) {
  return LAYERS.find((layer) => layer.files.some((entry) => (entry.endsWith('/') ? path.startsWith(entry) : path === entry)));
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Why `source` may not be imported from a file of `layer` (undefined when it may). */
export function violation(layer, fromFile, source, typeOnly) {
  if (source.startsWith('.')) {
    const target = withoutExtension(relative(ROOT, resolve(dirname(fromFile), source)).split('\\').join('/'));
    const to = layerOf(target);
    if (!to || to.name === layer.name || layer.may.includes('*') || layer.may.includes(to.name)) return undefined;
    if (typeOnly && layer.types?.includes(to.name)) return undefined;
    const allowed = [...layer.may, ...(layer.types ?? []).map((name) => `${name} (types)`)];
    return `${layer.name} may not import ${target} (${to.name}); it may import ${allowed.length > 0 ? allowed.join(', ') : 'only its own files'}${layer.why ? ` — ${layer.why}` : ''}.`;
  }
  const name = packageName(source);
  if (name === 'electron') {
    if (typeOnly || layer.electron === 'values') return undefined;
    return 'Only electron/main.ts and electron/preload.ts import Electron values (electron/shell/ takes them as parameters); import types with `import type`.';
  }
  if (source.startsWith('node:') || NODE_BUILTINS.has(name)) {
    return layer.node === false ? `${layer.name} may not import Node's ${source}${layer.why ? ` — ${layer.why}` : ''}.` : undefined;
  }
  if (layer.packages && !layer.packages.includes(name)) return `${layer.name} may import only ${layer.packages.join(', ')}, not ${source}${layer.why ? ` — ${layer.why}` : ''}.`;
  return undefined;
}

const isTypeOnly = (node) =>
  node.importKind === 'type' ||
  node.exportKind === 'type' ||
  (node.specifiers?.length > 0 && node.specifiers.every((specifier) => specifier.importKind === 'type' || specifier.exportKind === 'type'));

export const layerMapRule = {
  meta: { type: 'problem', docs: { description: 'Imports follow the layer map (eslint/layer-map.js).' }, schema: [] },
  create(context) {
    const file = context.filename;
    const layer = layerOf(withoutExtension(relative(ROOT, file).split('\\').join('/')));
    if (!layer) return {};
    const check = (node, sourceNode, typeOnly) => {
      if (sourceNode?.type !== 'Literal' || typeof sourceNode.value !== 'string') return;
      const message = violation(layer, file, sourceNode.value, typeOnly);
      if (message) context.report({ node, message });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source, isTypeOnly(node)),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source, isTypeOnly(node)),
      ExportAllDeclaration: (node) => check(node, node.source, isTypeOnly(node)),
      ImportExpression: (node) => check(node, node.source, false),
    };
  },
};

export const layersPlugin = { rules: { map: layerMapRule } };
