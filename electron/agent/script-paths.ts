/**
 * Where the probe scripts are: `process.resourcesPath/probes` in the packaged app (shipped as
 * extraResources, outside the asar), the repository's probes/ folder in development. One
 * function, so the session, the runner, the fixes and the CLI never disagree. The simulated host
 * (the repository's sim/) is found the same way, but only in the repository: it is never shipped.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A file every probes folder has: proves a folder is the probes folder, not just named so. */
const PROBES_MARKER = join('common', 'RdpHealth.Common.psm1');
/** The simulated host's module: proves a folder is the repository's sim/. */
const SIM_MODULE = 'RdpHealth.Sim.psm1';
/** This module's folder: electron/agent/ in the source tree, out/main/ in a bundle. */
const here = (): string => dirname(fileURLToPath(import.meta.url));

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
  return repositoryFolder('probes', PROBES_MARKER, options.fromDir ?? here());
}

/**
 * The simulated Windows host's folder, the repository's sim/ (development, tests, the demo and
 * `--simulate`). The installer never ships it, so an installed app has none and this throws.
 */
export function resolveSimDir(fromDir: string = here()): string {
  return repositoryFolder('sim', SIM_MODULE, fromDir, ': the simulated host is part of the repository, never of an installed app');
}

/** The simulated host's module, which every simulated shell imports. */
export function simModulePath(): string {
  return join(resolveSimDir(), SIM_MODULE);
}

/**
 * Walks up from `start` to the folder that holds `name`/ with `marker` in it: works from the
 * source tree (electron/agent/) and from a bundle (out/main/) alike.
 */
function repositoryFolder(name: string, marker: string, start: string, why = ''): string {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, name);
    if (existsSync(join(candidate, marker))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No ${name} folder found above ${start}${why}.`);
    dir = parent;
  }
}

/** A probe's script path (`nla/Get-RdpNla.ps1`, forward slashes) inside the probes folder; an absolute path stays as it is. */
export function probeScriptPath(probesDir: string, script: string): string {
  return isAbsolute(script) ? script : join(probesDir, ...script.split('/'));
}
