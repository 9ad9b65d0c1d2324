/**
 * History as a status strip: one cell per check in the chosen range (last day, week, month),
 * placed on a time axis, its status said by colour, pattern and words (the label each cell reads
 * out when focused). Pure, so it is tested without a DOM; components/history-strip.tsx draws it.
 */
import type { HealthSnapshot, Status } from './bridge.js';
import { problemsFirst } from '../electron/domain/problems-first.js';
import { STATUS_WORD } from './status.js';

export const RANGES = { day: 86_400_000, week: 7 * 86_400_000, month: 30 * 86_400_000 } as const;
export type HistoryRange = keyof typeof RANGES;
export const RANGE_WORD: Record<HistoryRange, string> = { day: 'Last day', week: 'Last week', month: 'Last month' };

export interface StripCell {
  /** Position and width in percent of the strip. */
  left: number;
  width: number;
  status: Status;
  at: string;
  /** What the cell says when focused: when, the status in words, the worst problem or "every check passed". */
  label: string;
}

export interface StripModel {
  cells: StripCell[];
  ticks: Array<{ left: number; text: string }>;
  summary: string;
}

function cellLabel(snapshot: HealthSnapshot, when: string): string {
  const { problems } = problemsFirst(snapshot.findings);
  const what = problems.length === 0 ? 'every check passed' : `${problems[0]!.title}: ${problems[0]!.summary}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`;
  return `${when}: ${STATUS_WORD[snapshot.overall]} — ${what}`;
}

function tickText(t: number, range: HistoryRange): string {
  const date = new Date(t);
  if (range === 'day') return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return date.toLocaleDateString(undefined, range === 'week' ? { weekday: 'short', day: 'numeric' } : { day: 'numeric', month: 'short' });
}

/** Ticks on round times: every 6 hours for a day, every day for a week, every 5 days for a month. */
function ticks(start: number, end: number, range: HistoryRange): StripModel['ticks'] {
  const step = { day: 6 * 3_600_000, week: 86_400_000, month: 5 * 86_400_000 }[range];
  const first = new Date(start);
  if (range === 'day') first.setMinutes(0, 0, 0);
  else first.setHours(0, 0, 0, 0);
  const out: StripModel['ticks'] = [];
  for (let t = first.getTime(); t <= end; t += step) {
    if (t < start) continue;
    out.push({ left: ((t - start) / (end - start)) * 100, text: tickText(t, range) });
  }
  return out;
}

export function historyStrip(history: readonly HealthSnapshot[], range: HistoryRange, now: Date, when: (iso: string) => string = (iso) => new Date(iso).toLocaleString()): StripModel {
  const end = now.getTime();
  const start = end - RANGES[range];
  const points = history
    .map((snapshot) => ({ snapshot, t: Date.parse(snapshot.startedAt) }))
    .filter((p) => !Number.isNaN(p.t) && p.t >= start && p.t <= end)
    .sort((a, b) => a.t - b.t);
  const width = Math.min(3, Math.max(0.4, 100 / Math.max(points.length, 1) - 0.1));
  const cells = points.map(({ snapshot, t }): StripCell => ({
    left: Math.min(100 - width, ((t - start) / (end - start)) * 100),
    width,
    status: snapshot.overall,
    at: snapshot.startedAt,
    label: cellLabel(snapshot, when(snapshot.startedAt)),
  }));
  const counts = { ok: 0, warn: 0, fail: 0, unknown: 0 } satisfies Record<Status, number>;
  for (const { snapshot } of points) counts[snapshot.overall] += 1;
  const parts = (Object.keys(counts) as Status[]).filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${STATUS_WORD[k]}`);
  const summary =
    points.length === 0
      ? `No checks recorded in the ${RANGE_WORD[range].toLowerCase()}.`
      : `${RANGE_WORD[range]}: ${points.length} check${points.length === 1 ? '' : 's'} — ${parts.join(', ')}. Latest: ${STATUS_WORD[points.at(-1)!.snapshot.overall]}.`;
  return { cells, ticks: ticks(start, end, range), summary };
}
