/**
 * The settings' one schema and bounds. The agent's settings file (with defaults), the window's
 * contract, the window's form and the administrator's policy all derive from these.
 */
import { z } from 'zod';

/** Minutes between scheduled checks. */
export const CHECK_INTERVAL_MINUTES = { min: 5, max: 24 * 60, default: 30 } as const;
/** Days before a certificate expires at which to warn: how many thresholds, and each one's range. */
export const WARN_DAYS = { min: 1, max: 365, count: { min: 1, max: 12 }, default: [30, 14, 7, 3, 1] } as const;
/** Scheduled connect checks of the RDP history's computers: at most once an hour, at least once a week when on. */
export const HISTORY_CHECK_MINUTES = { min: 60, max: 7 * 24 * 60 } as const;
/** A probe that takes longer is stopped and reported as timed out. */
export const PROBE_TIMEOUT_SECONDS = { min: 5, max: 600, default: 60 } as const;

export const checkIntervalMinutesSchema = z.number().int().min(CHECK_INTERVAL_MINUTES.min).max(CHECK_INTERVAL_MINUTES.max);
/** null = off, the default: these checks connect to the computers the user connects to. */
export const historyCheckMinutesSchema = z.number().int().min(HISTORY_CHECK_MINUTES.min).max(HISTORY_CHECK_MINUTES.max).nullable();
export const warnDaysSchema = z.array(z.number().int().min(WARN_DAYS.min).max(WARN_DAYS.max)).min(WARN_DAYS.count.min).max(WARN_DAYS.count.max);

/** The words the window and the policy reader use when a value is out of bounds. */
export const CHECK_INTERVAL_RULE = `a whole number of minutes from ${CHECK_INTERVAL_MINUTES.min} to ${CHECK_INTERVAL_MINUTES.max}`;
export const WARN_DAY_RULE = `a whole number from ${WARN_DAYS.min} to ${WARN_DAYS.max}`;
export const WARN_DAYS_RULE = `${WARN_DAYS.count.min} to ${WARN_DAYS.count.max} whole numbers of days from ${WARN_DAYS.min} to ${WARN_DAYS.max}`;

/** The settings the window shows and may change (the agent keeps more, e.g. log folder and shell, that it may not). */
export const windowSettingsSchema = z.object({
  checkIntervalMinutes: checkIntervalMinutesSchema,
  warnDays: warnDaysSchema,
  notifications: z.boolean(),
  startAtLogin: z.boolean(),
  historyCheckMinutes: historyCheckMinutesSchema,
});
export type WindowSettings = z.infer<typeof windowSettingsSchema>;
export type WindowSettingKey = keyof WindowSettings;
export const WINDOW_SETTING_KEYS = Object.keys(windowSettingsSchema.shape) as WindowSettingKey[];

/** The settings an administrator's policy can set (and so lock in the window). */
export const LOCKABLE_SETTINGS = ['checkIntervalMinutes', 'warnDays', 'notifications'] as const satisfies readonly WindowSettingKey[];
export type LockedSetting = (typeof LOCKABLE_SETTINGS)[number];

/** The agent's settings file: the window's settings plus what only the agent decides, each with its default. */
export const agentSettingsSchema = z.object({
  checkIntervalMinutes: checkIntervalMinutesSchema.default(CHECK_INTERVAL_MINUTES.default),
  /** Each threshold warns once per certificate. */
  warnDays: warnDaysSchema.default([...WARN_DAYS.default]),
  /** Desktop notifications on or off. */
  notifications: z.boolean().default(true),
  startAtLogin: z.boolean().default(true),
  historyCheckMinutes: historyCheckMinutesSchema.default(null),
  /** Log folder; null = the default (%LOCALAPPDATA%\RDP Health\logs on Windows). */
  logDir: z.string().min(1).nullable().default(null),
  /** Which PowerShell runs the probes; auto = Windows PowerShell 5.1 on Windows, pwsh elsewhere. */
  shell: z.enum(['auto', 'windows-powershell', 'pwsh']).default('auto'),
  probeTimeoutSeconds: z.number().int().min(PROBE_TIMEOUT_SECONDS.min).max(PROBE_TIMEOUT_SECONDS.max).default(PROBE_TIMEOUT_SECONDS.default),
});
export type AgentSettings = z.infer<typeof agentSettingsSchema>;

/** Warn days unique and most distant first, so "the next threshold" is simple to find. */
export function sortWarnDays(days: readonly number[]): number[] {
  return [...new Set(days)].sort((a, b) => b - a);
}

/** "30, 14; 7 3" → ["30", "14", "7", "3"]: how a person (or a REG_SZ policy value) lists warn days. */
export function splitWarnDays(text: string): string[] {
  return text.split(/[\s,;]+/).filter((part) => part !== '');
}
