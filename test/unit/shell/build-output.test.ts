// `npm run build` (electron-vite) into a temporary folder, then checks on what would ship:
// the preload is ONE CommonJS file requiring nothing but `electron` (a sandboxed preload cannot
// load ES modules or other files), and it exposes exactly the contract's actions. The Electron
// binary is never needed: the preload runs here in a vm with a fake `electron`.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build } from 'electron-vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, actionOfChannel, contract } from '../../../electron/contract.js';
import { DEMO_TOKEN_HEADER } from '../../../electron/demo-token.js';
import { buildRenderer } from '../../../electron/demo/build-renderer.js';

const root = join(import.meta.dirname, '../../..');
const outDir = mkdtempSync(join(tmpdir(), 'rdp-health-build-'));

beforeAll(async () => {
  await build({ root, configFile: join(root, 'electron.vite.config.ts'), logLevel: 'error', build: { outDir } });
  await buildRenderer(join(outDir, 'renderer-demo'));
}, 240_000);

/** The page's script as built into `dir` (one file: no code splitting). */
function pageScript(dir: string): string {
  const js = readdirSync(join(dir, 'assets')).filter((f) => f.endsWith('.js'));
  expect(js).toHaveLength(1);
  return readFileSync(join(dir, 'assets', js[0]!), 'utf8');
}

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** Loads the built preload the way Electron's sandboxed loader would: CommonJS, `require` limited to electron. */
function loadPreload() {
  const code = readFileSync(join(outDir, 'preload/preload.cjs'), 'utf8');
  const exposed: Record<string, Record<string, (...args: unknown[]) => unknown>> = {};
  const invoked: Array<{ channel: string; args: unknown[] }> = [];
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, (...args: unknown[]) => unknown>) => (exposed[key] = api) },
    ipcRenderer: {
      invoke: async (channel: string, ...args: unknown[]) => invoked.push({ channel, args }),
      on: (channel: string, listener: (...args: unknown[]) => void) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener)),
      removeListener: (channel: string, listener: (...args: unknown[]) => void) => listeners.get(channel)?.delete(listener),
    },
  };
  const required: string[] = [];
  const module = { exports: {} };
  runInNewContext(code, {
    require: (name: string) => {
      required.push(name);
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
      return electron;
    },
    module,
    exports: module.exports,
  });
  return { exposed, invoked, listeners, required };
}

describe('build output', () => {
  it('emits the preload as a single .cjs file', () => {
    expect(readdirSync(join(outDir, 'preload'))).toEqual(['preload.cjs']);
  });

  it('the preload requires electron and nothing else, and has no ES module syntax', () => {
    const code = readFileSync(join(outDir, 'preload/preload.cjs'), 'utf8');
    const requires = [...code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
    expect(code).not.toMatch(/^\s*import[\s{*]/m);
    expect(code).not.toMatch(/^\s*export\s/m);
    expect(code).not.toMatch(/\bimport\s*\(/);
    expect(code).not.toContain('import.meta');
    expect(loadPreload().required).toEqual(['electron']);
  });

  it('the preload exposes one named method per action, and the three pushes, as window.rdpHealth', () => {
    const { exposed } = loadPreload();
    expect(Object.keys(exposed)).toEqual(['rdpHealth']);
    expect(Object.keys(exposed.rdpHealth!).sort()).toEqual([...ACTIONS, 'onSnapshot', 'onChecking', 'onNavigate'].sort());
    expect(Object.keys(exposed.rdpHealth!)).not.toContain('invoke');
  });

  it('each method invokes its own channel with exactly a payload the contract accepts', async () => {
    const { exposed, invoked } = loadPreload();
    const api = exposed.rdpHealth!;
    await api.getSnapshot!();
    await api.previewFix!('certificate.renew');
    await api.applyFix!('certificate.renew', 'preview-1');
    await api.undo!('certificate_renew-1');
    await api.getHistory!(10);
    await api.getLogs!();
    await api.setSettings!({ warnDays: [14] });
    expect(invoked.map((call) => call.channel)).toEqual(['getSnapshot', 'previewFix', 'applyFix', 'undo', 'getHistory', 'getLogs', 'setSettings'].map((a) => `rdp-health:${a}`));
    for (const { channel, args } of invoked) {
      const action = actionOfChannel(channel)!;
      expect(args.length).toBeLessThanOrEqual(1);
      expect(contract[action].request.safeParse(args[0]).success).toBe(true);
    }
  });

  it('pushes reach the page without the IPC event, and unsubscribe removes the listener', () => {
    const { exposed, listeners } = loadPreload();
    const seen: unknown[] = [];
    const off = exposed.rdpHealth!.onSnapshot!((...args: unknown[]) => seen.push(args)) as () => void;
    const [listener] = listeners.get('rdp-health:event:snapshot')!;
    listener!({ sender: 'ipcRenderer handle' }, { overall: 'ok' });
    expect(seen).toEqual([[{ overall: 'ok' }]]);
    off();
    expect(listeners.get('rdp-health:event:snapshot')!.size).toBe(0);
  });

  it('builds main as an ES module that loads electron, and the page with its CSP and no inline script', () => {
    const main = readFileSync(join(outDir, 'main/main.js'), 'utf8');
    expect(main).toMatch(/^import .* from "electron";$/m);
    const html = readFileSync(join(outDir, 'renderer/index.html'), 'utf8');
    expect(html).toContain('http-equiv="Content-Security-Policy"');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(pageScript(join(outDir, 'renderer'))).not.toMatch(/require\(["']electron["']\)|from"electron"/);
  });

  it("the product's page holds no demo bridge; the demo's page is the same window with it", () => {
    const product = pageScript(join(outDir, 'renderer'));
    const demo = pageScript(join(outDir, 'renderer-demo'));
    for (const mark of [DEMO_TOKEN_HEADER, '/api/events', 'rdp-health-demo-token']) {
      expect(product).not.toContain(mark);
      expect(demo).toContain(mark);
    }
    expect(product).toContain('rdpHealth');
    expect(demo).toContain('Repair all safe problems');
    expect(readFileSync(join(outDir, 'renderer-demo/index.html'), 'utf8')).toContain('http-equiv="Content-Security-Policy"');
  });

  it('neither page bundles zod: the window imports only the zod-free rules of the domain (the agent validates)', () => {
    for (const page of ['renderer', 'renderer-demo']) expect(pageScript(join(outDir, page))).not.toMatch(/\$ZodType|ZodError/);
  });
});
