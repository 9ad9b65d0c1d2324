/** A SchedulerClock for tests: time moves only when told, timers fire in order. */
import type { SchedulerClock } from '../../../electron/agent/scheduler.js';

interface Timer {
  id: number;
  when: number;
  fn: () => void;
}

/** Lets promise chains (a cycle finishing, the next timer being set) run. */
export const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

export class FakeClock implements SchedulerClock {
  private timers: Timer[] = [];
  private nextId = 1;

  constructor(public time = Date.parse('2026-11-25T08:00:00Z')) {}

  now(): number {
    return this.time;
  }

  at(when: number, fn: () => void): () => void {
    const timer = { id: this.nextId++, when, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t.id !== timer.id);
    };
  }

  pending(): number[] {
    return this.timers.map((t) => t.when).sort((a, b) => a - b);
  }

  /** Time passes normally: each timer fires at its own moment. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      await settle();
      const due = this.timers.filter((t) => t.when <= target).sort((a, b) => a.when - b.when)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.when);
      due.fn();
    }
    this.time = target;
    await settle();
  }

  /** The wall clock jumps (sleep, or a clock change): everything now due fires at the new time. */
  async jump(ms: number): Promise<void> {
    this.time += ms;
    await this.advance(0);
  }
}
