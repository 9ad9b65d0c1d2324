/**
 * History as a chart: one bar per check, its height the number of problems found, its colour and
 * pattern the overall status, placed on a time axis. Pure geometry, so it is tested without a DOM.
 */
import type { HealthSnapshot, Status } from './bridge.js';
import { STATUS_WORD } from './status.js';

export interface HistoryBar {
  x: number;
  width: number;
  height: number;
  status: Status;
  problems: number;
  at: string;
  label: string;
}

export interface HistoryChartModel {
  bars: HistoryBar[];
  maxProblems: number;
  /** Time labels under the axis. */
  ticks: Array<{ x: number; at: string }>;
  summary: string;
}

export interface ChartSize {
  width: number;
  height: number;
}

export function problemsOf(snapshot: HealthSnapshot): number {
  return snapshot.findings.filter((f) => f.status !== 'ok').length;
}

export function historyChart(history: readonly HealthSnapshot[], size: ChartSize): HistoryChartModel {
  const points = history
    .map((s) => ({ s, t: Date.parse(s.startedAt) }))
    .filter((p) => !Number.isNaN(p.t))
    .sort((a, b) => a.t - b.t);
  if (points.length === 0) return { bars: [], maxProblems: 0, ticks: [], summary: 'No checks recorded yet.' };

  const first = points[0]!.t;
  const last = points.at(-1)!.t;
  const span = Math.max(last - first, 1);
  const maxProblems = Math.max(1, ...points.map((p) => problemsOf(p.s)));
  const width = Math.max(2, Math.min(14, (size.width / points.length) * 0.7));
  const usable = size.width - width;
  // A check with no problems still gets a short bar, so it is visible (and hoverable).
  const minHeight = 6;
  const bars = points.map(({ s, t }): HistoryBar => {
    const problems = problemsOf(s);
    const x = points.length === 1 ? usable / 2 : ((t - first) / span) * usable;
    const height = minHeight + (problems / maxProblems) * (size.height - minHeight);
    const label = `${new Date(t).toLocaleString()}: ${STATUS_WORD[s.overall]}, ${problems === 0 ? 'no problems' : `${problems} problem${problems === 1 ? '' : 's'}`}`;
    return { x, width, height, status: s.overall, problems, at: s.startedAt, label };
  });

  const tickCount = Math.min(4, points.length);
  const ticks = Array.from({ length: tickCount }, (_, i) => {
    const fraction = tickCount === 1 ? 0.5 : i / (tickCount - 1);
    return { x: width / 2 + fraction * usable, at: new Date(first + fraction * (points.length === 1 ? 0 : span)).toISOString() };
  });

  const counts = { ok: 0, warn: 0, fail: 0, unknown: 0 } satisfies Record<Status, number>;
  for (const { s } of points) counts[s.overall] += 1;
  const parts = (Object.keys(counts) as Status[]).filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${STATUS_WORD[k]}`);
  const latest = points.at(-1)!.s;
  const summary = `${points.length} check${points.length === 1 ? '' : 's'}: ${parts.join(', ')}. Latest: ${STATUS_WORD[latest.overall]}.`;
  return { bars, maxProblems, ticks, summary };
}
