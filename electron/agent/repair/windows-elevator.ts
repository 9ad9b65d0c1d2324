/**
 * WindowsElevator: runs probes/common/Start-RdpElevatedFix.ps1 unelevated with the full-path
 * Windows PowerShell (`-NoProfile -NonInteractive -ExecutionPolicy Bypass -File`); the launcher asks
 * UAC (Start-Process -Verb RunAs) and starts the fix. Data goes through files: a request JSON written
 * here, the launcher's result JSON read back. Exit code 1223 / status "cancelled": UAC was declined.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { parseJsonText } from '../json-text.js';
import { windowsPowerShellPath } from '../powershell-executable.js';
import { probeScriptPath } from '../script-paths.js';
import { CANCELLED_MESSAGE, checkElevationRequest, RECORD_CHECK_SCRIPT, requestDocument, UAC_CANCELLED_EXIT_CODE, type ElevationRequest, type ElevationResult, type Elevator, type RecordInspection } from './elevator.js';
import { fixRunResultSchema } from './fix-result.js';
import { parseRecordInspection, recordCheckArguments } from './record-inspection.js';

export const LAUNCHER_SCRIPT = 'common/Start-RdpElevatedFix.ps1';

const launcherResultSchema = z.object({
  schema: z.literal(1),
  status: z.enum(['completed', 'cancelled', 'failed']),
  exitCode: z.number().int(),
  message: z.string(),
  result: fixRunResultSchema.nullable(),
});

export interface ProcessOutcome {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Starts a program with arguments (no shell); the seam a test replaces. */
export type RunProcess = (file: string, args: readonly string[], options: { timeoutMs: number; env?: NodeJS.ProcessEnv }) => Promise<ProcessOutcome>;

export const runProcess: RunProcess = (file, args, options) =>
  new Promise((resolve) => {
    execFile(file, [...args], { timeout: options.timeoutMs, windowsHide: true, encoding: 'utf8', ...(options.env ? { env: options.env } : {}) }, (error, stdout, stderr) => {
      // A non-zero exit is an error with a numeric code; a spawn failure or timeout has none.
      const code = !error ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ exitCode: code, stdout: String(stdout), stderr: String(stderr) });
    });
  });

export interface WindowsElevatorOptions {
  probesDir: string;
  /** Where request and result files are written (the user's own folder, e.g. <dataDir>/elevation). */
  workDir: string;
  /** Windows PowerShell by full path (default %SystemRoot%\System32\WindowsPowerShell\v1.0\powershell.exe). */
  powershellPath?: string;
  /** The person may take a while at the UAC prompt; the fix itself is quick (default 15 min in all). */
  timeoutMs?: number;
  run?: RunProcess;
}

export class WindowsElevator implements Elevator {
  constructor(private readonly options: WindowsElevatorOptions) {}

  async run(request: ElevationRequest): Promise<ElevationResult> {
    checkElevationRequest(request);
    await mkdir(this.options.workDir, { recursive: true });
    const requestPath = join(this.options.workDir, `${request.recordId}.request.json`);
    const resultPath = join(this.options.workDir, `${request.recordId}.launcher.json`);
    await writeFile(requestPath, requestDocument(request), 'utf8');
    try {
      const args = [
        '-NoProfile',
        '-NonInteractive',
        '-ExecutionPolicy',
        'Bypass',
        '-File',
        probeScriptPath(this.options.probesDir, LAUNCHER_SCRIPT),
        '-RequestPath',
        requestPath,
        '-ResultPath',
        resultPath,
      ];
      const run = this.options.run ?? runProcess;
      const exit = await run(this.options.powershellPath ?? windowsPowerShellPath(), args, { timeoutMs: this.options.timeoutMs ?? 15 * 60_000 });
      return await this.readResult(resultPath, exit);
    } finally {
      await rm(requestPath, { force: true });
      await rm(resultPath, { force: true });
    }
  }

  /** The record check runs unelevated, in the same Windows PowerShell: no prompt. */
  async inspectRecord(recordId: string): Promise<RecordInspection> {
    const args = ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', probeScriptPath(this.options.probesDir, RECORD_CHECK_SCRIPT), ...recordCheckArguments(recordId)];
    const run = this.options.run ?? runProcess;
    return parseRecordInspection(recordId, await run(this.options.powershellPath ?? windowsPowerShellPath(), args, { timeoutMs: 60_000 }));
  }

  private async readResult(resultPath: string, exit: ProcessOutcome): Promise<ElevationResult> {
    let text: string | undefined;
    try {
      text = await readFile(resultPath, 'utf8');
    } catch {
      text = undefined;
    }
    const parsed = text === undefined ? undefined : launcherResultSchema.safeParse(parseJsonText(text));
    if (!parsed?.success) {
      if (exit.exitCode === UAC_CANCELLED_EXIT_CODE) return { status: 'cancelled', exitCode: exit.exitCode, message: CANCELLED_MESSAGE };
      const said = (exit.stderr || exit.stdout).trim().slice(0, 500);
      return { status: 'failed', exitCode: exit.exitCode, message: `The elevated fix launcher ended (exit code ${String(exit.exitCode)}) without a readable result${said ? `: ${said}` : '.'}` };
    }
    const launcher = parsed.data;
    if (launcher.status === 'cancelled' || launcher.exitCode === UAC_CANCELLED_EXIT_CODE) {
      return { status: 'cancelled', exitCode: launcher.exitCode, message: CANCELLED_MESSAGE };
    }
    if (launcher.status === 'completed' && launcher.result) {
      return { status: 'completed', exitCode: launcher.exitCode, message: launcher.message, result: launcher.result };
    }
    return { status: 'failed', exitCode: launcher.exitCode, message: launcher.message };
  }
}
