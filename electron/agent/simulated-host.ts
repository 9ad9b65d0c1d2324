/**
 * The simulated Windows host (a seam): a working copy of a scenario, made by the sim's own
 * Initialize-SimHost (the one implementation of `extends`), so shipped scenario files are only
 * ever read. The session then points its shell at the copy with Use-SimHost.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Identity } from './host-snapshot.js';
import { powershellLiteral } from './powershell-command.js';
import { resolveShellExecutable } from './powershell-executable.js';
import { resolveProbesDir, simModulePath } from './script-paths.js';

export interface SimulatedHostOptions {
  probesDir?: string;
  executablePath?: string;
  /** File name of the working copy inside workDir. */
  fileName?: string;
  /** Who the checks run as, instead of the scenario's `host.identity` (the host checker: system). */
  identity?: Identity;
}

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

/** A scenario is given by path (it has a folder separator or ends in .json), else by the name of a shipped one. */
export function isScenarioPath(scenario: string): boolean {
  return /[\\/]|\.json$/i.test(scenario);
}

/** The names of the scenarios shipped in probes/sim/scenarios, sorted; none when the folder cannot be read. */
export function shippedScenarios(probesDir: string): string[] {
  try {
    return readdirSync(join(probesDir, 'sim', 'scenarios'))
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.slice(0, -'.json'.length))
      .sort();
  } catch {
    return [];
  }
}

/** A shipped scenario name (`healthy`) or a path to a scenario file → the working copy's path. */
export async function prepareSimulatedHost(scenario: string, workDir: string, options: SimulatedHostOptions = {}): Promise<string> {
  const probesDir = options.probesDir ?? resolveProbesDir();
  const executable = resolveShellExecutable('pwsh', options.executablePath);
  await mkdir(workDir, { recursive: true });
  const statePath = resolve(workDir, options.fileName ?? 'simulated-host.json');
  // A name stays a name; anything that looks like a path is made absolute for the shell.
  const scenarioArg = isScenarioPath(scenario) && !isAbsolute(scenario) ? resolve(scenario) : scenario;
  const command = [
    "$ErrorActionPreference = 'Stop'",
    `Import-Module ${powershellLiteral(simModulePath(probesDir))}`,
    `$null = Initialize-SimHost -Scenario ${powershellLiteral(scenarioArg)} -StatePath ${powershellLiteral(statePath)}`,
  ].join('; ');
  await new Promise<void>((done, fail) => {
    execFile(
      executable,
      ['-NoProfile', '-NonInteractive', '-Command', command],
      { timeout: 60_000, windowsHide: true, env: { ...process.env, NO_COLOR: '1', TERM: 'dumb' } },
      (error, _stdout, stderr) => {
        if (!error) return done();
        // eslint-disable-next-line no-control-regex -- strip terminal colours from the message
        const message = String(stderr).replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').trim();
        fail(new ScenarioError(message || `The simulated host could not be prepared: ${error.message}`));
      },
    );
  });
  if (options.identity) {
    const state = JSON.parse(await readFile(statePath, 'utf8')) as { host?: Record<string, unknown> };
    state.host = { ...state.host, identity: options.identity };
    await writeFile(statePath, JSON.stringify(state, null, 2));
  }
  return statePath;
}

/** Where the CLI and the agent keep a working copy for a data folder. */
export function simulatedHostDir(dataDir: string): string {
  return join(dataDir, 'simulated-host');
}

/** The simulated host's ProgramData: a real folder next to its working copy (probes/sim/shadows/ProgramData.ps1). */
export function simulatedProgramDataDir(statePath: string): string {
  return join(dirname(statePath), 'ProgramData');
}

/**
 * Who the checks run as on a simulated host: the scenario's `host.identity`, else (scenarios
 * written before identities) an elevated admin when `host.elevated`, a standard user otherwise.
 */
export async function simulatedIdentity(statePath: string): Promise<Identity> {
  const state = JSON.parse(await readFile(statePath, 'utf8')) as { host?: { identity?: string; elevated?: boolean } };
  const named = state.host?.identity;
  if (named === 'system' || named === 'elevated-admin' || named === 'uac-admin' || named === 'standard-user') return named;
  return state.host?.elevated ? 'elevated-admin' : 'standard-user';
}
