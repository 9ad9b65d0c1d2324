#!/usr/bin/env node
/**
 * `npm run setup`: what the checks and the tests need besides Node, on a machine with the .NET SDK:
 * PowerShell 7 as a .NET global tool (~/.dotnet/tools, where the agent looks for pwsh) unless a
 * pwsh is already found, and Pester restored from NuGet into .tools/pester (where
 * test/pester/run.ps1 imports it). Idempotent. The one place for both versions; .ci/install-powershell.sh
 * runs this. Plain Node, no packages: it runs before `npm ci` in CI.
 * `--print` only prints the commands it would run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

export const POWERSHELL_VERSION = '7.6.9';
export const PESTER_VERSION = '5.7.1';

const root = resolve(import.meta.dirname, '..');
const windows = process.platform === 'win32';
const print = process.argv.includes('--print');
const env = { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' };

const isFile = (path) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** The same places electron/agent/powershell-executable.ts looks. */
function findOnPath(name) {
  const dirs = (process.env.PATH ?? process.env.Path ?? '').split(windows ? ';' : delimiter).filter((dir) => dir !== '');
  return dirs.map((dir) => join(dir, windows ? `${name}.exe` : name)).find(isFile);
}

function findPwsh() {
  const name = windows ? 'pwsh.exe' : 'pwsh';
  const programFiles = windows && process.env.ProgramFiles ? [join(process.env.ProgramFiles, 'PowerShell', '7', name)] : [];
  return [...programFiles, findOnPath('pwsh'), join(homedir(), '.dotnet', 'tools', name)].filter(Boolean).find(isFile);
}

function run(command, args) {
  console.log(`> ${[command, ...args].join(' ')}`);
  if (print) return;
  const result = spawnSync(command, args, { stdio: 'inherit', env, cwd: root });
  if (result.status !== 0) {
    console.error(`npm run setup: "${command} ${args.join(' ')}" failed (exit ${result.status ?? result.signal}).`);
    process.exit(1);
  }
}

const dotnet = findOnPath('dotnet');
const pwsh = findPwsh();
const pesterManifest = join(root, '.tools', 'pester', 'pester', PESTER_VERSION, 'tools', 'Pester.psd1');
if (!dotnet && (!pwsh || !existsSync(pesterManifest))) {
  const sdk = windows ? 'winget install Microsoft.DotNet.SDK.10' : 'https://dot.net/download (or your package manager, e.g. apt-get install dotnet-sdk-10.0)';
  console.error(`npm run setup needs the .NET SDK to install ${pwsh ? 'Pester' : 'PowerShell 7 and Pester'}: install it (${sdk}), then run npm run setup again.`);
  process.exit(1);
}

if (pwsh) console.log(`PowerShell 7: ${pwsh}`);
else run('dotnet', ['tool', 'install', '--global', 'PowerShell', '--version', POWERSHELL_VERSION]);

if (existsSync(pesterManifest)) console.log(`Pester ${PESTER_VERSION}: ${pesterManifest}`);
else {
  const work = mkdtempSync(join(tmpdir(), 'rdp-health-setup-'));
  const project = join(work, 'restore.csproj');
  writeFileSync(
    project,
    `<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>\n  <ItemGroup><PackageDownload Include="Pester" Version="[${PESTER_VERSION}]" /></ItemGroup>\n</Project>\n`,
  );
  try {
    run('dotnet', ['restore', project, '--packages', join(root, '.tools', 'pester')]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (!print && !existsSync(pesterManifest)) {
    console.error(`npm run setup: Pester was restored but ${pesterManifest} is missing.`);
    process.exit(1);
  }
}
if (!print) console.log('Ready: npm run demo runs the window on a simulated host; npm test runs the tests.');
