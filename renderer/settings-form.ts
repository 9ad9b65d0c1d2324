/** Parsing the settings form's text fields; pure so the rules are tested without a DOM. */
import type { Settings } from './bridge.js';

export const SCHEDULE_CHOICES = [15, 30, 60, 120, 240, 720, 1440] as const;
/** Scheduled checks of the history's computers (they connect to them): off unless the user turns them on. */
export const HISTORY_CHECK_CHOICES = [60, 240, 1440] as const;

export function scheduleLabel(minutes: number): string {
  if (minutes < 60) return `Every ${minutes} minutes`;
  if (minutes === 60) return 'Every hour';
  if (minutes === 1440) return 'Once a day';
  return `Every ${minutes / 60} hours`;
}

/** "30, 14, 7" → [30, 14, 7]; a message instead when it isn't 1–12 whole numbers from 1 to 365. */
export function parseWarnDays(text: string): { ok: true; value: number[] } | { ok: false; message: string } {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (parts.length === 0) return { ok: false, message: 'Give at least one number of days.' };
  if (parts.length > 12) return { ok: false, message: 'Give at most 12 numbers of days.' };
  const days = parts.map(Number);
  if (days.some((d) => !Number.isInteger(d) || d < 1 || d > 365)) return { ok: false, message: 'Each number of days must be a whole number from 1 to 365.' };
  return { ok: true, value: [...new Set(days)].sort((a, b) => b - a) };
}

export const formatWarnDays = (days: readonly number[]): string => days.join(', ');

export function settingsChanged(saved: Settings, next: Settings): Partial<Settings> {
  const patch: Partial<Settings> = {};
  if (saved.checkIntervalMinutes !== next.checkIntervalMinutes) patch.checkIntervalMinutes = next.checkIntervalMinutes;
  if (formatWarnDays(saved.warnDays) !== formatWarnDays(next.warnDays)) patch.warnDays = next.warnDays;
  if (saved.notifications !== next.notifications) patch.notifications = next.notifications;
  if (saved.startAtLogin !== next.startAtLogin) patch.startAtLogin = next.startAtLogin;
  if (saved.historyCheckMinutes !== next.historyCheckMinutes) patch.historyCheckMinutes = next.historyCheckMinutes;
  return patch;
}
