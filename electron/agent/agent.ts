/**
 * The Agent: the one facade the Electron shell, the demo server and the CLI use. It wires the warm
 * PowerShell session, the runner, the scheduler, history, settings, the notification policy and
 * logging, and owns the files in the data folder:
 *   settings.json, history.jsonl, notify-state.json, simulated-host/ (simulate mode only).
 * How its parts are built is in agent-assembly.ts; what happens around each cycle is here.
 */
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { HealthSnapshot } from '../../probes/common/finding.js';
import type { LockedSetting } from './admin-policy.js';
import type { AgentOptions, AgentStatus } from './agent-options.js';
import { assembleAgentParts, createFleet, createRepairs, defaultProbes, HISTORY_FILE, NOTIFY_STATE_FILE, SETTINGS_FILE, type AgentParts } from './agent-assembly.js';
import { CheckRunner } from './check-runner.js';
import { ClientService } from './client/client-service.js';
import type { FleetFeatures } from './fleet.js';
import { HistoryStore } from './history.js';
import type { CycleResult } from './host-coordinator.js';
import type { AgentLogger, AgentLogging, LogEntry } from './logging.js';
import { decideNotifications, type AgentNotification, type NotifyState } from './notify-policy.js';
import { saveNotifyState } from './notify-state.js';
import type { ScriptSession } from './powershell-session.js';
import type { RepairService } from './repair/repair-service.js';
import { Scheduler, type CheckReason } from './scheduler.js';
import { applySettingsPatch, saveSettings, type Settings } from './settings.js';

