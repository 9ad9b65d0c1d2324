import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchPowerEvents } from '../../../electron/shell/power-events.js';
import { FakePowerMonitor } from './fake-electron.js';

describe('power events', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('turns a resume and the unlock that follows it into one check, after things settle', () => {
    const monitor = new FakePowerMonitor();
    const onResume = vi.fn();
    watchPowerEvents(monitor, onResume, 5_000);
    monitor.emit('resume');
    vi.advanceTimersByTime(3_000);
    monitor.emit('unlock-screen');
    vi.advanceTimersByTime(4_999);
    expect(onResume).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onResume).toHaveBeenCalledTimes(1);
  });

  it('checks on an unlock alone, and stops listening when disposed', () => {
    const monitor = new FakePowerMonitor();
    const onResume = vi.fn();
    const dispose = watchPowerEvents(monitor, onResume, 1_000);
    monitor.emit('unlock-screen');
    vi.advanceTimersByTime(1_000);
    expect(onResume).toHaveBeenCalledTimes(1);
    monitor.emit('resume');
    dispose();
    vi.advanceTimersByTime(10_000);
    monitor.emit('resume');
    vi.advanceTimersByTime(10_000);
    expect(onResume).toHaveBeenCalledTimes(1);
    expect(monitor.listenerCount('resume') + monitor.listenerCount('unlock-screen')).toBe(0);
  });
});
