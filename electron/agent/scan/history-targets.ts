/**
 * `scan --history`: the hosts in the user's own RDP history (H13's reader: mstsc MRU, Servers
 * keys, .rdp files), through a PowerShell session. On Windows it reads the user's HKCU and
 * Documents; with a simulated host (a scenario) its working copy in a temporary folder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRdpHistory } from '../client/history.js';
import { PowerShellSession } from '../powershell-session.js';
import { resolveProbesDir, simModulePath } from '../script-paths.js';
import { prepareSimulatedHost } from '../simulated-host.js';

export type HistoryTargets = { ok: true; targets: string[]; unusable: string[] } | { ok: false; problem: string };

export async function readHistoryTargets(options: { simulate?: string } = {}): Promise<HistoryTargets> {
  if (options.simulate === undefined && process.platform !== 'win32') {
    return { ok: false, problem: 'The RDP history is read on Windows; here, name a simulated host with --simulate <scenario> (e.g. client-windows11-home).' };
  }
  const probesDir = resolveProbesDir();
  const workDir = options.simulate === undefined ? undefined : await mkdtemp(join(tmpdir(), 'rdp-health-scan-'));
  let session: PowerShellSession | undefined;
  try {
    const simulate =
      workDir && options.simulate !== undefined
        ? { statePath: await prepareSimulatedHost(options.simulate, workDir), modulePath: simModulePath() }
        : undefined;
    session = new PowerShellSession(simulate ? { simulate } : {});
    const result = await readRdpHistory(session, probesDir);
    if (!result.ok) return result;
    return {
      ok: true,
      targets: result.history.targets.map((target) => target.target),
      unusable: result.history.unusableFiles.map((file) => `${file.name}: ${file.problem ?? 'unusable'}`),
    };
  } catch (error) {
    return { ok: false, problem: `The RDP history could not be read: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    await session?.dispose();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  }
}