export type { AgentOptions, AgentStatus } from './agent-options.js';
export type { AgentNotification } from './notify-policy.js';
export type { LogEntry } from './logging.js';
export type { Settings } from './settings.js';

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
  /** Admin policy, Event Log, metrics, one check per host (electron/agent/fleet.ts). */
  readonly fleet: FleetFeatures;
  /** The client side (the Connect view): this user's RDP history and connect checks, through the same session. */
  readonly client: ClientService;
  /** What this session showed last: the "before" of the Event Log's status changes. */
  private lastShown: HealthSnapshot | undefined;
  private readonly scheduler: Scheduler;
  private readonly history: HistoryStore;
  private readonly events = new EventEmitter<AgentEvents>();
  private readonly logging: AgentLogging | undefined;
  private readonly settingsProblem: string | undefined;
  private readonly now: () => Date;
  private settings: Settings;
  private notifyState: NotifyState;
  /** Pipelines in progress (a recheck can overlap a cycle): "checking" until the last one ends. */
  private running = 0;
  private inflight: Promise<HealthSnapshot> | undefined;
  private stopping: Promise<void> | undefined;

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
    // Runner and scheduler read settings through closures, so setSettings applies at once.
    const runner = new CheckRunner({
      session: this.session,
      probesDir: this.probesDir,
      probes: options.probes ?? defaultProbes(parts.simulatedHostPath !== undefined),
      probeTimeoutMs: () => options.probeTimeoutMs ?? this.settings.probeTimeoutSeconds * 1000,
      warnDays: () => Math.max(...this.getSettings().warnDays),
      now: this.now,
      logger: this.logger,
    });
    this.runner = runner;
    this.scheduler = new Scheduler({
      runCycle: (reason) => this.runCycle(reason),
      intervalMinutes: () => this.getSettings().checkIntervalMinutes,
      ...(options.clock ? { clock: options.clock } : {}),
      logger: this.logger,
    });
    this.history = new HistoryStore({ path: join(this.dataDir, HISTORY_FILE), now: this.now, logger: this.logger });
    this.fleet = createFleet(parts, { intervalMinutes: () => this.getSettings().checkIntervalMinutes, dataOf: (id) => runner.dataOf(id) });
    this.client = new ClientService({ session: this.session, probesDir: this.probesDir });
    this.repairs = createRepairs(parts, this.fleet, {
      recheck: (probeIds) => this.recheck(probeIds),
      snapshot: async () => runner.latest() ?? this.checkNow(),
      shownHost: () => this.lastShown?.host,
    });
  }

  static async create(options: AgentOptions): Promise<Agent> {
    const agent = new Agent(await assembleAgentParts(options));
    // The Event Log reports changes since the last snapshot this user saw, across restarts too.
    agent.lastShown = (await agent.history.read({ limit: 1 }).catch(() => []))[0];
    // The fix policy binds from the start, not from the first cycle (refreshPolicy never throws).
    await agent.fleet.refreshPolicy();
    return agent;
  }

  /** Checks now, then every N minutes (settings), jittered. */
  start(): void {
    if (this.stopping) throw new Error('The agent was stopped; create a new one.');
    // Another session of this host published a snapshot: show it here too.
    this.fleet.watchShared((record) => {
      if (this.stopping) return;
      void this.pipeline(Promise.resolve({ snapshot: record.snapshot, source: 'shared' as const, ...(record.facts ? { facts: record.facts } : {}) })).catch(() => undefined);
    }, this.lastShown);
    this.scheduler.start();
  }

  /** Stops the schedule, waits for a running cycle, closes the shell and the log. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.scheduler.stop();
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
    return this.pipeline(run.then((snapshot) => ({ snapshot, source: 'checked' as const })));
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
    return this.history.read(options);
  }

  /** The settings in force: the user's, with the administrator's policy laid over them. */
  getSettings(): Settings {
    return this.fleet.effective(this.settings).settings;
  }

  /** Settings the administrator's policy sets: the window shows them as such and does not offer a change. */
  getLockedSettings(): LockedSetting[] {
    return this.fleet.effective(this.settings).locked;
  }

  /** Validates and saves a change; the interval applies at once, `shell` and `logDir` at the next start. */
  async setSettings(patch: Partial<Settings>): Promise<Settings> {
    // A change to what the policy sets is refused (PolicyLockedError); repeating it changes nothing.
    this.fleet.assertPatchAllowed(patch, this.settings);
    const locked = new Set<string>(this.getLockedSettings());
    const before = this.getSettings().checkIntervalMinutes;
    const next = applySettingsPatch(this.settings, Object.fromEntries(Object.entries(patch).filter(([key]) => !locked.has(key))));
    await saveSettings(join(this.dataDir, SETTINGS_FILE), next);
    this.settings = next;
    this.logger.info('settings changed', { keys: Object.keys(patch) });
    if (this.getSettings().checkIntervalMinutes !== before) this.scheduler.reschedule();
    return this.getSettings();
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
      ...(this.logging?.dir ? { logDir: this.logging.dir } : {}),
      ...(shell ? { shell } : {}),
      ...(this.simulatedHostPath ? { simulatedHostPath: this.simulatedHostPath } : {}),
      ...(this.scheduler.nextAt !== undefined ? { nextCheckAt: new Date(this.scheduler.nextAt).toISOString() } : {}),
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
   * A scheduled cycle checks once per host (the session holding the host lock checks, the others
   * show its snapshot); "Check now" always checks here, and shares the result. The policy is read
   * first, so a Group Policy change applies at the next cycle.
   */
  private async cycle(reason: CheckReason): Promise<CycleResult> {
    await this.fleet.refreshPolicy();
    if (reason !== 'on-demand') return this.fleet.runCycle(() => this.runner.run());
    const snapshot = await this.runner.run();
    await this.fleet.share(snapshot);
    return { snapshot, source: 'checked' };
  }

  /** After the runner: history, notifications, events. Failures past the runner are logged, never thrown. */
  private async pipeline(cycle: Promise<CycleResult>): Promise<HealthSnapshot> {
    this.setChecking(true);
    try {
      const result = await cycle;
      const snapshot = this.fleet.visible(result.snapshot);
      // A shared snapshot this session already showed (the watcher was first): no second history entry or notification.
      if (result.source === 'shared' && this.lastShown && Date.parse(result.snapshot.startedAt) <= Date.parse(this.lastShown.startedAt)) return snapshot;
      await this.fleet.afterCycle(this.lastShown, result).catch((error: unknown) => this.logger.error('fleet reporting failed', { error: String(error) }));
      this.lastShown = result.snapshot;
      await this.history.append(snapshot).catch((error: unknown) => this.logger.error('history append failed', { error: String(error) }));
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
    await saveNotifyState(join(this.dataDir, NOTIFY_STATE_FILE), result.state).catch((error: unknown) =>
      this.logger.error('notification state not saved', { error: String(error) }),
    );
    for (const notification of result.notifications) {
      this.logger.info('notification', { kind: notification.kind, probeId: notification.probeId, title: notification.title });
      this.emit('notification', notification);
    }
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

