/**
 * Settings: one JSON file validated by a schema. Missing keys take their defaults, an invalid value
 * takes its default, and a file that is not a JSON object at all is moved aside
 * (`settings.json.corrupt-<timestamp>`) so nothing the user wrote is lost; the problem is logged
 * and reported (Agent status `settingsProblem`). Writes go through a temp file and a rename.
 */
import { readFile, rename } from 'node:fs/promises';
import { agentSettingsSchema, sortWarnDays, type AgentSettings } from '../domain/settings.js';
import { writeFileAtomic } from './atomic-file.js';
import { parseJsonText } from './json-text.js';
import { silentLogger, type AgentLogger } from './logging.js';

/** The schema and its bounds live in the domain layer (electron/domain/settings.ts). */
export { agentSettingsSchema, type AgentSettings };

const KEYS = Object.keys(agentSettingsSchema.shape) as Array<keyof AgentSettings>;

export function defaultSettings(): AgentSettings {
  return normalize(agentSettingsSchema.parse({}));
}

function normalize(settings: AgentSettings): AgentSettings {
  return { ...settings, warnDays: sortWarnDays(settings.warnDays) };
}

export class SettingsError extends Error {
  override name = 'SettingsError';
}

export interface LoadedSettings {
  settings: AgentSettings;
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
    if (agentSettingsSchema.shape[key].safeParse(raw[key]).success) kept[key] = raw[key];
    else invalid.push(key);
  }
  const settings = normalize(agentSettingsSchema.parse(kept));
  if (invalid.length === 0) return { settings };
  const problem = `Some settings were not valid and use their defaults: ${invalid.join(', ')}.`;
  logger.warn('settings values invalid', { path, invalid });
  return { settings, problem };
}

/** Validates a change against the whole schema; throws SettingsError with what is wrong. */
export function applySettingsPatch(current: AgentSettings, patch: Partial<AgentSettings>): AgentSettings {
  const result = agentSettingsSchema.strict().safeParse({ ...current, ...patch });
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new SettingsError(`Invalid setting ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return normalize(result.data);
}

export async function saveSettings(path: string, settings: AgentSettings): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(settings, null, 2)}\n`);
}
