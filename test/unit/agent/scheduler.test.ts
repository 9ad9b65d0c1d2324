import { afterEach, describe, expect, it, vi } from 'vitest';
import { Scheduler, type CheckReason } from '../../../electron/agent/scheduler.js';
import { FakeClock, settle } from './fake-clock.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function setup(options: { interval?: number; random?: number; cycleMs?: number } = {}) {
  const clock = new FakeClock();
  const runs: Array<{ reason: CheckReason; at: number }> = [];
  let release: (() => void) | undefined;
  const scheduler = new Scheduler({
    clock,
    random: () => options.random ?? 0.5,
    intervalMinutes: () => options.interval ?? 30,
    runCycle: (reason) => {
      runs.push({ reason, at: clock.now() });
      if (options.cycleMs === undefined) return new Promise<void>((resolve) => (release = resolve));
      return Promise.resolve();
    },
  });
  return { clock, runs, scheduler, finish: () => release?.() };
}

describe('Scheduler', () => {
  it('checks at start, then every N minutes from the end of the previous check', async () => {
    const { clock, runs, scheduler } = setup({ cycleMs: 0 });
    scheduler.start();
    await settle();
    expect(runs.map((r) => r.reason)).toEqual(['start']);
    await clock.advance(29 * MINUTE);
    expect(runs).toHaveLength(1);
    await clock.advance(2 * MINUTE);
    expect(runs.map((r) => r.reason)).toEqual(['start', 'schedule']);
    await clock.advance(120 * MINUTE);
    expect(runs).toHaveLength(6);
  });

  it('jitters each interval by at most 5% and never more than two minutes', async () => {
    for (const random of [0, 1]) {
      const { clock, scheduler } = setup({ cycleMs: 0, random, interval: 30 });
      scheduler.start();
      await settle();
      const delay = scheduler.nextAt! - clock.now();
      expect(delay).toBe(random === 0 ? 30 * MINUTE - 90_000 : 30 * MINUTE + 90_000);
    }
    const { clock, scheduler } = setup({ cycleMs: 0, random: 1, interval: 600 });
    scheduler.start();
    await settle();
    expect(scheduler.nextAt! - clock.now()).toBe(600 * MINUTE + 2 * MINUTE);
  });

  it('never overlaps cycles: on-demand and resume during a running cycle join it', async () => {
    const { clock, runs, scheduler, finish } = setup();
    scheduler.start();
    const joined = [scheduler.runNow(), scheduler.runNow('on-demand')];
    scheduler.onResume();
    await clock.advance(15_000);
    expect(runs).toHaveLength(1);
    finish();
    await Promise.all(joined);
    expect(runs).toHaveLength(1);
  });

  it('resume: many events give one check after the delay', async () => {
    const { clock, runs, scheduler } = setup({ cycleMs: 0 });
    scheduler.start();
    await clock.advance(10 * MINUTE);
    scheduler.onResume();
    await clock.advance(5_000);
    scheduler.onResume();
    scheduler.onResume();
    await clock.advance(9_000);
    expect(runs).toHaveLength(1);
    await clock.advance(2_000);
    expect(runs.map((r) => r.reason)).toEqual(['start', 'resume']);
  });

  it('resume right after a check does not check again', async () => {
    const { clock, runs, scheduler } = setup({ cycleMs: 0 });
    scheduler.start();
    await settle();
    scheduler.onResume();
    await clock.advance(11_000);
    expect(runs).toHaveLength(1);
  });

  it('a clock jump of two days forward gives one cycle, not the 96 that were "missed"', async () => {
    const { clock, runs, scheduler } = setup({ cycleMs: 0 });
    scheduler.start();
    await settle();
    await clock.jump(2 * DAY);
    scheduler.onResume(); // the machine also reports the wake-up
    await clock.advance(30_000);
    expect(runs.map((r) => r.reason)).toEqual(['start', 'schedule']);
    expect(clock.pending()).toHaveLength(1);
    expect(scheduler.nextAt! - clock.now()).toBeGreaterThan(25 * MINUTE);
  });

  it('a new interval applies from the last check', async () => {
    const settings = { interval: 30 };
    const clock = new FakeClock();
    const scheduler = new Scheduler({ clock, random: () => 0.5, intervalMinutes: () => settings.interval, runCycle: async () => undefined });
    scheduler.start();
    await settle();
    const startedAt = clock.now();
    settings.interval = 5;
    scheduler.reschedule();
    expect(scheduler.nextAt).toBe(startedAt + 5 * MINUTE);
    expect(clock.pending()).toHaveLength(1);
  });

  it('stop cancels everything pending; a failing cycle is survived', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const scheduler = new Scheduler({
      clock,
      random: () => 0.5,
      intervalMinutes: () => 30,
      runCycle: async () => {
        calls += 1;
        throw new Error('boom');
      },
    });
    scheduler.start();
    await clock.advance(31 * MINUTE);
    expect(calls).toBe(2);
    scheduler.stop();
    expect(clock.pending()).toEqual([]);
    await clock.advance(DAY);
    expect(calls).toBe(2);
  });
});

describe('the default clock is monotonic (issue 17, item 2)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a wall clock stepped back a day does not delay the next check', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
    let calls = 0;
    const scheduler = new Scheduler({ random: () => 0.5, intervalMinutes: () => 30, runCycle: async () => void (calls += 1) });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(1);
    // NTP steps the wall clock back a day: what a person reads follows it, the interval does not.
    vi.setSystemTime(Date.now() - DAY);
    expect(Math.abs(scheduler.nextCheckAt()!.getTime() - (Date.now() + 30 * MINUTE))).toBeLessThan(2000);
    await vi.advanceTimersByTimeAsync(31 * MINUTE);
    expect(calls).toBe(2);
    // Stepped forward a day: no check before its time either.
    vi.setSystemTime(Date.now() + DAY);
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(21 * MINUTE);
    expect(calls).toBe(3);
    scheduler.stop();
  });

  it('a wait longer than setTimeout takes is set in steps, never cut to 1 ms; a time passed fires at once; cancel holds', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
    const { monotonicClock } = await import('../../../electron/agent/scheduler.js');
    const fired: string[] = [];
    monotonicClock.at(monotonicClock.now() + 30 * DAY, () => fired.push('month'));
    monotonicClock.at(monotonicClock.now() - 1000, () => fired.push('past'));
    const cancel = monotonicClock.at(monotonicClock.now() + 60, () => fired.push('cancelled'));
    cancel();
    await vi.advanceTimersByTimeAsync(1000);
    expect(fired).toEqual(['past']);
    await vi.advanceTimersByTimeAsync(30 * DAY);
    expect(fired).toEqual(['past', 'month']);
  });
});
