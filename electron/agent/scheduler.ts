/**
 * When checks run: at start, every N minutes (settings) with a little jitter, on demand, and after
 * resume/unlock (debounced). There is only ever one pending timer, and the next one is set from when
 * a cycle finished, so a long sleep or a clock jump gives one cycle, never a burst of missed ones.
 * Timers go through a SchedulerClock so tests can move time. The default one is monotonic: a wall
 * clock stepped back (NTP, a person) neither delays the next check nor brings it forward; wall time
 * is used only for what a person reads (nextCheckAt).
 */
import { silentLogger, type AgentLogger } from './logging.js';

export type CheckReason = 'start' | 'schedule' | 'resume' | 'on-demand';

export interface SchedulerClock {
  /** This clock's time in ms (monotonic for the default clock). */
  now(): number;
  /** Calls `fn` at this clock's time `when` (at once if it has passed); returns a cancel function. */
  at(when: number, fn: () => void): () => void;
  /** Wall time (epoch ms) for display, when now() is not wall time. */
  wallNow?(): number;
}

/** setTimeout takes at most 2^31-1 ms; a longer wait is set in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Monotonic time: performance.now() never steps with the wall clock. */
export const monotonicClock: SchedulerClock = {
  now: () => performance.timeOrigin + performance.now(),
  wallNow: () => Date.now(),
  at(when, fn) {
    let timer: NodeJS.Timeout;
    const arm = (): void => {
      const wait = when - monotonicClock.now();
      timer = wait > MAX_TIMER_MS ? setTimeout(arm, MAX_TIMER_MS) : setTimeout(fn, Math.max(0, wait));
    };
    arm();
    return () => clearTimeout(timer);
  },
};

export interface SchedulerOptions {
  runCycle: (reason: CheckReason) => Promise<unknown>;
  intervalMinutes: () => number;
  /** Wait after resume/unlock before checking, so the network is back (default 10 s). */
  resumeDelayMs?: number;
  /** A resume this soon after a cycle finished does not check again (default 60 s). */
  minGapMs?: number;
  clock?: SchedulerClock;
  random?: () => number;
  logger?: AgentLogger;
}

const MINUTE_MS = 60_000;
const MAX_JITTER_MS = 2 * MINUTE_MS;

export class Scheduler {
  private readonly clock: SchedulerClock;
  private readonly random: () => number;
  private readonly logger: AgentLogger;
  private cancelNext: (() => void) | undefined;
  private cancelResume: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private lastFinished: number | undefined;
  private started = false;
  /** When the next scheduled check is due, in the clock's time (the log and the tests). */
  nextAt: number | undefined;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? monotonicClock;
    this.random = options.random ?? Math.random;
    this.logger = options.logger ?? silentLogger;
  }

  /** When the next check is due in wall time, for a person to read. */
  nextCheckAt(): Date | undefined {
    if (this.nextAt === undefined) return undefined;
    const wall = this.clock.wallNow?.();
    return new Date(wall === undefined ? this.nextAt : wall + (this.nextAt - this.clock.now()));
  }

  /** Checks now, then on the schedule. */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.runNow('start');
  }

  stop(): void {
    this.started = false;
    this.cancelNext?.();
    this.cancelResume?.();
    this.cancelNext = this.cancelResume = this.nextAt = undefined;
  }

  /** Runs a cycle (or joins the running one), then sets the next scheduled check from its end. */
  runNow(reason: CheckReason = 'on-demand'): Promise<void> {
    if (this.running) return this.running;
    this.cancelNext?.();
    this.cancelNext = this.nextAt = undefined;
    this.logger.info('check starting', { reason });
    this.running = this.options
      .runCycle(reason)
      .then(
        () => undefined,
        (error: unknown) => this.logger.error('check cycle failed', { reason, error: String(error) }),
      )
      .finally(() => {
        this.running = undefined;
        this.lastFinished = this.clock.now();
        this.scheduleNext();
      });
    return this.running;
  }

  /** Resume from sleep or unlock: one check after things settle, however many events arrive. */
  onResume(): void {
    if (!this.started) return;
    this.cancelResume?.();
    this.cancelResume = this.clock.at(this.clock.now() + (this.options.resumeDelayMs ?? 10_000), () => {
      this.cancelResume = undefined;
      if (this.running) return;
      const gap = this.options.minGapMs ?? MINUTE_MS;
      if (this.lastFinished !== undefined && this.clock.now() - this.lastFinished < gap) {
        this.logger.info('resume check skipped: a check just ran');
        return;
      }
      void this.runNow('resume');
    });
  }

  /** The interval changed: set the next check from the last one's end with the new interval. */
  reschedule(): void {
    if (!this.running) this.scheduleNext();
  }

  private scheduleNext(): void {
    if (!this.started) return;
    this.cancelNext?.();
    const interval = this.options.intervalMinutes() * MINUTE_MS;
    const jitter = (this.random() * 2 - 1) * Math.min(interval * 0.05, MAX_JITTER_MS);
    const from = this.lastFinished ?? this.clock.now();
    this.nextAt = Math.max(this.clock.now(), Math.round(from + interval + jitter));
    this.cancelNext = this.clock.at(this.nextAt, () => {
      this.cancelNext = undefined;
      void this.runNow('schedule');
    });
  }
}
