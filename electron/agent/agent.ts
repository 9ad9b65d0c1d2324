/**
 * The Agent: the one facade the Electron shell, the demo server and the CLI use. It wires the warm
 * PowerShell session, the runner, the scheduler, history, settings, the notification policy and
 * logging, and owns the files in the data folder (per user: %LOCALAPPDATA%\RDP Health):
 *   settings.json, history.jsonl, notify-state.json, logs/, simulated-host/ (simulate mode only).
 * Each cycle shows the host checker's published snapshot when it can be trusted (host-snapshot.ts),
 * and checks with this user's rights only when it cannot, saying why (getStatus().hostChecker).
 * How its parts are built is in agent-assembly.ts; what happens around each cycle is here.
 */
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { HealthSnapshot } from '../../probes/common/finding.js';
import type { LockedSetting } from './admin-policy.js';
import type { AgentOptions, AgentStatus, HostCheckerStatus } from './agent-options.js';
import { requestHostCheck } from './host-check-request.js';
import { agentProblems, checkDataFolder, dataFolderMessage } from './agent-problems.js';
import { assembleAgentParts, createFleet, createRepairs, defaultProbes, HISTORY_FILE, NOTIFY_STATE_FILE, SETTINGS_FILE, type AgentParts } from './agent-assembly.js';
import { CheckRunner } from './check-runner.js';
import { ClientService } from './client/client-service.js';
import type { CycleResult, FleetFeatures } from './fleet.js';
import { HistoryStore } from './history.js';
import { hasFullRights, hostSnapshotProblem, readHostSnapshot, type Identity } from './host-snapshot.js';
import type { AgentLogger, AgentLogging, LogEntry } from './logging.js';
import { decideNotifications, type AgentNotification, type NotifyState } from './notify-policy.js';
import { saveNotifyState } from './notify-state.js';
import type { ScriptSession } from './powershell-session.js';
import type { RepairService } from './repair/repair-service.js';
import { Scheduler, type CheckReason } from './scheduler.js';
import { applySettingsPatch, saveSettings, type AgentSettings } from './settings.js';
import { HISTORY_CHECK_MINUTES } from '../domain/settings.js';

export type { AgentOptions, AgentStatus } from './agent-options.js';
export type { AgentNotification } from './notify-policy.js';
export type { LogEntry } from './logging.js';
export type { AgentSettings } from './settings.js';

interface AgentEvents {
  snapshot: [HealthSnapshot];
  notification: [AgentNotification];
  checking: [boolean];
}

export class Agent {
  readonly dataDir: string;
  readonly probesDir: string;
  readonly session: ScriptSession;
  readonly runner: CheckRunner;
  readonly logger: AgentLogger;
  /** The simulated host's working copy (simulate mode): fixes write to it. */
  readonly simulatedHostPath: string | undefined;
  /** Fixes: preview, apply (elevated), undo, repair all safe (electron/agent/repair/). */
  readonly repairs: RepairService;
  /** Admin policy and the Event Log of repairs (electron/agent/fleet.ts). */
  readonly fleet: FleetFeatures;
  /** The client side (the Connect view): this user's RDP history and connect checks, through the same session. */
  readonly client: ClientService;
  /** What this session showed last: the "before" of the Event Log's status changes. */
  private lastShown: HealthSnapshot | undefined;
  private readonly scheduler: Scheduler;
  /** Scheduled connect checks of the RDP history's computers (settings.historyCheckMinutes; off by default). */
  private readonly historyScheduler: Scheduler;
  private started = false;
  private readonly history: HistoryStore;
  private readonly events = new EventEmitter<AgentEvents>();
  private readonly logging: AgentLogging | undefined;
  private readonly settingsProblem: string | undefined;
  private dataFolderProblem: string | undefined;
  /** False until a check (or another session's) ends in this run: until then lastShown comes from history. */
  private checkedThisRun = false;
  private readonly now: () => Date;
  private settings: AgentSettings;
  private notifyState: NotifyState;
  /** Pipelines in progress (a recheck can overlap a cycle): "checking" until the last one ends. */
  private running = 0;
  private inflight: Promise<HealthSnapshot> | undefined;
  private stopping: Promise<void> | undefined;
  private readonly readsHostSnapshot: boolean;
  /** Who the checks run as (the simulated host's scenario, else what the session said at the last read). */
  private identity: Identity | undefined;
  private hostChecker: HostCheckerStatus | undefined;
  /** When this agent last checked by itself (a repair's re-check): a host snapshot older than that is not shown over it. */
  private ownCheckAt = Number.NEGATIVE_INFINITY;
  private readonly requestHostCheck: (() => Promise<void>) | undefined;
  private settingsQueue: Promise<unknown> = Promise.resolve();

