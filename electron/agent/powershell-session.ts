/**
 * PowerShellSession (a seam, DESIGN.md): one warm shell through node-powershell that runs every
 * probe of a cycle. Each script has a timeout after which the shell is killed and a fresh one is
 * started on the next call; a shell that dies is replaced the same way. In simulate mode the shell
 * imports the simulated host and points it at a working copy of a scenario.
 * The shell's life is bound to this process: a watchdog thread inside the shell waits for the agent's
 * process to exit and then ends the shell, so even a SIGKILL of the agent (or a crash) never leaves
 * PowerShell running a hung probe (Windows and elsewhere alike; no job object or process group needed).
 * Memory stays flat: node-powershell's per-command history is dropped after each command, and a
 * script printing more than maxOutputBytes is stopped (the shell is killed) instead of buffered.
 */
import { execFile } from 'node:child_process';
import { PowerShell } from 'node-powershell';
import type { AgentLogger } from './logging.js';
import type { SimulatedIdentity } from './simulated-host.js';
import { buildScriptCommand, powershellLiteral, type ScriptParameters } from './powershell-command.js';
import { defaultShellKind, resolveShellExecutable, ShellUnavailableError, type ShellKind } from './powershell-executable.js';

export { ShellUnavailableError, type ShellKind } from './powershell-executable.js';
export { ScriptParameterError, type ScriptParameters, type ScriptParameterValue } from './powershell-command.js';

export class ShellTimeoutError extends Error {
  override name = 'ShellTimeoutError';
  constructor(readonly scriptPath: string, readonly timeoutMs: number) {
    super(`PowerShell did not finish ${scriptPath} within ${Math.round(timeoutMs / 1000)} s; the shell was restarted.`);
  }
}

export class ShellDiedError extends Error {
  override name = 'ShellDiedError';
}

export class ShellOutputTooLargeError extends Error {
  override name = 'ShellOutputTooLargeError';
  constructor(readonly scriptPath: string, readonly maxBytes: number) {
    super(`${scriptPath} printed more than ${formatBytes(maxBytes)}; it was stopped (the shell was restarted).`);
  }
}

/** Default cap of one script's output: probes print a few kilobytes. */
export const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

