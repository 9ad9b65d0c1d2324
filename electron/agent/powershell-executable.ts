/**
 * Which PowerShell to start. Windows PowerShell 5.1 only ever by its full path under %SystemRoot%
 * (a planted powershell.exe earlier on PATH must never run), through Sysnative from a 32-bit
 * process so the 64-bit shell reads the real registry view. pwsh where asked and off Windows.
 */
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join, win32 } from 'node:path';

export type ShellKind = 'windows-powershell' | 'pwsh';

export class ShellUnavailableError extends Error {
  override name = 'ShellUnavailableError';
}

export interface ExecutableEnvironment {
  platform: NodeJS.Platform;
  arch: string;
  env: NodeJS.ProcessEnv;
  home: string;
}

const currentEnvironment = (): ExecutableEnvironment => ({ platform: process.platform, arch: process.arch, env: process.env, home: homedir() });

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function defaultShellKind(platform: NodeJS.Platform = process.platform): ShellKind {
  return platform === 'win32' ? 'windows-powershell' : 'pwsh';
}

/** %SystemRoot%\System32\WindowsPowerShell\v1.0\powershell.exe (Sysnative from a 32-bit process on 64-bit Windows). */
export function windowsPowerShellPath(environment: ExecutableEnvironment = currentEnvironment()): string {
  const systemRoot = environment.env.SystemRoot ?? environment.env.windir ?? 'C:\\Windows';
  const wow64 = environment.arch === 'ia32' && environment.env.PROCESSOR_ARCHITEW6432 !== undefined;
  return win32.join(systemRoot, wow64 ? 'Sysnative' : 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe');
}

/** Candidate pwsh locations in order: the installer's folder on Windows, PATH, the .NET global tool. */
export function pwshCandidates(environment: ExecutableEnvironment = currentEnvironment()): string[] {
  const windows = environment.platform === 'win32';
  const name = windows ? 'pwsh.exe' : 'pwsh';
  const candidates: string[] = [];
  if (windows && environment.env.ProgramFiles) candidates.push(win32.join(environment.env.ProgramFiles, 'PowerShell', '7', name));
  const pathVariable = environment.env.PATH ?? environment.env.Path ?? '';
  for (const dir of pathVariable.split(windows ? ';' : delimiter)) {
    if (dir !== '' && isAbsolute(dir)) candidates.push(windows ? win32.join(dir, name) : join(dir, name));
  }
  candidates.push(join(environment.home, '.dotnet', 'tools', name));
  return candidates;
}

/** The executable to start, checked to exist; ShellUnavailableError says what is missing. */
export function resolveShellExecutable(
  kind: ShellKind,
  explicitPath?: string,
  environment: ExecutableEnvironment = currentEnvironment(),
  exists: (path: string) => boolean = isFile,
): string {
  if (explicitPath !== undefined) {
    if (!isAbsolute(explicitPath)) throw new ShellUnavailableError(`The PowerShell executable must be given by full path (got "${explicitPath}").`);
    if (!exists(explicitPath)) throw new ShellUnavailableError(`PowerShell was not found at ${explicitPath}.`);
    return explicitPath;
  }
  if (kind === 'windows-powershell') {
    if (environment.platform !== 'win32') throw new ShellUnavailableError('Windows PowerShell exists only on Windows; use pwsh here.');
    const path = windowsPowerShellPath(environment);
    if (!exists(path)) throw new ShellUnavailableError(`Windows PowerShell was not found at ${path}.`);
    return path;
  }
  const found = pwshCandidates(environment).find((candidate) => exists(candidate));
  if (found === undefined) throw new ShellUnavailableError(pwshMissingMessage(environment, exists));
  return found;
}

/** Where pwsh was looked for, and the exact command that installs it on this platform. */
export function pwshMissingMessage(environment: ExecutableEnvironment = currentEnvironment(), exists: (path: string) => boolean = isFile): string {
  const windows = environment.platform === 'win32';
  const places = windows ? 'in Program Files\\PowerShell\\7, on PATH or in ~/.dotnet/tools' : 'on PATH or in ~/.dotnet/tools';
  const pathVariable = environment.env.PATH ?? environment.env.Path ?? '';
  const dotnet = pathVariable
    .split(windows ? ';' : delimiter)
    .some((dir) => (windows ? win32.isAbsolute(dir) && exists(win32.join(dir, 'dotnet.exe')) : isAbsolute(dir) && exists(join(dir, 'dotnet'))));
  const install = dotnet
    ? 'The .NET SDK is here: `npm run setup` installs it (dotnet tool install --global PowerShell) with Pester for the tests.'
    : windows
      ? 'Install it with `winget install --id Microsoft.PowerShell`, or install the .NET SDK and run `npm run setup`.'
      : environment.platform === 'darwin'
        ? 'Install it with `brew install powershell`, or install the .NET SDK and run `npm run setup`.'
        : 'Install the .NET SDK (https://dot.net/download) and run `npm run setup`, or install PowerShell from your package manager (https://aka.ms/install-powershell).';
  return `PowerShell 7 (pwsh) was not found ${places}. ${install}`;
}
