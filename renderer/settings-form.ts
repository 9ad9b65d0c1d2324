/** Parsing the settings form's text fields; pure so the rules are tested without a DOM. The bounds are the domain's. */
import { CHECK_INTERVAL_MINUTES, sortWarnDays, splitWarnDays, WARN_DAY_RULE, WARN_DAYS, WINDOW_SETTING_KEYS } from '../electron/domain/settings-bounds.js';
import type { WindowSettings } from './bridge.js';

/** The schedules offered, each within the domain's bounds (checked by a test). */
export const SCHEDULE_CHOICES = [15, 30, 60, 120, 240, 720, CHECK_INTERVAL_MINUTES.max] as const;
/** Scheduled checks of the history's computers (they connect to them): off unless the user turns them on. */
export const HISTORY_CHECK_CHOICES = [60, 240, 1440] as const;

export function scheduleLabel(minutes: number): string {
  if (minutes < 60) return `Every ${minutes} minutes`;
  if (minutes === 60) return 'Every hour';
  if (minutes === 1440) return 'Once a day';
  return `Every ${minutes / 60} hours`;
}

/** "30, 14, 7" → [30, 14, 7]; a message instead when it isn't within the domain's warn-day bounds. */
export function parseWarnDays(text: string): { ok: true; value: number[] } | { ok: false; message: string } {
  const parts = splitWarnDays(text);
  if (parts.length < WARN_DAYS.count.min) return { ok: false, message: 'Give at least one number of days.' };
  if (parts.length > WARN_DAYS.count.max) return { ok: false, message: `Give at most ${WARN_DAYS.count.max} numbers of days.` };
  const days = parts.map(Number);
  if (days.some((d) => !Number.isInteger(d) || d < WARN_DAYS.min || d > WARN_DAYS.max)) return { ok: false, message: `Each number of days must be ${WARN_DAY_RULE}.` };
  return { ok: true, value: sortWarnDays(days) };
}

export const formatWarnDays = (days: readonly number[]): string => days.join(', ');

/** The keys whose value differs (warn days compared as the list a person reads). */
export function settingsChanged(saved: WindowSettings, next: WindowSettings): Partial<WindowSettings> {
  const same = (key: keyof WindowSettings): boolean => (key === 'warnDays' ? formatWarnDays(saved.warnDays) === formatWarnDays(next.warnDays) : saved[key] === next[key]);
  return Object.fromEntries(WINDOW_SETTING_KEYS.filter((key) => !same(key)).map((key) => [key, next[key]])) as Partial<WindowSettings>;
}
