/**
 * Scheduled checks of the computers in this user's RDP history (off unless the user turns them on:
 * each check connects to those computers). One run: the history and this PC's settings read once,
 * then at most `maxTargets` computers checked one after another, stopped once `maxRunMs` has passed
 * (each connect check has its own bounds). The latest verdict per computer is kept with its time.
 */
import { silentLogger, type AgentLogger } from '../logging.js';
import type { ClientService } from './client-service.js';

export const HISTORY_CHECK_LIMITS = { maxTargets: 10, maxRunMs: 120_000 } as const;

type ScheduledReport = Awaited<ReturnType<ClientService['check']>>;

/** What the window shows: whether the schedule is on, when it last ran, and the verdicts it gave. */
export interface ScheduledChecksView {
  everyMinutes: number | null;
  lastRunAt: string | null;
  /** Computers the last run could not reach in time (the bounds), so they keep an older verdict or none. */
  notChecked: string[];
  reports: ScheduledReport[];
}

export interface HistoryChecksOptions {
  limits?: { maxTargets: number; maxRunMs: number };
  now?: () => Date;
  logger?: AgentLogger;
}

export class HistoryChecks {
  private readonly reports = new Map<string, ScheduledReport>();
  private lastRunAt: string | null = null;
  private notChecked: string[] = [];

  constructor(
    private readonly client: Pick<ClientService, 'snapshot' | 'check'>,
    private readonly options: HistoryChecksOptions = {},
  ) {}

  async run(): Promise<void> {
    const limits = this.options.limits ?? HISTORY_CHECK_LIMITS;
    const logger = this.options.logger ?? silentLogger;
    const started = (this.options.now ?? (() => new Date()))();
    const deadline = performance.now() + limits.maxRunMs;
    const snapshot = await this.client.snapshot();
    const targets = (snapshot.history?.targets ?? []).map((entry) => entry.target);
    const chosen = targets.slice(0, limits.maxTargets);
    const skipped = targets.slice(limits.maxTargets);
    let checked = 0;
    for (const target of chosen) {
      if (performance.now() > deadline) {
        skipped.unshift(...chosen.slice(checked));
        break;
      }
      this.reports.set(target, await this.client.check(target, snapshot));
      checked += 1;
    }
    // A computer no longer in the history is no longer shown.
    for (const target of [...this.reports.keys()]) if (!targets.includes(target)) this.reports.delete(target);
    this.lastRunAt = started.toISOString();
    this.notChecked = skipped;
    logger.info('history targets checked', { checked, notChecked: skipped.length });
  }

  view(everyMinutes: number | null): ScheduledChecksView {
    return { everyMinutes, lastRunAt: this.lastRunAt, notChecked: [...this.notChecked], reports: [...this.reports.values()] };
  }
}