const formatBytes = (bytes: number): string => (bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.round(bytes / 1024)} kB`);

export interface SessionOptions {
  shell?: ShellKind;
  executablePath?: string;
  /** Simulated host: the working copy to use, the sim module to import, and (optional) who this shell runs as. */
  simulate?: { statePath: string; modulePath: string; identity?: SimulatedIdentity };
  /** Per-script timeout (default 60 s). */
  timeoutMs?: number;
  /** Time allowed for the shell to start and answer its first command (default 30 s). */
  startTimeoutMs?: number;
  /** A script printing more than this is stopped (default MAX_OUTPUT_BYTES). */
  maxOutputBytes?: number;
  /** The process whose exit ends the shell (default: this one). */
  watchedPid?: number;
  logger?: AgentLogger;
}

/** What the shell said about itself at start. */
export interface ShellInfo {
  executable: string;
  pid: number;
  version: string;
  edition: string;
  languageMode: string;
  executionPolicies: Array<{ scope: string; policy: string }>;
  computerName: string;
  /** Why scripts may not run as expected here, in plain words; absent when nothing stands in the way. */
  restriction?: string;
}

export interface ScriptResult {
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface ScriptRunOptions {
  timeoutMs?: number;
}

/** The part of the session the runner and the fixes use (mock here, and only here). */
export interface ScriptSession {
  invokeScript(scriptPath: string, parameters?: ScriptParameters, options?: ScriptRunOptions): Promise<ScriptResult>;
  runScript(scriptPath: string, parameters?: ScriptParameters, options?: ScriptRunOptions): Promise<string>;
  info(): ShellInfo | undefined;
  dispose(): Promise<void>;
  /** Kills the shell at once, synchronously (a signal handler about to exit); optional for fakes. */
  terminate?(): void;
}

interface LiveShell {
  shell: PowerShell;
  info: ShellInfo;
  exited: boolean;
}

// eslint-disable-next-line no-control-regex -- terminal escape sequences are what this strips
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
const clean = (buffer: Buffer | undefined): string => (buffer ? buffer.toString('utf8').replace(ANSI, '') : '');

// One line: Windows PowerShell reading commands from stdin treats each line on its own.
const INIT_COMMANDS = [
  "$ProgressPreference = 'SilentlyContinue'",
  'try { [Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false } catch { $null = $_ }',
  'try { $OutputEncoding = New-Object System.Text.UTF8Encoding $false } catch { $null = $_ }',
  "if (Test-Path variable:PSStyle) { $PSStyle.OutputRendering = 'PlainText' }",
];
/**
 * Runs in a thread of its own inside the shell, so a hung probe does not stop it: when the agent's
 * process is gone (however it ended), the shell kills itself. Works on Windows PowerShell 5.1 and 7.
 */
export const watchdogCommand = (parentPid: number): string =>
  '$rdpHealthWatchdog = [PowerShell]::Create(); [void]$rdpHealthWatchdog.AddScript(' +
  '{ param($ParentId) try { ([System.Diagnostics.Process]::GetProcessById($ParentId)).WaitForExit() } catch { $null = $_ }; [System.Diagnostics.Process]::GetCurrentProcess().Kill() }' +
  `).AddArgument(${Math.trunc(parentPid)}); [void]$rdpHealthWatchdog.BeginInvoke()`;

const INFO_COMMAND =
  "[PSCustomObject]@{ pid = $PID; version = $PSVersionTable.PSVersion.ToString(); edition = [string]$PSVersionTable.PSEdition; " +
  'languageMode = [string]$ExecutionContext.SessionState.LanguageMode; computerName = [string]$env:COMPUTERNAME; ' +
  'executionPolicies = @(Get-ExecutionPolicy -List | ForEach-Object { [PSCustomObject]@{ scope = [string]$_.Scope; policy = [string]$_.ExecutionPolicy } }) } | ConvertTo-Json -Compress -Depth 4';

/** Plain words for a locked-down host: ConstrainedLanguage, or a Group Policy execution policy that beats -ExecutionPolicy Bypass. */
export function describeRestriction(info: Pick<ShellInfo, 'languageMode' | 'executionPolicies'>): string | undefined {
  if (info.languageMode !== 'FullLanguage') {
    return `PowerShell runs in ${info.languageMode} mode here (application control such as WDAC or AppLocker), so some checks cannot run.`;
  }
  const policy = info.executionPolicies.find((p) => (p.scope === 'MachinePolicy' || p.scope === 'UserPolicy') && (p.policy === 'Restricted' || p.policy === 'AllSigned'));
  if (policy) return `Group Policy sets the PowerShell execution policy to ${policy.policy} (${policy.scope}), so the check scripts cannot run.`;
  return undefined;
}

/** child-shell's ProcessError reads "Shell process N exited.\nundefined" when it has no cause: say it plainly. */
export function shellFailure(scriptPath: string, error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const exited = /^Shell process(?: (\d+))? exited\.\n?([\s\S]*)$/.exec(text);
  if (!exited) return `PowerShell stopped while running ${scriptPath}: ${text}`;
  const cause = exited[2]!.trim();
  return `PowerShell${exited[1] ? ` (pid ${exited[1]})` : ''} exited while running ${scriptPath}${cause !== '' && cause !== 'undefined' ? `: ${cause}` : '.'}`;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<{ value: T } | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return Promise.race([promise.then((value) => ({ value })), timeout]).finally(() => clearTimeout(timer));
}

export class PowerShellSession implements ScriptSession {
  private live: LiveShell | undefined;
  private lastInfo: ShellInfo | undefined;
  private starting: Promise<LiveShell> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  /** The shell started last, still starting or running: what terminate() kills. */
  private newest: LiveShell | undefined;
  /** Shells started so far (the first one included): a test and the log can see recycling. */
  startCount = 0;

  constructor(private readonly options: SessionOptions = {}) {}

  /** Starts the shell now instead of at the first script (the agent warms it at launch). */
  async start(): Promise<ShellInfo> {
    return (await this.ensureShell()).info;
  }

  /** The current shell's info, or the last one's while none runs. */
  info(): ShellInfo | undefined {
    return this.live?.info ?? this.lastInfo;
  }

  async runScript(scriptPath: string, parameters?: ScriptParameters, options?: ScriptRunOptions): Promise<string> {
    return (await this.invokeScript(scriptPath, parameters, options)).stdout;
  }

  /** Runs one script; calls are serialized so each timeout measures only its own script. */
  invokeScript(scriptPath: string, parameters: ScriptParameters = {}, options: ScriptRunOptions = {}): Promise<ScriptResult> {
    const command = buildScriptCommand(scriptPath, parameters);
    const run = this.queue.then(() => this.invokeNow(scriptPath, command, options.timeoutMs ?? this.options.timeoutMs ?? 60_000));
    this.queue = run.catch(() => undefined);
    return run;
  }

  terminate(): void {
    this.disposed = true;
    const live = this.newest;
    if (!live || live.exited) return;
    live.exited = true;
    signalProcess(live.info.pid, 'SIGKILL');
    // The launcher too (child-shell keeps its ChildProcess private): a shell still starting has no $PID yet.
    signalProcess((live.shell as unknown as { process?: { pid?: number } }).process?.pid ?? 0, 'SIGKILL');
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.queue;
    await this.kill(this.live, 'SIGTERM');
  }

  private async invokeNow(scriptPath: string, command: string, timeoutMs: number): Promise<ScriptResult> {
    if (this.disposed) throw new ShellDiedError('The PowerShell session was closed.');
    const live = await this.ensureShell();
    const started = performance.now();
    const maxBytes = this.options.maxOutputBytes ?? MAX_OUTPUT_BYTES;
    const tooLarge = watchOutputSize(live, maxBytes);
    const invocation = live.shell.invoke(command);
    invocation.catch(() => undefined); // settled below or abandoned on timeout
    let outcome: Awaited<ReturnType<typeof withTimeout<Awaited<typeof invocation> | 'too-large'>>>;
    try {
      outcome = await withTimeout(Promise.race([invocation, tooLarge.reached]), timeoutMs);
    } catch (error) {
      await this.kill(live, 'SIGKILL');
      throw new ShellDiedError(shellFailure(scriptPath, error));
    } finally {
      tooLarge.stop();
      // child-shell keeps every command's output in `history` for the shell's life: drop it.
      (live.shell.history as unknown[]).length = 0;
    }
    if (outcome !== 'timeout' && outcome.value === 'too-large') {
      this.options.logger?.warn('powershell script printed too much; restarting the shell', { script: scriptPath, maxBytes, pid: live.info.pid });
      await this.kill(live, 'SIGKILL');
      throw new ShellOutputTooLargeError(scriptPath, maxBytes);
    }
    if (outcome === 'timeout') {
      this.options.logger?.warn('powershell script timed out; restarting the shell', { script: scriptPath, timeoutMs, pid: live.info.pid });
      await this.kill(live, 'SIGKILL');
      throw new ShellTimeoutError(scriptPath, timeoutMs);
    }
    const result = outcome.value as Awaited<typeof invocation>;
    // A shell that exits cleanly mid-script resolves with no output at all.
    if (live.exited || result.stdout === undefined) {
      await this.kill(live, 'SIGKILL');
      throw new ShellDiedError(`PowerShell exited while running ${scriptPath}.`);
    }
    const stderr = clean(result.stderr).trim();
    if (stderr !== '') this.options.logger?.warn('powershell script wrote errors', { script: scriptPath, stderr: stderr.slice(0, 2000) });
    return { stdout: clean(result.stdout), stderr, durationMs: performance.now() - started };
  }

  private async ensureShell(): Promise<LiveShell> {
    if (this.live && !this.live.exited) return this.live;
    if (this.live) {
      this.options.logger?.warn('powershell shell had exited; starting a new one', { pid: this.live.info.pid });
      this.live = undefined;
    }
    this.starting ??= this.startShell().finally(() => {
      this.starting = undefined;
    });
    this.live = await this.starting;
    return this.live;
  }

  private async startShell(): Promise<LiveShell> {
    const kind = this.options.simulate ? 'pwsh' : (this.options.shell ?? defaultShellKind());
    const executable = resolveShellExecutable(kind, this.options.executablePath);
    const shell = this.spawn(executable);
    const live: LiveShell = { shell, exited: false, info: { executable, pid: 0, version: '', edition: '', languageMode: '', executionPolicies: [], computerName: '' } };
    this.newest = live;
    shell.streams.stdout.once('close', () => {
      live.exited = true;
    });
    this.startCount += 1;
    const commands = [watchdogCommand(this.options.watchedPid ?? process.pid), ...INIT_COMMANDS];
    const sim = this.options.simulate;
    if (sim) {
      const identity = sim.identity ? ` -Identity ${powershellLiteral(sim.identity)}` : '';
      commands.push(`Import-Module ${powershellLiteral(sim.modulePath)} -Global -Force`, `Use-SimHost -StatePath ${powershellLiteral(sim.statePath)}${identity}`);
    }
    commands.push(INFO_COMMAND);
    const invocation = shell.invoke(commands.join('; '));
    invocation.catch(() => undefined);
    let outcome;
    try {
      outcome = await withTimeout(invocation, this.options.startTimeoutMs ?? 30_000);
    } catch (error) {
      await this.kill(live, 'SIGKILL');
      throw new ShellUnavailableError(`PowerShell (${executable}) could not be started: ${String(error)}`);
    }
    if (outcome === 'timeout' || outcome.value.stdout === undefined) {
      await this.kill(live, 'SIGKILL');
      throw new ShellUnavailableError(await explainFailedStart(executable, `PowerShell (${executable}) did not start in time.`));
    }
    const stdout = clean(outcome.value.stdout).trim();
    const stderr = clean(outcome.value.stderr).trim();
    try {
      live.info = { ...live.info, ...(JSON.parse(stdout.split('\n').pop() ?? '') as Omit<ShellInfo, 'executable'>), executable };
    } catch {
      await this.kill(live, 'SIGKILL');
      throw new ShellUnavailableError(await explainFailedStart(executable, `PowerShell (${executable}) started but did not answer as expected: ${(stderr || stdout).slice(0, 500)}`));
    }
    if (sim && stderr !== '') {
      await this.kill(live, 'SIGKILL');
      throw new ShellUnavailableError(`The simulated host could not be loaded: ${stderr.slice(0, 500)}`);
    }
    live.info.restriction = describeRestriction(live.info);
    this.lastInfo = live.info;
    this.options.logger?.info('powershell shell started', { ...live.info, simulate: sim?.statePath });
    if (live.info.restriction) this.options.logger?.warn('powershell is restricted on this host', { restriction: live.info.restriction });
    return live;
  }

  private spawn(executable: string): PowerShell {
    // node-powershell lets NODE_POWERSHELL override the executable; the full path chosen here must win.
    const override = process.env.NODE_POWERSHELL;
    delete process.env.NODE_POWERSHELL;
    try {
      const env = { ...process.env, NO_COLOR: '1', TERM: 'dumb', POWERSHELL_TELEMETRY_OPTOUT: '1', POWERSHELL_UPDATECHECK: 'Off' };
      return new PowerShell({
        executable,
        throwOnInvocationError: false,
        executableOptions: { '-NoProfile': true, '-NonInteractive': true, '-ExecutionPolicy': 'Bypass', '-InputFormat': 'Text', '-OutputFormat': 'Text' },
        spawnOptions: { env, windowsHide: true },
      });
    } finally {
      if (override !== undefined) process.env.NODE_POWERSHELL = override;
    }
  }

  private async kill(live: LiveShell | undefined, signal: NodeJS.Signals): Promise<void> {
    if (!live) return;
    if (this.live === live) this.live = undefined;
    if (live.exited) return;
    live.exited = true;
    // The shell's own $PID first: a launcher (the .NET global tool's pwsh) runs the real shell as a
    // child that would otherwise live on, still running the script that timed out.
    signalProcess(live.info.pid, signal);
    const exit = live.shell.dispose(signal).catch(() => undefined);
    // A SIGTERM the shell ignores must not hang dispose: fall back to SIGKILL.
    if ((await withTimeout(exit, 3000)) === 'timeout') {
      signalProcess(live.info.pid, 'SIGKILL');
      await live.shell.dispose('SIGKILL').catch(() => undefined);
    }
  }
}

/**
 * The session talks to its shell through [Console] calls, which ConstrainedLanguage mode forbids
 * (WDAC/AppLocker): such a shell never answers. Ask a one-shot shell for its language mode so the
 * message says why instead of "did not start".
 */
async function explainFailedStart(executable: string, fallback: string): Promise<string> {
  const mode = await new Promise<string>((resolve) => {
    execFile(executable, ['-NoProfile', '-NonInteractive', '-Command', '"$($ExecutionContext.SessionState.LanguageMode)"'], { timeout: 15_000, windowsHide: true }, (_error, stdout) =>
      resolve(String(stdout).trim()),
    );
  });
  if (mode === '' || mode === 'FullLanguage') return fallback;
  return `PowerShell runs in ${mode} mode on this computer (application control such as WDAC or AppLocker), so the checks cannot run. ${fallback}`;
}

/** Counts a command's stdout; `reached` resolves once it passes maxBytes. */
function watchOutputSize(live: LiveShell, maxBytes: number): { reached: Promise<'too-large'>; stop: () => void } {
  let bytes = 0;
  let onData: ((chunk: string | Buffer) => void) | undefined;
  const reached = new Promise<'too-large'>((resolve) => {
    onData = (chunk) => {
      bytes += Buffer.byteLength(chunk);
      if (bytes > maxBytes) resolve('too-large');
    };
    live.shell.streams.stdout.on('data', onData);
  });
  return { reached, stop: () => void live.shell.streams.stdout.off('data', onData!) };
}

function signalProcess(pid: number, signal: NodeJS.Signals): void {
  if (!(pid > 0)) return;
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}
