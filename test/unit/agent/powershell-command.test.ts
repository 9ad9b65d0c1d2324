import { describe, expect, it } from 'vitest';
import { buildScriptCommand, powershellLiteral, ScriptParameterError } from '../../../electron/agent/powershell-command.js';

describe('powershellLiteral', () => {
  it('single-quotes printable ASCII and doubles embedded quotes', () => {
    expect(powershellLiteral("C:\\Program Files\\RDP Health\\probes\\nla\\Get-RdpNla.ps1")).toBe("'C:\\Program Files\\RDP Health\\probes\\nla\\Get-RdpNla.ps1'");
    expect(powershellLiteral("it's; $(Remove-Item x)")).toBe("'it''s; $(Remove-Item x)'");
  });

  it('spells anything else as character codes, so typographic quotes cannot end the string', () => {
    // U+2019 is a string delimiter to PowerShell, as is U+2018.
    expect(powershellLiteral('a\u2019b')).toBe('(-join [char[]]@(97,8217,98))');
    expect(powershellLiteral('Jürgen')).toBe('(-join [char[]]@(74,252,114,103,101,110))');
  });

  it('refuses control characters (a newline would end the command line)', () => {
    expect(() => powershellLiteral('a\nb')).toThrow(ScriptParameterError);
    expect(() => powershellLiteral('a\u0000b')).toThrow(ScriptParameterError);
  });
});

describe('buildScriptCommand', () => {
  it('calls the script by path with typed parameters', () => {
    expect(buildScriptCommand('/repo/probes/x/Get-X.ps1', { Name: 'RDP-Tcp', Days: 30, Offset: -2, Force: true, Quiet: false })).toBe(
      "& '/repo/probes/x/Get-X.ps1' -Name:'RDP-Tcp' -Days:30 -Offset:(-2) -Force:$true -Quiet:$false",
    );
  });

  it.each([
    ['a relative path', 'probes/x.ps1'],
    ['something that is not a script', '/bin/sh'],
  ])('refuses %s', (_label, path) => {
    expect(() => buildScriptCommand(path)).toThrow(ScriptParameterError);
  });

  it.each(['Name; Remove-Item', '-Force', 'a b', '1abc', ''])('refuses the parameter name %j', (name) => {
    expect(() => buildScriptCommand('/x/Get-X.ps1', { [name]: 'v' })).toThrow(ScriptParameterError);
  });

  it('refuses numbers PowerShell would not read back', () => {
    expect(() => buildScriptCommand('/x/Get-X.ps1', { Days: Number.NaN })).toThrow(ScriptParameterError);
    expect(() => buildScriptCommand('/x/Get-X.ps1', { Days: Number.POSITIVE_INFINITY })).toThrow(ScriptParameterError);
  });

  it('refuses values of other types', () => {
    expect(() => buildScriptCommand('/x/Get-X.ps1', { Data: {} as unknown as string })).toThrow(ScriptParameterError);
  });
});
