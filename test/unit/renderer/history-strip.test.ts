import { describe, expect, it } from 'vitest';
import type { HealthSnapshot } from '../../../renderer/bridge.js';
import { historyStrip } from '../../../renderer/history-strip.js';
import { problemsFirst } from '../../../probes/common/problems-first.js';

const now = new Date('2026-12-02T12:00:00Z');
const finding = (probeId: string, status: 'ok' | 'warn' | 'fail' | 'unknown') => ({ probeId, title: `T ${probeId}`, status, summary: `${probeId} ${status}.`, evidence: {}, fixes: [], checkedAt: '' });
const snapshot = (hoursAgo: number, ...findings: ReturnType<typeof finding>[]): HealthSnapshot => ({
  host: 'H',
  startedAt: new Date(now.getTime() - hoursAgo * 3_600_000).toISOString(),
  durationMs: 1,
  overall: findings.some((f) => f.status === 'fail') ? 'fail' : findings.some((f) => f.status !== 'ok') ? 'warn' : 'ok',
  findings,
});

describe('history strip', () => {
  const history = [snapshot(30, finding('nla', 'warn')), snapshot(2, finding('nla', 'ok'), finding('tls', 'ok')), snapshot(1, finding('nla', 'ok'), finding('listener', 'fail'))];

  it('draws every check in the range, OK ones too, each labelled in words with its worst problem', () => {
    const day = historyStrip(history, 'day', now, (iso) => iso);
    expect(day.cells.map((c) => c.status)).toEqual(['ok', 'fail']);
    expect(day.cells[0]!.label).toBe(`${history[1]!.startedAt}: OK — every check passed`);
    expect(day.cells[1]!.label).toMatch(/: Problem — T listener: listener fail\.$/);
    expect(day.cells[1]!.left).toBeGreaterThan(day.cells[0]!.left);
    expect(day.summary).toBe('Last day: 2 checks — 1 OK, 1 Problem. Latest: Problem.');
    expect(day.ticks.length).toBeGreaterThanOrEqual(4);
  });

  it('a longer range takes in older checks; an empty range says so', () => {
    expect(historyStrip(history, 'week', now).cells).toHaveLength(3);
    expect(historyStrip([], 'month', now).summary).toBe('No checks recorded in the last month.');
  });
});

describe('problems first', () => {
  it('puts problems before passes, worst first, catalog order between equals', () => {
    const { problems, passed } = problemsFirst([finding('a', 'ok'), finding('b', 'warn'), finding('c', 'fail'), finding('d', 'unknown'), finding('e', 'fail')]);
    expect(problems.map((f) => f.probeId)).toEqual(['c', 'e', 'd', 'b']);
    expect(passed.map((f) => f.probeId)).toEqual(['a']);
  });
});
