/**
 * The simulated host that `rdp-health host-check --simulate` and `rdp-health check --host-snapshot
 * --simulate` share, so that what the checker publishes one process is what the reader reads in
 * another: working copies kept in the CLI data folder (as `fix` keeps its own), whose ProgramData
 * is the one folder next to them (simulatedProgramDataDir).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Identity } from '../agent/host-snapshot.js';
import { prepareSimulatedHost, simulatedHostDir } from '../agent/simulated-host.js';
import { scenarioFileName } from './fix-command.js';

/**
 * The working copy of `scenario` for a role: the host checker's (as SYSTEM) or the user's. Kept
 * between runs; made from the scenario when missing.
 */
export async function sharedSimulatedHost(scenario: string, dataDir: string, probesDir: string, role: 'host-checker' | 'user'): Promise<string> {
  const hostDir = simulatedHostDir(dataDir);
  const fileName = role === 'user' ? scenarioFileName(scenario) : `host-checker.${scenarioFileName(scenario)}`;
  const statePath = join(hostDir, fileName);
  if (existsSync(statePath)) return statePath;
  const identity: Identity | undefined = role === 'host-checker' ? 'system' : undefined;
  // The identity option is the simulated host's (issue 11); until it is there the copy is the scenario's.
  return prepareSimulatedHost(scenario, hostDir, { probesDir, fileName, ...(identity ? { identity } : {}) });
}
