import { describe, expect, it } from 'vitest';
import { historyChart } from '../../../renderer/history-model.js';
import { finding, snapshot } from '../shell/snapshots.js';

const at = (iso: string, s: ReturnType<typeof snapshot>) => ({ ...s, startedAt: iso });

describe('history chart', () => {
  it('places one bar per check on a time axis, oldest left, taller for more problems', () => {
    const history = [
      at('2025-01-01T12:00:00Z', snapshot([finding('a', 'fail'), finding('b', 'warn')])),
      at('2025-01-01T10:00:00Z', snapshot([finding('a', 'ok'), finding('b', 'ok')])),
      at('2025-01-01T11:00:00Z', snapshot([finding('a', 'warn'), finding('b', 'ok')])),
    ];
    const chart = historyChart(history, { width: 600, height: 100 });
    expect(chart.bars.map((b) => b.status)).toEqual(['ok', 'warn', 'fail']);
    expect(chart.bars.map((b) => b.problems)).toEqual([0, 1, 2]);
    const [first, middle, last] = chart.bars;
    expect(first!.x).toBe(0);
    expect(last!.x + last!.width).toBeCloseTo(600);
    expect(middle!.x).toBeCloseTo((600 - middle!.width) / 2);
    expect(first!.height).toBeGreaterThan(0);
    expect(first!.height).toBeLessThan(middle!.height);
    expect(last!.height).toBe(100);
    expect(chart.summary).toBe('3 checks: 1 OK, 1 Warning, 1 Problem. Latest: Problem.');
  });

  it('says so when there is no history, and centres a single check', () => {
    expect(historyChart([], { width: 600, height: 100 })).toMatchObject({ bars: [], summary: 'No checks recorded yet.' });
    const one = historyChart([snapshot([finding('a', 'ok')])], { width: 600, height: 100 });
    expect(one.bars).toHaveLength(1);
    expect(one.bars[0]!.x + one.bars[0]!.width / 2).toBeCloseTo(300);
    expect(one.bars[0]!.label).toMatch(/OK, no problems$/);
  });
});
