/**
 * How an Agent is put together. Agent.create gathers its parts here, in order: settings (they say
 * where to log), the logger, the simulated host's working copy (simulate mode), the warm session,
 * the notification state and the elevator. The constructor then builds the fleet features and the
 * repair service here, wired back to the agent through a few callbacks. The CLI's fix command
 * builds its session and elevator with the same functions, so both use the same folders.
 */
import { mkdir } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import type { HealthSnapshot } from '../../probes/common/finding.js';
import { PROBES } from '../../probes/index.js';
import type { AgentOptions } from './agent-options.js';
import { certificateExpiries } from './certificate-expiry.js';
import type { RunnableProbe } from './check-runner.js';
import type { ClientFixHooks } from './client/client-fix-check.js';
import { FleetFeatures } from './fleet.js';
import { createLogging, safeLogger, silentLogger, type AgentLogger, type AgentLogging } from './logging.js';
import type { NotifyState } from './notify-policy.js';
import { loadNotifyState } from './notify-state.js';
import { PowerShellSession, type ScriptSession } from './powershell-session.js';
import type { Elevator } from './repair/elevator.js';
import { FIX_CATALOG } from './repair/fix-catalog.js';
import { RepairService } from './repair/repair-service.js';
import { SimulatedElevator } from './repair/simulated-elevator.js';
import { WindowsElevator } from './repair/windows-elevator.js';
import { WindowsUserRunner } from './repair/windows-user-runner.js';
import { resolveProbesDir, simModulePath } from './script-paths.js';
import { loadSettings, type AgentSettings } from './settings.js';
import type { Identity } from './host-snapshot.js';
import { prepareSimulatedHost, simulatedHostDir, simulatedIdentity } from './simulated-host.js';

/** Files in the data folder. */
export const SETTINGS_FILE = 'settings.json';
export const HISTORY_FILE = 'history.jsonl';
export const NOTIFY_STATE_FILE = 'notify-state.json';

/** What the Agent's constructor is given. */
export interface AgentParts {
  options: AgentOptions;
  now: () => Date;
  probesDir: string;
  session: ScriptSession;
  settings: AgentSettings;
  settingsProblem: string | undefined;
  logging: AgentLogging | undefined;
  logger: AgentLogger;
  simulatedHostPath: string | undefined;
  notifyState: NotifyState;
  elevator: Elevator;
  /** Who the checks run as on the simulated host (on Windows the session says, at each read). */
  simulatedIdentity: Identity | undefined;
}

export async function assembleAgentParts(options: AgentOptions): Promise<AgentParts> {
  const now = options.now ?? (() => new Date());
  await mkdir(options.dataDir, { recursive: true });
  // Settings first (they say where to log); their problem is logged once the logger exists.
  const loaded = await loadSettings(join(options.dataDir, SETTINGS_FILE), undefined, now());
  const logging = options.logger ? undefined : createLogging({ dataDir: options.dataDir, logDir: options.logDir ?? loaded.settings.logDir ?? join(options.dataDir, 'logs') });
  const logger = safeLogger(options.logger ?? logging?.logger ?? silentLogger);
  if (loaded.problem) logger.error('settings problem', { problem: loaded.problem });

  const probesDir = options.probesDir ?? resolveProbesDir();
  const executable = options.executablePath ? { executablePath: options.executablePath } : {};
  const simulatedHostPath = options.simulatedHostPath ?? (options.simulate ? await prepareSimulatedHost(options.simulate, simulatedHostDir(options.dataDir), executable) : undefined);
  const host = { dataDir: options.dataDir, probesDir, simulatedHostPath, ...executable };
  const session = options.session ?? createSession({ ...host, shell: loaded.settings.shell, logger, ...(options.simulateIdentity ? { identity: options.simulateIdentity } : {}) });
  const notifyState = await loadNotifyState(join(options.dataDir, NOTIFY_STATE_FILE), logger);
  logger.info('agent created', { dataDir: options.dataDir, probesDir, simulate: options.simulate, logDir: logging?.dir });
  const elevator = options.elevator ?? createElevator(host);
  const identity = simulatedHostPath ? (options.simulateIdentity ?? (await simulatedIdentity(simulatedHostPath))) : undefined;
  return { options, now, probesDir, session, settings: loaded.settings, settingsProblem: loaded.problem, logging, logger, simulatedHostPath, notifyState, elevator, simulatedIdentity: identity };
}

/** Where the checks and fixes run: this computer, or a simulated host's working copy. */
export interface HostSeamOptions {
  dataDir: string;
  probesDir: string;
  simulatedHostPath?: string | undefined;
  executablePath?: string;
}

