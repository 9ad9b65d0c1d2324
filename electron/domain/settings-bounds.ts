/**
 * The settings' bounds and rules, with no zod: the window bundles them alone. The schemas that
 * enforce them are in settings.ts.
 */

/** Minutes between scheduled checks. */
export const CHECK_INTERVAL_MINUTES = { min: 5, max: 24 * 60, default: 30 } as const;
/** Days before a certificate expires at which to warn: how many thresholds, and each one's range. */
export const WARN_DAYS = { min: 1, max: 365, count: { min: 1, max: 12 }, default: [30, 14, 7, 3, 1] } as const;
/** Scheduled connect checks of the RDP history's computers: at most once an hour, at least once a week when on. */
export const HISTORY_CHECK_MINUTES = { min: 60, max: 7 * 24 * 60 } as const;
/** A probe that takes longer is stopped and reported as timed out. */
export const PROBE_TIMEOUT_SECONDS = { min: 5, max: 600, default: 60 } as const;

/** The words the window and the policy reader use when a value is out of bounds. */
export const CHECK_INTERVAL_RULE = `a whole number of minutes from ${CHECK_INTERVAL_MINUTES.min} to ${CHECK_INTERVAL_MINUTES.max}`;
export const WARN_DAY_RULE = `a whole number from ${WARN_DAYS.min} to ${WARN_DAYS.max}`;
export const WARN_DAYS_RULE = `${WARN_DAYS.count.min} to ${WARN_DAYS.count.max} whole numbers of days from ${WARN_DAYS.min} to ${WARN_DAYS.max}`;

/** The settings the window shows and may change, in the order it shows them (settings.ts checks them against its schema). */
export const WINDOW_SETTING_KEYS = ['checkIntervalMinutes', 'warnDays', 'notifications', 'startAtLogin', 'historyCheckMinutes'] as const;
export type WindowSettingKey = (typeof WINDOW_SETTING_KEYS)[number];

/** The settings an administrator's policy can set (and so lock in the window). */
export const LOCKABLE_SETTINGS = ['checkIntervalMinutes', 'warnDays', 'notifications'] as const satisfies readonly WindowSettingKey[];
export type LockedSetting = (typeof LOCKABLE_SETTINGS)[number];

/** Warn days unique and most distant first, so "the next threshold" is simple to find. */
export function sortWarnDays(days: readonly number[]): number[] {
  return [...new Set(days)].sort((a, b) => b - a);
}

/** "30, 14; 7 3" → ["30", "14", "7", "3"]: how a person (or a REG_SZ policy value) lists warn days. */
export function splitWarnDays(text: string): string[] {
  return text.split(/[\s,;]+/).filter((part) => part !== '');
}
