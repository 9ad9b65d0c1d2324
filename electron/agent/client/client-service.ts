/**
 * The client side as one service, for the CLI and the window: this PC's settings and history
 * (read through the PowerShell session, or absent where there is none) and connect checks that
 * use them. Settings are read once a check and re-read for the next: a fix may have changed them.
 */
import type { ClientSettings } from '../../../probes/client/client-settings.js';
import type { ClientHistory, HistoryTarget } from '../../../probes/client/client-history.js';
import type { ScriptSession } from '../powershell-session.js';
import { parseTarget } from '../../../probes/handshake/target.js';
import type { AgentLogger } from '../logging.js';
import { ClientFixes } from './client-fix-check.js';
import { HistoryChecks, type ScheduledChecksView } from './history-checks.js';
import { readClientSettings } from './client-settings-reader.js';
import { observeNetwork, reportFrom, type ConnectReport, type ConnectRequest } from './connect.js';
import { readRdpHistory, type HistoryResult } from './history.js';

export interface ClientServiceOptions {
  /** The session that reads this PC's settings; null where PowerShell cannot read them (not Windows, no --simulate). */
  session: ScriptSession | null;
  probesDir: string;
  /** Passed to every check (tests: a lookup, short timeouts). */
  connect?: Omit<ConnectRequest, 'target' | 'client' | 'history'>;
  /** Minutes between scheduled checks of the history's computers (null: off), for the window. */
  historyCheckMinutes?: () => number | null;
  logger?: AgentLogger;
}

export interface ClientSnapshot {
  settings: ClientSettings | null;
  settingsProblem: string | null;
  history: ClientHistory | null;
  historyProblem: string | null;
}

/** The history entry for a target as the user typed it (host compared case-insensitively, same port). */
export function historyEntryFor(history: ClientHistory | null, target: string): HistoryTarget | null {
  const parsed = parseTarget(target);
  if (!history || !parsed.ok) return null;
  return history.targets.find((entry) => entry.host.toLowerCase() === parsed.host.toLowerCase() && (entry.port ?? 3389) === (parsed.port ?? 3389)) ?? null;
}

export class ClientService {
  /** Fixes on this PC: what the latest verdicts offer, and how a fix is verified (the repair service's client hooks). */
  readonly fixes: ClientFixes;
  /** Scheduled checks of the history's computers (run by the agent's scheduler when the setting is on). */
  readonly historyChecks: HistoryChecks;

  constructor(private readonly options: ClientServiceOptions) {
    this.fixes = new ClientFixes({
      settings: async () => {
        if (!options.session) return { settings: null, problem: 'not read: this computer has no Windows client settings to read' };
        const read = await readClientSettings(options.session, options.probesDir);
        return read.ok ? { settings: read.settings, problem: null } : { settings: null, problem: read.problem };
      },
      connect: (target) => this.check(target),
    });
    this.historyChecks = new HistoryChecks(this, options.logger ? { logger: options.logger } : {});
  }

  /** The scheduled checks as the window shows them. */
  scheduled(): ScheduledChecksView {
    return this.historyChecks.view(this.options.historyCheckMinutes?.() ?? null);
  }

  async snapshot(): Promise<ClientSnapshot> {
    const { session, probesDir } = this.options;
    if (!session) return { settings: null, settingsProblem: 'not read: this computer has no Windows client settings to read', history: null, historyProblem: 'not read: no Windows history here' };
    // One warm session runs scripts one at a time; ask for both, it queues them.
    const [settings, history] = await Promise.all([readClientSettings(session, probesDir), readRdpHistory(session, probesDir)]);
    return {
      settings: settings.ok ? settings.settings : null,
      settingsProblem: settings.ok ? null : settings.problem,
      history: history.ok ? history.history : null,
      historyProblem: history.ok ? null : history.problem,
    };
  }

  async history(): Promise<HistoryResult> {
    if (!this.options.session) return { ok: false, problem: 'not read: no Windows history here' };
    return readRdpHistory(this.options.session, this.options.probesDir);
  }

  /** One check; the settings read runs while the network is probed. */
  async check(target: string, known?: ClientSnapshot): Promise<ConnectReport & { settingsProblem: string | null }> {
    // The network part does not need the settings until the verdict: both run at once.
    const [snapshot, network] = await Promise.all([known ?? this.snapshot(), observeNetwork({ ...this.options.connect, target })]);
    const report = reportFrom(network, snapshot.settings, historyEntryFor(snapshot.history, target));
    this.fixes.remember(report);
    return { ...report, settingsProblem: snapshot.settingsProblem };
  }
}