  private constructor(parts: AgentParts) {
    const { options } = parts;
    this.dataDir = options.dataDir;
    this.probesDir = parts.probesDir;
    this.session = parts.session;
    this.logger = parts.logger;
    this.logging = parts.logging;
    this.simulatedHostPath = parts.simulatedHostPath;
    this.settings = parts.settings;
    this.settingsProblem = parts.settingsProblem;
    this.notifyState = parts.notifyState;
    this.now = parts.now;
    this.readsHostSnapshot = options.hostSnapshot !== false;
    this.identity = parts.simulatedIdentity;
    // Installed on Windows, "Check now" first asks the SYSTEM host checker (its task) to check.
    this.requestHostCheck =
      options.requestHostCheck ??
      (process.platform === 'win32' && parts.simulatedHostPath === undefined && this.readsHostSnapshot ? () => requestHostCheck(this.session, this.probesDir, this.logger) : undefined);
    // Runner and scheduler read settings through closures, so setSettings applies at once.
    const runner = new CheckRunner({
      session: this.session,
      probesDir: this.probesDir,
      probes: options.probes ?? defaultProbes(parts.simulatedHostPath !== undefined),
      probeTimeoutMs: () => options.probeTimeoutMs ?? this.settings.probeTimeoutSeconds * 1000,
      warnDays: () => Math.max(...this.getSettings().warnDays),
      now: this.now,
      logger: this.logger,
      rightsLimited: () => this.identity !== undefined && !hasFullRights(this.identity),
    });
    this.runner = runner;
    this.scheduler = new Scheduler({
      runCycle: (reason) => this.runCycle(reason),
      intervalMinutes: () => this.getSettings().checkIntervalMinutes,
      ...(options.clock ? { clock: options.clock } : {}),
      logger: this.logger,
    });
    this.history = new HistoryStore({ path: join(this.dataDir, HISTORY_FILE), now: this.now, logger: this.logger });
    this.fleet = createFleet(parts, { dataOf: (id) => runner.dataOf(id) });
    this.client = new ClientService({ session: this.session, probesDir: this.probesDir, historyCheckMinutes: () => this.getSettings().historyCheckMinutes, logger: this.logger });
    // The same scheduler; its first run is one interval after it is turned on (not at every start of the agent).
    this.historyScheduler = new Scheduler({
      runCycle: (reason) => (reason === 'start' ? Promise.resolve() : this.client.historyChecks.run()),
      intervalMinutes: () => this.getSettings().historyCheckMinutes ?? HISTORY_CHECK_MINUTES.max,
      ...(options.clock ? { clock: options.clock } : {}),
      logger: this.logger,
    });
    this.repairs = createRepairs(parts, this.fleet, {
      recheck: (probeIds) => this.recheck(probeIds),
      snapshot: async () => runner.latest() ?? this.checkNow(),
      shownHost: () => this.lastShown?.host,
      client: this.client.fixes,
    });
  }

  static async create(options: AgentOptions): Promise<Agent> {
    const agent = new Agent(await assembleAgentParts(options));
    // The Event Log reports changes since the last snapshot this user saw, across restarts too.
    agent.lastShown = (await agent.history.read({ limit: 1 }).catch(() => []))[0];
    agent.dataFolderProblem = await checkDataFolder(agent.dataDir, join(agent.dataDir, HISTORY_FILE));
    if (agent.dataFolderProblem) agent.logger.error('data folder not writable', { problem: agent.dataFolderProblem });
    // The fix policy binds from the start, not from the first cycle (refreshPolicy never throws).
    await agent.fleet.refreshPolicy();
    return agent;
  }

  /** Checks now, then every N minutes (settings), jittered. */
  start(): void {
    if (this.stopping) throw new Error('The agent was stopped; create a new one.');
    this.started = true;
    this.scheduler.start();
    this.applyHistorySchedule();
  }

  /** Stops the schedule, waits for a running cycle, closes the shell and the log. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.scheduler.stop();
      this.historyScheduler.stop();
      await this.inflight?.catch(() => undefined);
      await this.fleet.dispose();
      await this.session.dispose();
      this.logger.info('agent stopped');
      await this.logging?.close();
    })();
    return this.stopping;
  }

  /** Runs a full cycle now, or joins the running one. */
  checkNow(): Promise<HealthSnapshot> {
    if (this.stopping) return Promise.reject(new Error('The agent was stopped.'));
    void this.scheduler.runNow('on-demand');
    return this.inflight ?? this.runCycle('on-demand');
  }

