import { describe, expect, it } from 'vitest';
import { pwshCandidates, pwshMissingMessage, resolveShellExecutable, ShellUnavailableError, windowsPowerShellPath, type ExecutableEnvironment } from '../../../electron/agent/powershell-executable.js';

const windows = (overrides: Partial<ExecutableEnvironment> = {}): ExecutableEnvironment => ({
  platform: 'win32',
  arch: 'x64',
  env: { SystemRoot: 'C:\\Windows', PATH: 'C:\\evil;C:\\Windows\\System32', ProgramFiles: 'C:\\Program Files' },
  home: 'C:\\Users\\ann',
  ...overrides,
});
const linux: ExecutableEnvironment = { platform: 'linux', arch: 'x64', env: { PATH: '/usr/local/bin:/usr/bin:relative/bin' }, home: '/home/ann' };

describe('Windows PowerShell', () => {
  it('is always the full path under %SystemRoot%, whatever PATH holds', () => {
    const seen: string[] = [];
    const path = resolveShellExecutable('windows-powershell', undefined, windows(), (candidate) => {
      seen.push(candidate);
      return true;
    });
    expect(path).toBe('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
    expect(seen).toEqual([path]);
  });

  it('goes through Sysnative from a 32-bit process on 64-bit Windows (the 64-bit registry view)', () => {
    expect(windowsPowerShellPath(windows({ arch: 'ia32', env: { SystemRoot: 'D:\\Win', PROCESSOR_ARCHITEW6432: 'AMD64' } }))).toBe(
      'D:\\Win\\Sysnative\\WindowsPowerShell\\v1.0\\powershell.exe',
    );
  });

  it('is unavailable off Windows, with a message that says so', () => {
    expect(() => resolveShellExecutable('windows-powershell', undefined, linux, () => true)).toThrow(/only on Windows/);
  });

  it('is unavailable when the file is missing', () => {
    expect(() => resolveShellExecutable('windows-powershell', undefined, windows(), () => false)).toThrow(ShellUnavailableError);
  });
});

describe('pwsh', () => {
  it('is looked for in the installer folder, on PATH (absolute entries only) and in ~/.dotnet/tools', () => {
    expect(pwshCandidates(linux)).toEqual(['/usr/local/bin/pwsh', '/usr/bin/pwsh', '/home/ann/.dotnet/tools/pwsh']);
    expect(pwshCandidates(windows())[0]).toBe('C:\\Program Files\\PowerShell\\7\\pwsh.exe');
  });

  it('is the first candidate that exists', () => {
    expect(resolveShellExecutable('pwsh', undefined, linux, (p) => p === '/home/ann/.dotnet/tools/pwsh')).toBe('/home/ann/.dotnet/tools/pwsh');
  });

  it('missing everywhere is a ShellUnavailableError that says how to fix it', () => {
    expect(() => resolveShellExecutable('pwsh', undefined, linux, () => false)).toThrow(/not found on PATH or in ~\/\.dotnet\/tools\. Install the \.NET SDK .* and run `npm run setup`/);
  });

  it('an explicit executable must be a full path that exists', () => {
    expect(() => resolveShellExecutable('pwsh', 'pwsh', linux, () => true)).toThrow(/full path/);
    expect(() => resolveShellExecutable('pwsh', '/opt/pwsh', linux, () => false)).toThrow(ShellUnavailableError);
    expect(resolveShellExecutable('pwsh', '/opt/pwsh', linux, () => true)).toBe('/opt/pwsh');
  });
});

describe('pwsh missing', () => {
  it('names the exact command for the platform: npm run setup where dotnet is, else the platform installer', () => {
    expect(pwshMissingMessage(linux, (p) => p === '/usr/bin/dotnet')).toBe(
      'PowerShell 7 (pwsh) was not found on PATH or in ~/.dotnet/tools. The .NET SDK is here: `npm run setup` installs it (dotnet tool install --global PowerShell) with Pester for the tests.',
    );
    expect(pwshMissingMessage(windows(), () => false)).toBe(
      'PowerShell 7 (pwsh) was not found in Program Files\\PowerShell\\7, on PATH or in ~/.dotnet/tools. Install it with `winget install --id Microsoft.PowerShell`, or install the .NET SDK and run `npm run setup`.',
    );
    expect(pwshMissingMessage(windows(), (p) => p === 'C:\\Windows\\System32\\dotnet.exe')).toMatch(/The \.NET SDK is here: `npm run setup`/);
    expect(pwshMissingMessage({ ...linux, platform: 'darwin' }, () => false)).toMatch(/brew install powershell/);
  });
});
