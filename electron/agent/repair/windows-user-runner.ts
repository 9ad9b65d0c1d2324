/**
 * WindowsUserRunner: runs a fix of the user's own files (probes/client/Repair-RdpFile.ps1) with the
 * user's own rights — no UAC prompt, and so the user's own Documents even when an administrator would
 * approve a prompt with another account. The full-path Windows PowerShell, `-File` with the request's
 * checked plain-token parameters as arguments (no shell, no command text); the result is the script's
 * RDPHEALTH:RESULT line (its record goes to the user's own %LOCALAPPDATA%\RDP Health\fixes).
 */
import { windowsPowerShellPath } from '../powershell-executable.js';
import { probeScriptPath } from '../script-paths.js';
import { checkElevationRequest, RECORD_CHECK_SCRIPT, type ElevationRequest, type ElevationResult, type Elevator, type RecordInspection } from './elevator.js';
import { parseFixOutput } from './fix-result.js';
import { parseRecordInspection, recordCheckArguments } from './record-inspection.js';
import { runProcess, type RunProcess } from './windows-elevator.js';

export interface WindowsUserRunnerOptions {
  probesDir: string;
  powershellPath?: string;
  timeoutMs?: number;
  run?: RunProcess;
}

const SHELL_ARGS = ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File'];

export class WindowsUserRunner implements Elevator {
  constructor(private readonly options: WindowsUserRunnerOptions) {}

  async run(request: ElevationRequest): Promise<ElevationResult> {
    checkElevationRequest(request);
    const named = Object.entries(request.parameters).flatMap(([name, value]) => [`-${name}`, value]);
    const args = [...SHELL_ARGS, probeScriptPath(this.options.probesDir, request.script), ...named, '-RecordId', request.recordId];
    const run = this.options.run ?? runProcess;
    const exit = await run(this.options.powershellPath ?? windowsPowerShellPath(), args, { timeoutMs: this.options.timeoutMs ?? 120_000 });
    const result = parseFixOutput(exit.stdout).result;
    if (!result) {
      const said = (exit.stderr || exit.stdout).trim().slice(0, 500);
      return { status: 'failed', exitCode: exit.exitCode, message: `The fix ended (exit code ${String(exit.exitCode)}) without a readable result${said ? `: ${said}` : '.'}` };
    }
    return { status: 'completed', exitCode: exit.exitCode ?? -1, message: `The fix ended with exit code ${String(exit.exitCode)}.`, result };
  }

  async inspectRecord(recordId: string): Promise<RecordInspection> {
    const args = [...SHELL_ARGS, probeScriptPath(this.options.probesDir, RECORD_CHECK_SCRIPT), ...recordCheckArguments(recordId)];
    const run = this.options.run ?? runProcess;
    return parseRecordInspection(recordId, await run(this.options.powershellPath ?? windowsPowerShellPath(), args, { timeoutMs: 60_000 }));
  }
}