  /** Re-probes some checks (after a fix) through the same pipeline: history, notifications, events. */
  recheck(probeIds: readonly string[]): Promise<HealthSnapshot> {
    if (this.stopping) return Promise.reject(new Error('The agent was stopped.'));
    const run = this.fleet.refreshPolicy().then(() => this.runner.run({ probeIds }));
    return this.pipeline(run.then((snapshot) => this.checkedHere(snapshot)));
  }

  /** Resume from sleep or unlock: one debounced check. */
  onResume(): void {
    this.scheduler.onResume();
  }

  /** What this session shows: its own last check, or the one another session of the host shared. */
  getSnapshot(): HealthSnapshot | undefined {
    return this.lastShown ? this.fleet.visible(this.lastShown) : this.runner.latest();
  }

  /** The last `limit` snapshots, oldest first. */
  getHistory(options: { limit?: number } = {}): Promise<HealthSnapshot[]> {
    // An unreadable history is said once as the data folder's problem (getStatus), not as an error on every refresh.
    return this.history.read(options).catch((error: unknown) => {
      this.dataFolderFailed('history not readable', error);
      return [];
    });
  }

  /** The settings in force: the user's, with the administrator's policy laid over them. */
  getSettings(): AgentSettings {
    return this.fleet.effective(this.settings).settings;
  }

  /** Settings the administrator's policy sets: the window shows them as such and does not offer a change. */
  getLockedSettings(): LockedSetting[] {
    return this.fleet.effective(this.settings).locked;
  }

  /**
   * Validates and saves a change; the interval applies at once, `shell` and `logDir` at the next start.
   * Changes are serialised: each applies to the settings the previous one left (no lost update).
   */
  setSettings(patch: Partial<AgentSettings>): Promise<AgentSettings> {
    const run = this.settingsQueue.then(() => this.applySettings(patch));
    this.settingsQueue = run.catch(() => undefined);
    return run;
  }

  private async applySettings(patch: Partial<AgentSettings>): Promise<AgentSettings> {
    // A change to what the policy sets is refused (PolicyLockedError); repeating it changes nothing.
    this.fleet.assertPatchAllowed(patch, this.settings);
    const locked = new Set<string>(this.getLockedSettings());
    const before = this.getSettings().checkIntervalMinutes;
    const historyBefore = this.getSettings().historyCheckMinutes;
    const next = applySettingsPatch(this.settings, Object.fromEntries(Object.entries(patch).filter(([key]) => !locked.has(key))));
    await saveSettings(join(this.dataDir, SETTINGS_FILE), next);
    this.settings = next;
    this.logger.info('settings changed', { keys: Object.keys(patch) });
    if (this.getSettings().checkIntervalMinutes !== before) this.scheduler.reschedule();
    if (this.getSettings().historyCheckMinutes !== historyBefore) this.applyHistorySchedule();
    return this.getSettings();
  }

  /** Scheduled checks of the history's computers follow the setting: on (or a new interval) → scheduled from now, off → stopped. */
  private applyHistorySchedule(): void {
    this.historyScheduler.stop();
    if (this.started && !this.stopping && this.getSettings().historyCheckMinutes !== null) this.historyScheduler.start();
  }

  /** The last `limit` log entries of this user, oldest first. */
  async getLogs(options: { limit?: number } = {}): Promise<LogEntry[]> {
    return this.logging ? this.logging.readRecentLogs(options.limit ?? 200) : [];
  }

  getStatus(): AgentStatus {
    const shell = this.session.info();
    return {
      checking: this.running > 0,
      ...(this.settingsProblem ? { settingsProblem: this.settingsProblem } : {}),
      ...(this.logging?.problem ? { loggingProblem: this.logging.problem } : {}),
      ...(this.dataFolderProblem ? { dataFolderProblem: this.dataFolderProblem } : {}),
      problems: agentProblems({ settingsProblem: this.settingsProblem, loggingProblem: this.logging?.problem, dataFolderProblem: this.dataFolderProblem }),
      ...(this.lastShown && !this.checkedThisRun ? { lastKnownAt: this.lastShown.startedAt } : {}),
      ...(this.logging?.dir ? { logDir: this.logging.dir } : {}),
      ...(shell ? { shell } : {}),
      ...(this.simulatedHostPath ? { simulatedHostPath: this.simulatedHostPath } : {}),
      ...(this.scheduler.nextAt !== undefined ? { nextCheckAt: this.scheduler.nextCheckAt()!.toISOString() } : {}),
      ...(this.hostChecker ? { hostChecker: this.hostChecker } : {}),
    };
  }

  on<E extends keyof AgentEvents>(event: E, listener: (...args: AgentEvents[E]) => void): () => void {
    this.events.on(event, listener as never);
    return () => this.events.off(event, listener as never);
  }

