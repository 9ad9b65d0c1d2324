/**
 * Settings: one JSON file validated by a schema. Missing keys take their defaults, an invalid value
 * takes its default, and a file that is not a JSON object at all is moved aside
 * (`settings.json.corrupt-<timestamp>`) so nothing the user wrote is lost; the problem is logged
 * and reported (Agent status `settingsProblem`). Writes go through a temp file and a rename.
 */
import { readFile, rename } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-file.js';
import { parseJsonText } from './json-text.js';
import { silentLogger, type AgentLogger } from './logging.js';

export const DEFAULT_WARN_DAYS = [30, 14, 7, 3, 1] as const;
/** Scheduled checks of the history's computers: at most once an hour, at least once a week when on. */
export const HISTORY_CHECK_MINUTES = { min: 60, max: 7 * 24 * 60 } as const;

export const settingsSchema = z.object({
  /** Minutes between scheduled checks. */
  checkIntervalMinutes: z.number().int().min(5).max(24 * 60).default(30),
  /** Days before a certificate expires at which to warn, each once per certificate. */
  warnDays: z.array(z.number().int().min(1).max(365)).min(1).max(12).default([...DEFAULT_WARN_DAYS]),
  /** Desktop notifications on or off. */
  notifications: z.boolean().default(true),
  /** Minutes between scheduled connect checks of the computers in this user's RDP history; null = off (they connect to those computers). */
  historyCheckMinutes: z.number().int().min(HISTORY_CHECK_MINUTES.min).max(HISTORY_CHECK_MINUTES.max).nullable().default(null),
  startAtLogin: z.boolean().default(true),
  /** Log folder; null = the default (%LOCALAPPDATA%\RDP Health\logs on Windows). */
  logDir: z.string().min(1).nullable().default(null),
  /** Which PowerShell runs the probes; auto = Windows PowerShell 5.1 on Windows, pwsh elsewhere. */
  shell: z.enum(['auto', 'windows-powershell', 'pwsh']).default('auto'),
  /** A probe that takes longer is stopped and reported as timed out. */
  probeTimeoutSeconds: z.number().int().min(5).max(600).default(60),
});
export type Settings = z.infer<typeof settingsSchema>;

const KEYS = Object.keys(settingsSchema.shape) as Array<keyof Settings>;

export function defaultSettings(): Settings {
  return normalize(settingsSchema.parse({}));
}

/** Warn days unique and most distant first, so "the next threshold" is simple to find. */
function normalize(settings: Settings): Settings {
  return { ...settings, warnDays: [...new Set(settings.warnDays)].sort((a, b) => b - a) };
}

export class SettingsError extends Error {
  override name = 'SettingsError';
}

export interface LoadedSettings {
  settings: Settings;
  /** What was wrong with the file, in plain words; undefined when it was fine or absent. */
  problem?: string;
}

/** Windows file names cannot hold ':'; keep the timestamp sortable anyway. */
const stamp = (now: Date): string => now.toISOString().replace(/[:.]/g, '-');

export async function loadSettings(path: string, logger: AgentLogger = silentLogger, now: Date = new Date()): Promise<LoadedSettings> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { settings: defaultSettings() };
    const problem = `The settings file ${path} could not be read (${String(error)}); the defaults are used.`;
    logger.error('settings unreadable', { path, error: String(error) });
    return { settings: defaultSettings(), problem };
  }
  const json = parseJsonText(text);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    const aside = `${path}.corrupt-${stamp(now)}`;
    let problem = `The settings file was damaged; it was kept as ${aside} and the defaults are used.`;
    try {
      await rename(path, aside);
    } catch (error) {
      problem = `The settings file was damaged and could not be moved aside (${String(error)}); the defaults are used.`;
    }
    logger.error('settings file corrupt', { path, aside, problem });
    return { settings: defaultSettings(), problem };
  }
  // Key by key: one bad value costs only that value.
  const raw = json as Record<string, unknown>;
  const kept: Record<string, unknown> = {};
  const invalid: string[] = [];
  for (const key of KEYS) {
    if (!(key in raw)) continue;
    if (settingsSchema.shape[key].safeParse(raw[key]).success) kept[key] = raw[key];
    else invalid.push(key);
  }
  const settings = normalize(settingsSchema.parse(kept));
  if (invalid.length === 0) return { settings };
  const problem = `Some settings were not valid and use their defaults: ${invalid.join(', ')}.`;
  logger.warn('settings values invalid', { path, invalid });
  return { settings, problem };
}

/** Validates a change against the whole schema; throws SettingsError with what is wrong. */
export function applySettingsPatch(current: Settings, patch: Partial<Settings>): Settings {
  const result = settingsSchema.strict().safeParse({ ...current, ...patch });
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new SettingsError(`Invalid setting ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return normalize(result.data);
}

export async function saveSettings(path: string, settings: Settings): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(settings, null, 2)}\n`);
}
