/** Shared by the agent integration tests: real pwsh, the real probes folder, test-only probe scripts. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { PowerShellProbe } from '../../../probes/common/probe.js';
import { resolveProbesDir, simModulePath } from '../../../electron/agent/script-paths.js';
import { prepareSimulatedHost } from '../../../electron/agent/simulated-host.js';
import { PowerShellSession, type SessionOptions } from '../../../electron/agent/powershell-session.js';

export const probesDir = resolveProbesDir({ isPackaged: false });
export const fixturesDir = resolve(import.meta.dirname, '../../fixtures/probes');

export const tempDir = (prefix = 'agent-'): string => mkdtempSync(join(tmpdir(), prefix));

/** A working copy of a scenario (name, or a patch on healthy written to a temp file). */
export async function simHost(scenario: string | Record<string, unknown> = 'healthy'): Promise<string> {
  const dir = tempDir('sim-');
  let name = scenario as string;
  if (typeof scenario !== 'string') {
    name = join(dir, 'case.json');
    writeFileSync(name, JSON.stringify({ description: 'test case', extends: 'healthy', patch: scenario }));
  }
  return prepareSimulatedHost(name, dir);
}

export function simSession(statePath: string, options: Omit<SessionOptions, 'simulate'> = {}): PowerShellSession {
  return new PowerShellSession({ simulate: { statePath, modulePath: simModulePath() }, ...options });
}

/** A test-only PowerShell probe whose script lives in test/fixtures/probes (absolute path). */
export function fixtureProbe(id: string, file: string): PowerShellProbe {
  return {
    kind: 'powershell',
    id,
    title: `Test probe ${id}`,
    script: join(fixturesDir, file),
    dataSchema: z.object({}).loose(),
    evaluate: () => ({ status: 'ok', summary: `${id} answered.`, evidence: {}, fixes: [] }),
  };
}