  private runCycle(reason: CheckReason): Promise<HealthSnapshot> {
    if (this.inflight) return this.inflight;
    this.logger.debug('cycle requested', { reason });
    this.inflight = this.pipeline(this.cycle(reason)).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /**
   * The host checker's snapshot when it is there, trusted and fresh; else a check with this user's
   * rights. The policy is read first, so a Group Policy change applies at the next cycle. The
   * verified read also says who this runs as, which decides what "needs the host checker".
   */
  private async cycle(reason: CheckReason): Promise<CycleResult> {
    await this.fleet.refreshPolicy();
    if (reason === 'on-demand' && this.requestHostCheck) {
      await this.requestHostCheck().catch((error: unknown) => this.logger.warn('host check request failed', { error: String(error) }));
    }
    const read = await readHostSnapshot({
      session: this.session,
      probesDir: this.probesDir,
      now: this.now,
      maxAgeMs: 2 * this.getSettings().checkIntervalMinutes * 60_000,
      logger: this.logger,
    });
    if (this.simulatedHostPath === undefined) this.identity = read.identity;
    if (this.readsHostSnapshot && read.state === 'fresh' && Date.parse(read.record.snapshot.startedAt) >= this.ownCheckAt) {
      this.hostChecker = { used: true, checkedAt: read.record.checkedAt };
      return { snapshot: read.record.snapshot, source: 'host', ...(read.record.facts ? { facts: read.record.facts } : {}) };
    }
    if (this.readsHostSnapshot && read.state === 'fresh') {
      this.hostChecker = { used: false, problem: "The host checker's last result is older than this computer's own last check (a repair's re-check, for one); it was checked with your rights until the host checker checks again." };
    }
    if (this.readsHostSnapshot && read.state === 'unusable') {
      this.hostChecker = { used: false, problem: hostSnapshotProblem(read) };
      this.logger.info('checking with this user\'s rights', { reason, problem: read.reason });
    }
    return this.checkedHere(await this.runner.run());
  }

  private checkedHere(snapshot: HealthSnapshot): CycleResult {
    this.ownCheckAt = Math.max(this.ownCheckAt, Date.parse(snapshot.startedAt));
    return { snapshot, source: 'checked' };
  }

  /** After the runner: history, notifications, events. Failures past the runner are logged, never thrown. */
  private async pipeline(cycle: Promise<CycleResult>): Promise<HealthSnapshot> {
    this.setChecking(true);
    try {
      const result = await cycle;
      const snapshot = this.fleet.visible(result.snapshot);
      // The host checker's snapshot this session already showed: no second history entry or notification.
      if (result.source === 'host' && this.lastShown && Date.parse(result.snapshot.startedAt) <= Date.parse(this.lastShown.startedAt)) return snapshot;
      this.lastShown = result.snapshot;
      this.checkedThisRun = true;
      await this.history.append(snapshot).catch((error: unknown) => this.dataFolderFailed('history append failed', error));
      await this.notify(snapshot, result);
      this.emit('snapshot', snapshot);
      return snapshot;
    } finally {
      this.setChecking(false);
    }
  }

  private async notify(snapshot: HealthSnapshot, cycle: CycleResult): Promise<void> {
    const result = decideNotifications({
      previous: this.notifyState,
      snapshot,
      now: this.now(),
      settings: this.getSettings(),
      certificates: this.fleet.certificatesFor(cycle),
    });
    this.notifyState = result.state;
    // Saved before showing: a crash right after must not repeat them.
    await saveNotifyState(join(this.dataDir, NOTIFY_STATE_FILE), result.state).catch((error: unknown) => this.dataFolderFailed('notification state not saved', error));
    for (const notification of result.notifications) {
      this.logger.info('notification', { kind: notification.kind, probeId: notification.probeId, title: notification.title });
      this.emit('notification', notification);
    }
  }

  private dataFolderFailed(what: string, error: unknown): void {
    this.logger.error(what, { error: String(error) });
    this.dataFolderProblem ??= dataFolderMessage(this.dataDir, error);
  }

  private setChecking(checking: boolean): void {
    this.running += checking ? 1 : -1;
    if (this.running === (checking ? 1 : 0)) this.emit('checking', checking);
  }

  /** A listener that throws must not break the cycle. */
  private emit<E extends keyof AgentEvents>(event: E, ...args: AgentEvents[E]): void {
    for (const listener of this.events.listeners(event)) {
      try {
        (listener as (...a: AgentEvents[E]) => void)(...args);
      } catch (error) {
        this.logger.error('event listener failed', { event, error: String(error) });
      }
    }
  }
}

