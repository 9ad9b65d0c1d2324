/** What Agent.create takes and what agent.getStatus() says (electron/agent/agent.ts re-exports both). */
import type { AgentProblem } from './agent-problems.js';
import type { RunnableProbe } from './check-runner.js';
import type { Identity } from './host-snapshot.js';
import type { AgentLogger } from './logging.js';
import type { ScriptSession, ShellInfo } from './powershell-session.js';
import type { Elevator } from './repair/elevator.js';
import type { SchedulerClock } from './scheduler.js';

export interface AgentOptions {
  /** Where settings, history and notification state live (created if missing). */
  dataDir: string;
  /** Simulated host: a shipped scenario name or a path to a scenario file. */
  simulate?: string;
  /** Who this agent's checks run as on the simulated host, over the scenario's (the demo's window: standard-user). */
  simulateIdentity?: Identity;
  /** Simulated host: a working copy made and kept by the caller (the CLI's, shared by its commands); wins over `simulate`. */
  simulatedHostPath?: string;
  /** Log folder; overrides settings.logDir. */
  logDir?: string;
  /** Where the probe scripts are (default: resolveProbesDir()). */
  probesDir?: string;
  /** The probe catalogue (default: probes/index.ts). */
  probes?: readonly RunnableProbe[];
  /** A PowerShell executable by full path (default: by shell kind). */
  executablePath?: string;
  /** Per-probe timeout; overrides settings.probeTimeoutSeconds. */
  probeTimeoutMs?: number;
  /** Log here instead of the rotated files (tests, the CLI's quiet mode). */
  logger?: AgentLogger;
  /** Seams for tests: the session, the scheduler's clock and the clock the findings see. */
  session?: ScriptSession;
  clock?: SchedulerClock;
  now?: () => Date;
  /** Seam: how fixes get elevated (default: UAC on Windows, the simulated host in simulate mode). */
  elevator?: Elevator;
  /**
   * Show the host checker's published snapshot when it is there and can be trusted, and check
   * with this user's rights only when it is not (default true; `rdp-health check` turns it off:
   * a monitoring system wants this check, not the last published one).
   */
  hostSnapshot?: boolean;
  /**
   * "Check now" asks the host checker to check first (the demo runs it in process; on Windows the
   * Task Scheduler task is started by the user, see README). Its failure is logged, and the read goes on.
   */
  requestHostCheck?: () => Promise<void>;
  /** Write repairs to the Application log (default on; the CLI turns it off). The host checker writes the check events. */
  eventLog?: boolean;
}

/** Where the agent's last shown snapshot came from, in words the window and the tray show. */
export type HostCheckerStatus =
  | { used: true; checkedAt: string }
  | { used: false; problem: string };

export interface AgentStatus {
  checking: boolean;
  /** What was wrong with settings.json (and what was done about it), if anything. */
  settingsProblem?: string;
  /** Why logs are not where they should be, if so. */
  loggingProblem?: string;
  /** Why history and notification state cannot be saved, if so. */
  dataFolderProblem?: string;
  /** The three above, in plain words, as the window and the tray say them. */
  problems: AgentProblem[];
  /** The shown snapshot's startedAt while it is the last known one (from history) and this start's first check has not ended. */
  lastKnownAt?: string;
  logDir?: string;
  /** What the PowerShell session said about itself (version, LanguageMode, execution policy). */
  shell?: ShellInfo;
  /** The simulated host's working copy (simulate mode). */
  simulatedHostPath?: string;
  nextCheckAt?: string;
  /** The host checker's snapshot is shown, or why this user's agent checked by itself. */
  hostChecker?: HostCheckerStatus;
}
