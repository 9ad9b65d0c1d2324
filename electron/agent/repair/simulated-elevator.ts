/**
 * SimulatedElevator (other systems, tests, the demo): "elevation" runs the same fix scripts in a
 * fresh pwsh against the simulated host's working copy, and writes records into a fix folder under
 * the data folder. It can be told to decline, as a person at the UAC prompt can. The request is
 * checked like the launcher checks it; the script and its arguments reach pwsh through environment
 * variables read by a fixed bootstrap, never as command text built from them.
 */
import { mkdir } from 'node:fs/promises';
import { resolveShellExecutable } from '../powershell-executable.js';
import { probeScriptPath, simModulePath } from '../script-paths.js';
import { CANCELLED_MESSAGE, checkElevationRequest, RECORD_CHECK_SCRIPT, UAC_CANCELLED_EXIT_CODE, type ElevationRequest, type ElevationResult, type Elevator, type RecordInspection } from './elevator.js';
import { fixFilePath, readFixResultFile } from './fix-result.js';
import { parseRecordInspection, recordCheckArguments } from './record-inspection.js';
import { runProcess, type RunProcess } from './windows-elevator.js';

const BOOTSTRAP = [
  "$ErrorActionPreference = 'Stop'",
  'Import-Module $env:RDP_HEALTH_SIM_MODULE -Global',
  'Use-SimHost -StatePath $env:RDP_HEALTH_SIM_STATE',
  '$arguments = @{}',
  'foreach ($p in ($env:RDP_HEALTH_FIX_ARGS | ConvertFrom-Json).PSObject.Properties) { $arguments[$p.Name] = [string]$p.Value }',
  '$null = & $env:RDP_HEALTH_FIX_SCRIPT @arguments',
  'exit $LASTEXITCODE',
].join('; ');

export interface SimulatedElevatorOptions {
  /** The simulated host's working copy the fixes change. */
  statePath: string;
  probesDir: string;
  /** Where results and undo records go (RDP_HEALTH_FIX_ROOT), e.g. <dataDir>/fixes. */
  fixRoot: string;
  /** Decline every elevation, like "No" at the UAC prompt. */
  decline?: boolean;
  /**
   * Run with the user's own rights, as a fix of the user's own files runs (no prompt, so never
   * declined): the scenario's identity, records in `fixRoot` as the user's own fix folder.
   */
  asUser?: boolean;
  executablePath?: string;
  timeoutMs?: number;
  /** Seam: how the process is started (default: child_process.execFile). */
  run?: RunProcess;
}

export class SimulatedElevator implements Elevator {
  /** Changeable at run time (the demo's "decline the next UAC prompt" switch, tests). */
  decline: boolean;
  /** Requests seen, in order (so a test can tell a declined run from one never asked). */
  readonly requests: ElevationRequest[] = [];

  constructor(private readonly options: SimulatedElevatorOptions) {
    this.decline = options.decline ?? false;
  }

  get fixRoot(): string {
    return this.options.fixRoot;
  }

  /** The fix folder as the scripts find it: the admin-owned one, or (asUser) the user's own. */
  private folderEnv(): Record<string, string> {
    return this.options.asUser ? { RDP_HEALTH_USER_FIX_ROOT: this.options.fixRoot } : { RDP_HEALTH_FIX_ROOT: this.options.fixRoot };
  }

  /** The same unelevated record check as on Windows, on this fix folder; never counted as an elevation. */
  async inspectRecord(recordId: string): Promise<RecordInspection> {
    const args = ['-NoProfile', '-NonInteractive', '-File', probeScriptPath(this.options.probesDir, RECORD_CHECK_SCRIPT), ...recordCheckArguments(recordId)];
    const env = { ...process.env, NO_COLOR: '1', TERM: 'dumb', ...this.folderEnv() };
    const run = this.options.run ?? runProcess;
    return parseRecordInspection(recordId, await run(resolveShellExecutable('pwsh', this.options.executablePath), args, { timeoutMs: this.options.timeoutMs ?? 120_000, env }));
  }

  async run(request: ElevationRequest): Promise<ElevationResult> {
    checkElevationRequest(request);
    this.requests.push(request);
    if (this.decline && !this.options.asUser) return { status: 'cancelled', exitCode: UAC_CANCELLED_EXIT_CODE, message: CANCELLED_MESSAGE };
    await mkdir(this.options.fixRoot, { recursive: true });
    const { probesDir } = this.options;
    const env = {
      ...process.env,
      NO_COLOR: '1',
      TERM: 'dumb',
      ...this.folderEnv(),
      RDP_HEALTH_SIM_MODULE: simModulePath(),
      RDP_HEALTH_SIM_STATE: this.options.statePath,
      // Through UAC a fix runs with the admin's full token, whoever the checks run as; a user's own fix as the user.
      ...(this.options.asUser ? {} : { RDP_HEALTH_SIM_IDENTITY: 'elevated-admin' }),
      RDP_HEALTH_FIX_SCRIPT: probeScriptPath(probesDir, request.script),
      RDP_HEALTH_FIX_ARGS: JSON.stringify({ ...request.parameters, RecordId: request.recordId }),
    };
    const executable = resolveShellExecutable('pwsh', this.options.executablePath);
    const run = this.options.run ?? runProcess;
    const exit = await run(executable, ['-NoProfile', '-NonInteractive', '-Command', BOOTSTRAP], { timeoutMs: this.options.timeoutMs ?? 120_000, env });
    const result = await readFixResultFile(fixFilePath(this.options.fixRoot, request.recordId, request.kind === 'undo' ? 'undo-result' : 'result'));
    if (!result) {
      const said = (exit.stderr || exit.stdout).trim().slice(0, 500);
      return { status: 'failed', exitCode: exit.exitCode, message: `The fix ended (exit code ${String(exit.exitCode)}) without writing its result${said ? `: ${said}` : '.'}` };
    }
    return { status: 'completed', exitCode: exit.exitCode ?? -1, message: `The fix ended with exit code ${String(exit.exitCode)}.`, result };
  }
}