/** The warm PowerShell session: the shell the settings name (auto = by platform), pointed at the simulated host if there is one. */
export function createSession(options: HostSeamOptions & { shell?: AgentSettings['shell']; logger: AgentLogger; identity?: Identity }): PowerShellSession {
  return new PowerShellSession({
    ...(options.shell !== undefined && options.shell !== 'auto' ? { shell: options.shell } : {}),
    ...(options.executablePath ? { executablePath: options.executablePath } : {}),
    ...(options.simulatedHostPath ? { simulate: { statePath: options.simulatedHostPath, modulePath: simModulePath(), ...(options.identity ? { identity: options.identity } : {}) } } : {}),
    logger: options.logger,
  });
}

/** UAC on Windows (request files in <dataDir>/elevation); the simulated host's own pwsh when simulating (records in <dataDir>/fixes). */
export function createElevator(options: HostSeamOptions): Elevator {
  const { dataDir, probesDir, simulatedHostPath } = options;
  if (!simulatedHostPath) return new WindowsElevator({ probesDir, workDir: join(dataDir, 'elevation') });
  return new SimulatedElevator({ statePath: simulatedHostPath, probesDir, fixRoot: join(dataDir, 'fixes'), ...(options.executablePath ? { executablePath: options.executablePath } : {}) });
}

/** Fixes of the user's own files, with the user's rights: Windows PowerShell unelevated; simulated, the host's pwsh as the scenario's user (records in <dataDir>/user-fixes). */
export function createUserRunner(options: HostSeamOptions): Elevator {
  const { dataDir, probesDir, simulatedHostPath } = options;
  if (!simulatedHostPath) return new WindowsUserRunner({ probesDir });
  return new SimulatedElevator({ statePath: simulatedHostPath, probesDir, fixRoot: join(dataDir, 'user-fixes'), asUser: true, ...(options.executablePath ? { executablePath: options.executablePath } : {}) });
}

/**
 * A simulated host has no real listener behind it, so probes that talk to the network (the
 * handshake) would test whatever happens to run on this machine: they run only on a real host,
 * or through `rdp-health handshake <host:port>` against a named server.
 */
export function defaultProbes(simulated: boolean): readonly RunnableProbe[] {
  return simulated ? PROBES.filter((probe) => probe.kind !== 'node') : PROBES;
}

/** The agent's side of the fleet features: the data of the last check. */
export interface FleetHooks {
  dataOf(probeId: string): unknown;
}

export function createFleet(parts: AgentParts, hooks: FleetHooks): FleetFeatures {
  const { options } = parts;
  return new FleetFeatures({
    session: parts.session,
    probesDir: parts.probesDir,
    logger: parts.logger,
    policyTimeoutMs: () => options.probeTimeoutMs ?? parts.settings.probeTimeoutSeconds * 1000,
    certificates: () => certificateExpiries((id) => hooks.dataOf(id)),
    ...(options.eventLog !== undefined ? { eventLog: options.eventLog } : {}),
  });
}

/** The agent's side of the repairs: its re-check pipeline, its latest snapshot and the host it last showed. */
export interface RepairHooks {
  recheck(probeIds: readonly string[]): Promise<HealthSnapshot>;
  snapshot(): Promise<HealthSnapshot>;
  shownHost(): string | undefined;
  /** Fixes on this PC: offered by the latest connect verdicts, verified by the client side. */
  client: ClientFixHooks;
}

export function createRepairs(parts: AgentParts, fleet: FleetFeatures, hooks: RepairHooks): RepairService {
  return new RepairService({
    session: parts.session,
    probesDir: parts.probesDir,
    elevator: parts.elevator,
    userRunner: createUserRunner({ dataDir: parts.options.dataDir, probesDir: parts.probesDir, simulatedHostPath: parts.simulatedHostPath }),
    recheck: (probeIds) => hooks.recheck(probeIds),
    refuse: (fix) => fleet.fixRefusal(fix),
    // The window may only run what the latest check offers; the CLI names fixes explicitly.
    offeredOnly: true,
    onOutcome: (action, outcome) => {
      // Only apply and undo report here; a fix repair-all skipped never ran, so it is no event.
      if (outcome.outcome === 'skipped') return;
      const context = { host: hooks.shownHost() ?? hostname(), user: currentUser(), fixTitle: FIX_CATALOG.get(outcome.fixId)?.descriptor.title };
      void fleet.afterFix(action, { ...outcome, outcome: outcome.outcome }, context).catch((error: unknown) => parts.logger.error('fix event not written', { error: String(error) }));
    },
    snapshot: () => hooks.snapshot(),
    client: hooks.client,
    logger: parts.logger,
    now: parts.now,
  });
}

/** Who asked for a repair, for the Event Log's audit trail. */
function currentUser(): string | undefined {
  try {
    const domain = process.env.USERDOMAIN;
    return domain ? `${domain}\\${userInfo().username}` : userInfo().username;
  } catch {
    return undefined;
  }
}
