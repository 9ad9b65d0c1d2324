/**
 * The CLI's simulated host: one working copy per scenario (name or path) in the CLI data folder,
 * shared by check, fix and undo, so a check after a fix sees what the fix did and undo finds it.
 * `--reset` starts again from the scenario file. The shipped scenario is only ever read.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { isScenarioPath, prepareSimulatedHost, shippedScenarioPath, simulatedHostDir } from '../agent/simulated-host.js';
import type { CliIo } from './cli-io.js';

/** The CLI's own data folder: RDP_HEALTH_DATA_DIR, else %LOCALAPPDATA%\RDP Health\cli, else ~/.local/state/rdp-health. */
export function cliDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.RDP_HEALTH_DATA_DIR) return resolve(env.RDP_HEALTH_DATA_DIR);
  if (platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'RDP Health', 'cli');
  return join(env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'rdp-health');
}

/** One working-copy file per scenario: its name, or for a path its file name plus a hash of where it is. */
export function scenarioFileName(scenario: string): string {
  const stem = basename(scenario).replace(/\.json$/i, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, 40) || 'scenario';
  if (!isScenarioPath(scenario)) return `${stem}.json`;
  return `${stem}-${createHash('sha256').update(resolve(scenario)).digest('hex').slice(0, 8)}.json`;
}

export interface WorkingCopyOptions {
  dataDir: string;
  reset: boolean;
  verbose: boolean;
}

/** The scenario file was changed after the copy was made (an edited scenario must not be shadowed by an old copy). */
function scenarioIsNewer(scenario: string, copy: string): boolean {
  try {
    const file = isScenarioPath(scenario) ? resolve(scenario) : shippedScenarioPath(scenario);
    return statSync(file).mtimeMs > statSync(copy).mtimeMs;
  } catch {
    return false;
  }
}

/** The working copy for `scenario`, made (or remade with reset) when needed; says which copy it is when new, or with --verbose. */
export async function simulatedWorkingCopy(scenario: string, io: CliIo, options: WorkingCopyOptions): Promise<string> {
  const hostDir = simulatedHostDir(options.dataDir);
  const fileName = scenarioFileName(scenario);
  const path = join(hostDir, fileName);
  const changed = existsSync(path) && scenarioIsNewer(scenario, path);
  if (options.reset || changed) await rm(path, { force: true });
  if (changed && !options.reset) io.err(`The scenario ${scenario} changed since its working copy was made: starting again from it.`);
  if (!existsSync(path)) {
    await prepareSimulatedHost(scenario, hostDir, { fileName });
    io.err(`Simulated host: a new working copy of ${scenario} at ${path} (fix and undo change it; --reset starts again from the scenario).`);
  } else if (options.verbose) {
    io.err(`Simulated host: the working copy ${path}, with the changes of earlier commands (--reset starts again from ${scenario}).`);
  }
  return path;
}
