/**
 * The elevation seam's two sides. WindowsElevator: the command it starts (full-path powershell.exe,
 * the shipped launcher, files only) and how it reads the launcher's answer, with the process start
 * replaced (UAC needs Windows; the launcher's own 1223 mapping is tested in Pester). The request
 * check both elevators share: only requests the fix catalog makes. The fix output parser against host text it must ignore.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkElevationRequest, ElevationRequestError, type ElevationRequest } from '../../../electron/agent/repair/elevator.js';
import { fixIdOfRecord, isRecordId, newRecordId, parseFixOutput } from '../../../electron/agent/repair/fix-result.js';
import { WindowsElevator, type ProcessOutcome, type RunProcess } from '../../../electron/agent/repair/windows-elevator.js';
import { probesDir } from './repair-harness.js';

const request: ElevationRequest = { kind: 'fix', fixId: 'nla.enable', script: 'nla/Repair-RdpNla.ps1', parameters: { Action: 'Enable' }, recordId: '20250101T120000Z-nla_enable-0000abcd' };
const fixResult = {
  schema: 1, fixId: 'nla.enable', recordId: request.recordId, ok: true, whatIf: false, outcome: 'applied',
  changes: [{ target: 'RDP-Tcp', action: 'Require NLA' }], planned: [], restored: [], notes: [], details: {},
  rebootRequired: false, undoAvailable: true, finishedAt: '2025-01-01T12:00:00.000Z',
};

function elevatorAnswering(answer: (args: readonly string[]) => ProcessOutcome) {
  const calls: { file: string; args: readonly string[]; request: unknown }[] = [];
  const run: RunProcess = async (file, args) => {
    const requestPath = args[args.indexOf('-RequestPath') + 1]!;
    calls.push({ file, args, request: JSON.parse(readFileSync(requestPath, 'utf8')) });
    return answer(args);
  };
  const workDir = mkdtempSync(join(tmpdir(), 'rdp-elevation-'));
  return { calls, workDir, elevator: new WindowsElevator({ probesDir, workDir, powershellPath: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', run }) };
}

const launcherWrites = (document: unknown, exitCode: number) => (args: readonly string[]): ProcessOutcome => {
  writeFileSync(args[args.indexOf('-ResultPath') + 1]!, `\uFEFF${JSON.stringify(document)}`);
  return { exitCode, stdout: '', stderr: '' };
};

describe('WindowsElevator', () => {
  it('starts the launcher by full path with the request in a file, and reads the fix result back', async () => {
    const { calls, elevator, workDir } = elevatorAnswering(launcherWrites({ schema: 1, status: 'completed', exitCode: 0, message: 'done', result: fixResult }, 0));
    const result = await elevator.run(request);
    expect(result).toMatchObject({ status: 'completed', exitCode: 0, result: { outcome: 'applied' } });
    const [call] = calls;
    expect(call!.file).toBe('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
    expect(call!.args.slice(0, 5)).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File']);
    expect(call!.args[5]).toMatch(/common[\\/]Start-RdpElevatedFix\.ps1$/);
    expect(call!.args.slice(6).filter((a) => a.startsWith('-'))).toEqual(['-RequestPath', '-ResultPath']);
    expect(call!.args.join(' ')).not.toMatch(/Enable/); // parameters travel in the file only
    expect(call!.request).toEqual({ schema: 1, script: 'nla/Repair-RdpNla.ps1', parameters: { Action: 'Enable' }, recordId: request.recordId });
    expect(existsSync(join(workDir, `${request.recordId}.request.json`))).toBe(false); // cleaned up
  });

  it('maps the launcher status cancelled (UAC declined, 1223) to cancelled — nothing was changed', async () => {
    const { elevator } = elevatorAnswering(launcherWrites({ schema: 1, status: 'cancelled', exitCode: 1223, message: 'Cancelled - nothing was changed.', result: null }, 1223));
    expect(await elevator.run(request)).toEqual({ status: 'cancelled', exitCode: 1223, message: 'Cancelled — nothing was changed.' });
  });

  it('takes exit code 1223 without a result file as cancelled, and anything else without one as failed', async () => {
    expect((await elevatorAnswering(() => ({ exitCode: 1223, stdout: '', stderr: '' })).elevator.run(request)).status).toBe('cancelled');
    const failed = await elevatorAnswering(() => ({ exitCode: 1, stdout: '', stderr: 'execution of scripts is disabled' })).elevator.run(request);
    expect(failed).toMatchObject({ status: 'failed', exitCode: 1 });
    expect(failed.message).toMatch(/execution of scripts is disabled/);
  });

  it('passes a launcher failure on as failed', async () => {
    const { elevator } = elevatorAnswering(launcherWrites({ schema: 1, status: 'failed', exitCode: 87, message: 'Invalid fix request: x', result: null }, 87));
    expect(await elevator.run(request)).toMatchObject({ status: 'failed', exitCode: 87, message: 'Invalid fix request: x' });
  });
});

describe('the request check both elevators apply', () => {
  it.each([
    ['a script outside the fixes', { script: 'nla/Get-RdpNla.ps1' }],
    ['a path out of the probes folder', { script: '../x/Repair-RdpNla.ps1' }],
    ['undo kind with a fix script', { kind: 'undo' as const }],
    ['a value with a command', { parameters: { Action: 'Enable; Remove-Item C:\\' } }],
    ['a reserved parameter', { parameters: { WhatIf: 'true' } }],
    ['a lower-case parameter name', { parameters: { action: 'Enable' } }],
    ['a bad record id', { recordId: '../../x' }],
    ['a value the catalog does not give that fix', { parameters: { Action: 'Disable' } }],
    ['a parameter the catalog does not give that fix', { parameters: { Action: 'Enable', Layer: 'Tls' } }],
    ['another fix\'s script', { script: 'tls/Repair-RdpTls.ps1', parameters: {} }],
    ['a fix the catalog does not hold', { fixId: 'nla.remove' }],
    ['undo with parameters', { kind: 'undo' as const, script: 'common/Undo-RdpFix.ps1' }],
    ['a fix of an .rdp file without its computer', { fixId: 'rdp-file.enable-credssp', script: 'client/Repair-RdpFile.ps1', parameters: { Action: 'EnableCredSsp' } }],
  ])('refuses %s', (_why, change) => {
    expect(() => checkElevationRequest({ ...request, ...change })).toThrow(ElevationRequestError);
  });

  it('accepts the catalog request and an undo', () => {
    expect(() => checkElevationRequest(request)).not.toThrow();
    expect(() => checkElevationRequest({ kind: 'undo', fixId: 'nla.enable', script: 'common/Undo-RdpFix.ps1', parameters: {}, recordId: request.recordId })).not.toThrow();
    const rdpFile = { kind: 'fix' as const, fixId: 'rdp-file.enable-credssp', script: 'client/Repair-RdpFile.ps1', recordId: '20250101T120000Z-rdp-file_enable-credssp-0000abcd' };
    expect(() => checkElevationRequest({ ...rdpFile, parameters: { TargetHost: 'host1', Action: 'EnableCredSsp' } })).not.toThrow();
  });
});

describe('fix output and record ids', () => {
  it('reads the RDPHEALTH lines among host text in any language, CRLF or not', () => {
    const stdout = [
      'WhatIf: Vorgang "Netzwerkebenenauthentifizierung" wird für das Ziel "RDP-Tcp" ausgeführt.',
      'RDPHEALTH:PLANNED {"target":"RDP-Tcp","action":"Require NLA"}',
      'RDPHEALTH:PLANNED {"broken json',
      `RDPHEALTH:RESULT ${JSON.stringify({ ...fixResult, whatIf: true, outcome: 'planned', changes: [], details: [] })}`,
    ].join('\r\n');
    const output = parseFixOutput(stdout);
    expect(output.planned).toEqual([{ target: 'RDP-Tcp', action: 'Require NLA' }]);
    expect(output.result?.outcome).toBe('planned');
    expect(output.result?.details).toEqual({});
  });

  it('says what is wrong when there is no result, or a result that does not fit', () => {
    expect(parseFixOutput('What if: something').problem).toMatch(/no result/);
    expect(parseFixOutput('RDPHEALTH:RESULT {"schema":2}').problem).toMatch(/could not be read/);
  });

  it('makes record ids the scripts accept and finds the fix id in them', () => {
    const id = newRecordId('security-layer.set-negotiate', new Date('2025-03-04T05:06:07.890Z'));
    expect(id).toMatch(/^20250304T050607Z-security-layer_set-negotiate-[0-9a-f]{8}$/);
    expect(isRecordId(id)).toBe(true);
    expect(fixIdOfRecord(id)).toBe('security-layer.set-negotiate');
    expect(isRecordId('20250304T050607Z-nla.enable-0000abcd')).toBe(false);
  });
});
