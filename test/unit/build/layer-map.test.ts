// The lint layer map (eslint/layer-map.js) fed the project's own ESLint config: an import across a
// layer boundary it forbids is an error, the legal ones pass.
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: root, overrideConfigFile: join(root, 'eslint.config.js') });

/** The layer-map messages ESLint gives for `code` as if it were the file at `path`. */
async function layerErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'layers/map').map((message) => message.message);
}

describe('the layer map', () => {
  it('rejects a domain → transport (contract) import and accepts the domain importing itself and zod', async () => {
    const rejected = await layerErrors('electron/domain/example.ts', "import { contract } from '../contract.js';\nexport const actions = Object.keys(contract);\n");
    expect(rejected).toEqual([expect.stringMatching(/^domain may not import electron\/contract \(contract\)/)]);
    const accepted = await layerErrors('electron/domain/example.ts', "import { z } from 'zod';\nimport { fixIdSchema } from './finding.js';\nexport const ids = z.array(fixIdSchema);\n");
    expect(accepted).toEqual([]);
  });

  it('keeps the domain pure: no other package, no Node', async () => {
    expect(await layerErrors('electron/domain/example.ts', "import { readFile } from 'node:fs/promises';\nexport { readFile };\n")).toHaveLength(1);
    expect(await layerErrors('electron/domain/example.ts', "import winston from 'winston';\nexport { winston };\n")).toHaveLength(1);
  });

  it('rejects the agent importing the contract (repair-service did), even for types', async () => {
    const errors = await layerErrors('electron/agent/repair/example.ts', "import type { FixOutcome } from '../../contract.js';\nexport type Outcome = FixOutcome;\n");
    expect(errors).toEqual([expect.stringContaining('agent may not import electron/contract')]);
    expect(await layerErrors('electron/agent/repair/example.ts', "import type { FixOutcome } from '../../domain/repair.js';\nexport type Outcome = FixOutcome;\n")).toEqual([]);
  });

  it('keeps the page a page: no Node, no agent, the preload for its type only, the demo bridge out of it', async () => {
    expect(await layerErrors('renderer/example.ts', "import { join } from 'path';\nexport { join };\n")).toHaveLength(1);
    expect(await layerErrors('renderer/example.ts', "import { Agent } from '../electron/agent/agent.js';\nexport { Agent };\n")).toHaveLength(1);
    expect(await layerErrors('renderer/example.ts', "import { createHttpBridge } from './demo/bridge-http.js';\nexport { createHttpBridge };\n")).toHaveLength(1);
    expect(await layerErrors('renderer/example.ts', "import type { RendererBridge } from '../electron/preload.js';\nexport type B = RendererBridge;\n")).toEqual([]);
    expect(await layerErrors('renderer/demo/example.ts', "import { App } from '../app.js';\nexport { App };\n")).toEqual([]);
  });

  it('keeps the simulated host (sim/) out of every shipped layer; tests may read it', async () => {
    const scenario = (up: string) => `import healthy from '${up}sim/scenarios/healthy.json';\nexport { healthy };\n`;
    expect(await layerErrors('electron/agent/example.ts', scenario('../../'))).toEqual([expect.stringContaining('agent may not import sim/scenarios/healthy (sim)')]);
    expect(await layerErrors('electron/demo/example.ts', scenario('../../'))).toHaveLength(1);
    expect(await layerErrors('probes/nla/example.ts', scenario('../../'))).toHaveLength(1);
    expect(await layerErrors('test/unit/example.ts', scenario('../../'))).toEqual([]);
  });

  it('lets only main and the preload import Electron values', async () => {
    const value = "import { app } from 'electron';\nexport { app };\n";
    expect(await layerErrors('electron/shell/example.ts', value)).toHaveLength(1);
    expect(await layerErrors('electron/shell/example.ts', "import type { App } from 'electron';\nexport type A = App;\n")).toEqual([]);
    expect(await layerErrors('electron/main.ts', value)).toEqual([]);
  });
});
