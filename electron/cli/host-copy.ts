/**
 * The simulated host that `rdp-health host-check --simulate`, `rdp-health check --host-snapshot
 * --simulate` and `rdp-health fix --simulate` share, so that what the checker publishes in one
 * process is what the reader reads in another, and a fix shows in the next host check: one working
 * copy per scenario kept in the CLI data folder, whose ProgramData is the folder next to it
 * (simulatedProgramDataDir). Who each process runs as is its session's identity, not the copy's.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { prepareSimulatedHost, simulatedHostDir } from '../agent/simulated-host.js';
import { scenarioFileName } from './fix-command.js';

/** The kept working copy of `scenario`; made from the scenario when missing. */
export async function sharedSimulatedHost(scenario: string, dataDir: string, probesDir: string): Promise<string> {
  const hostDir = simulatedHostDir(dataDir);
  const fileName = scenarioFileName(scenario);
  const statePath = join(hostDir, fileName);
  if (existsSync(statePath)) return statePath;
  return prepareSimulatedHost(scenario, hostDir, { probesDir, fileName });
}
