/**
 * The simulated Windows host (a seam): a working copy of a scenario, made by the sim's own
 * Initialize-SimHost (the one implementation of `extends`), so shipped scenario files are only
 * ever read. The session then points its shell at the copy with Use-SimHost.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Identity } from './host-snapshot.js';
import { powershellLiteral } from './powershell-command.js';
import { resolveShellExecutable } from './powershell-executable.js';
import { resolveSimDir, simModulePath } from './script-paths.js';

/**
 * Who the simulated checks run as (sim/shadows/Identity.ps1): SYSTEM (the host checker), an
 * elevated admin, an admin under UAC (Administrators deny-only) or a standard user. The shadows deny
 * what Windows denies to each: the RDP key file's ACL, and what the scenario's host.adminOnly lists.
 */
export const SIMULATED_IDENTITIES = ['system', 'elevated-admin', 'uac-admin', 'standard-user'] as const;
export type SimulatedIdentity = (typeof SIMULATED_IDENTITIES)[number];

export interface SimulatedHostOptions {
  executablePath?: string;
  /** File name of the working copy inside workDir. */
  fileName?: string;
  /** Written into the working copy's host.identity; else the scenario's (shipped ones: system). */
  identity?: SimulatedIdentity;
}

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

/** A scenario is given by path (it has a folder separator or ends in .json), else by the name of a shipped one. */
export function isScenarioPath(scenario: string): boolean {
  return /[\\/]|\.json$/i.test(scenario);
}

/** The file of a shipped scenario (sim/scenarios/<name>.json). */
export function shippedScenarioPath(name: string): string {
  return join(resolveSimDir(), 'scenarios', `${name}.json`);
}

/** The names of the scenarios shipped in sim/scenarios, sorted; none when there is no sim/ (an installed app) or it cannot be read. */
export function shippedScenarios(): string[] {
  try {
    return readdirSync(join(resolveSimDir(), 'scenarios'))
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.slice(0, -'.json'.length))
      .sort();
  } catch {
    return [];
  }
}

/** ` -Identity <name>` for a known identity; anything else is refused before a shell is started. */
function identityArgument(identity: SimulatedIdentity | undefined): string {
  if (identity === undefined) return '';
  if (!SIMULATED_IDENTITIES.includes(identity)) throw new ScenarioError(`Unknown simulated identity "${String(identity)}": one of ${SIMULATED_IDENTITIES.join(', ')}.`);
  return ` -Identity ${powershellLiteral(identity)}`;
}

/** A scenario file must hold a JSON object; anything else is said with the file's name, before PowerShell sees it. */
export function assertScenarioFile(path: string): void {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ScenarioError(code === 'ENOENT' ? `The scenario file ${path} does not exist.` : `The scenario file ${path} cannot be read (${code ?? String(error)}).`);
  }
  if (text.trim() === '') throw new ScenarioError(`The scenario file ${path} is empty: it must hold a JSON object (see sim/scenarios/).`);
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ScenarioError(`The scenario file ${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}.`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ScenarioError(`The scenario file ${path} must hold a JSON object, not ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value}.`);
  }
}

/** A shipped scenario name (`healthy`) or a path to a scenario file → the working copy's path. */
export async function prepareSimulatedHost(scenario: string, workDir: string, options: SimulatedHostOptions = {}): Promise<string> {
  const executable = resolveShellExecutable('pwsh', options.executablePath);
  await mkdir(workDir, { recursive: true });
  const statePath = resolve(workDir, options.fileName ?? 'simulated-host.json');
  // A name stays a name; anything that looks like a path is made absolute for the shell.
  const scenarioArg = isScenarioPath(scenario) && !isAbsolute(scenario) ? resolve(scenario) : scenario;
  if (isScenarioPath(scenario)) assertScenarioFile(scenarioArg);
  const command = [
    "$ErrorActionPreference = 'Stop'",
    `Import-Module ${powershellLiteral(simModulePath())}`,
    `$null = Initialize-SimHost -Scenario ${powershellLiteral(scenarioArg)} -StatePath ${powershellLiteral(statePath)}${identityArgument(options.identity)}`,
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
  return statePath;
}

/** Where the CLI and the agent keep a working copy for a data folder. */
export function simulatedHostDir(dataDir: string): string {
  return join(dataDir, 'simulated-host');
}

/** The simulated host's ProgramData: a real folder next to its working copy (sim/shadows/ProgramData.ps1). */
export function simulatedProgramDataDir(statePath: string): string {
  return join(dirname(statePath), 'ProgramData');
}

/**
 * Who the checks run as on a simulated host, resolved as the shadows do (Identity.ps1, without the
 * per-process override): the working copy's `host.identity`, else `host.elevated` (true: an elevated
 * admin, false: a standard user), else SYSTEM.
 */
export async function simulatedIdentity(statePath: string): Promise<Identity> {
  const state = JSON.parse(await readFile(statePath, 'utf8')) as { host?: { identity?: string; elevated?: boolean } };
  const named = state.host?.identity;
  if (named !== undefined && (SIMULATED_IDENTITIES as readonly string[]).includes(named)) return named as Identity;
  if (state.host?.elevated !== undefined) return state.host.elevated ? 'elevated-admin' : 'standard-user';
  return 'system';
}
