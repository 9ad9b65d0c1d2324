/** A warm PowerShell session on a fresh working copy of a scenario, for the fleet integration tests. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PowerShellSession } from '../../../electron/agent/powershell-session.js';
import { resolveProbesDir, simModulePath } from '../../../electron/agent/script-paths.js';
import { prepareSimulatedHost } from '../../../electron/agent/simulated-host.js';

export interface SimSession {
  session: PowerShellSession;
  probesDir: string;
  statePath: string;
  workDir: string;
  /** The working copy as the sim left it (fixes and events write back to it). */
  state(): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function openSimSession(scenario: string): Promise<SimSession> {
  const workDir = await mkdtemp(join(tmpdir(), 'rdp-health-fleet-'));
  const probesDir = resolveProbesDir({ isPackaged: false });
  const statePath = await prepareSimulatedHost(scenario, workDir);
  const session = new PowerShellSession({ simulate: { statePath, modulePath: simModulePath() } });
  return {
    session,
    probesDir,
    statePath,
    workDir,
    state: async () => JSON.parse(await readFile(statePath, 'utf8')) as Record<string, unknown>,
    close: async () => {
      await session.dispose();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
