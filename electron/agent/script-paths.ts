/**
 * Where the probe scripts are: `process.resourcesPath/probes` in the packaged app (shipped as
 * extraResources, outside the asar), the repository's probes/ folder in development. One
 * function, so the session, the runner, the fixes and the CLI never disagree.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A file every probes folder has: proves a folder is the probes folder, not just named so. */
const MARKER = join('common', 'RdpHealth.Common.psm1');

export interface ProbesDirOptions {
  /** Electron's app.isPackaged, when the caller has it; otherwise guessed from the process. */
  isPackaged?: boolean;
  /** Electron's process.resourcesPath; read from the process when not given. */
  resourcesPath?: string;
  /** Where to start looking for the repository in development (default: this module's folder). */
  fromDir?: string;
}

interface ElectronProcessFields {
  resourcesPath?: string;
  defaultApp?: boolean;
}

export function resolveProbesDir(options: ProbesDirOptions = {}): string {
  const fields = process as unknown as ElectronProcessFields;
  const resourcesPath = options.resourcesPath ?? fields.resourcesPath;
  // Electron sets resourcesPath always, and defaultApp only when started as `electron .`.
  const packaged = options.isPackaged ?? (resourcesPath !== undefined && fields.defaultApp !== true);
  if (packaged) {
    if (resourcesPath === undefined) throw new Error('The packaged app has no resources folder to read the probes from.');
    return join(resourcesPath, 'probes');
  }
  return repositoryProbesDir(options.fromDir ?? dirname(fileURLToPath(import.meta.url)));
}

/**
 * Walks up from `start` to the folder that holds probes/: works from the source tree
 * (electron/agent/) and from a bundle (out/main/) alike.
 */
function repositoryProbesDir(start: string): string {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, 'probes');
    if (existsSync(join(candidate, MARKER))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No probes folder found above ${start}.`);
    dir = parent;
  }
}

/** The simulated host's module (development and tests only; never shipped). */
export function simModulePath(probesDir: string): string {
  return join(probesDir, 'sim', 'RdpHealth.Sim.psm1');
}

/** A probe's script path (`nla/Get-RdpNla.ps1`, forward slashes) inside the probes folder; an absolute path stays as it is. */
export function probeScriptPath(probesDir: string, script: string): string {
  return isAbsolute(script) ? script : join(probesDir, ...script.split('/'));
}
