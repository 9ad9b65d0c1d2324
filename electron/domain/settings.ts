/**
 * The settings' one schema and bounds. The agent's settings file (with defaults), the window's
 * contract, the window's form and the administrator's policy all derive from these.
 */
import { z } from 'zod';
import { CHECK_INTERVAL_MINUTES, HISTORY_CHECK_MINUTES, PROBE_TIMEOUT_SECONDS, WARN_DAYS, type WindowSettingKey } from './settings-bounds.js';

export * from './settings-bounds.js';

export const checkIntervalMinutesSchema = z.number().int().min(CHECK_INTERVAL_MINUTES.min).max(CHECK_INTERVAL_MINUTES.max);
/** null = off, the default: these checks connect to the computers the user connects to. */
export const historyCheckMinutesSchema = z.number().int().min(HISTORY_CHECK_MINUTES.min).max(HISTORY_CHECK_MINUTES.max).nullable();
export const warnDaysSchema = z.array(z.number().int().min(WARN_DAYS.min).max(WARN_DAYS.max)).min(WARN_DAYS.count.min).max(WARN_DAYS.count.max);

/** The settings the window shows and may change (the agent keeps more, e.g. log folder and shell, that it may not). */
export const windowSettingsSchema = z.object({
  checkIntervalMinutes: checkIntervalMinutesSchema,
  warnDays: warnDaysSchema,
  notifications: z.boolean(),
  startAtLogin: z.boolean(),
  historyCheckMinutes: historyCheckMinutesSchema,
});
export type WindowSettings = z.infer<typeof windowSettingsSchema>;
/** WINDOW_SETTING_KEYS (settings-bounds.ts) lists exactly this schema's keys: a compile error otherwise. */
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const WINDOW_KEYS_MATCH_SCHEMA: Exactly<keyof WindowSettings, WindowSettingKey> = true;

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
