import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AgentLogger } from '../../../electron/agent/logging.js';
import { applySettingsPatch, defaultSettings, loadSettings, saveSettings, SettingsError } from '../../../electron/agent/settings.js';

const folder = () => mkdtempSync(join(tmpdir(), 'settings-'));

function recordingLogger() {
  const lines: Array<{ level: string; message: string }> = [];
  const log = (level: string) => (message: string) => void lines.push({ level, message });
  const logger: AgentLogger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  return { logger, lines };
}

describe('settings', () => {
  it('defaults: every 30 minutes, warnings at 30/14/7/3/1 days, notifications on', () => {
    expect(defaultSettings()).toMatchObject({ checkIntervalMinutes: 30, warnDays: [30, 14, 7, 3, 1], notifications: true, shell: 'auto', logDir: null });
  });

  it('scheduled checks of the history computers: off by default, hourly to weekly when on', () => {
    expect(defaultSettings().historyCheckMinutes).toBeNull();
    expect(applySettingsPatch(defaultSettings(), { historyCheckMinutes: 60 }).historyCheckMinutes).toBe(60);
    expect(applySettingsPatch(defaultSettings(), { historyCheckMinutes: 7 * 24 * 60 }).historyCheckMinutes).toBe(7 * 24 * 60);
    for (const bad of [59, 7 * 24 * 60 + 1, 90.5]) expect(() => applySettingsPatch(defaultSettings(), { historyCheckMinutes: bad })).toThrow(SettingsError);
  });

  it('a missing file gives the defaults and no problem', async () => {
    expect(await loadSettings(join(folder(), 'settings.json'))).toEqual({ settings: defaultSettings() });
  });

  it('missing keys take their defaults; present ones are kept', async () => {
    const path = join(folder(), 'settings.json');
    writeFileSync(path, JSON.stringify({ checkIntervalMinutes: 60, warnDays: [7, 30, 7] }));
    const loaded = await loadSettings(path);
    expect(loaded.problem).toBeUndefined();
    expect(loaded.settings).toEqual({ ...defaultSettings(), checkIntervalMinutes: 60, warnDays: [30, 7] });
  });

  it('an invalid value takes its default and is reported; the rest is kept', async () => {
    const path = join(folder(), 'settings.json');
    writeFileSync(path, JSON.stringify({ checkIntervalMinutes: 1, notifications: false }));
    const { logger, lines } = recordingLogger();
    const loaded = await loadSettings(path, logger);
    expect(loaded.settings).toMatchObject({ checkIntervalMinutes: 30, notifications: false });
    expect(loaded.problem).toContain('checkIntervalMinutes');
    expect(lines.some((line) => line.level === 'warn')).toBe(true);
  });

  it.each([
    ['truncated JSON', '{"checkIntervalMinutes": 4'],
    ['not an object', '[1,2,3]'],
    ['binary junk', '\u0000\u0001garbage'],
  ])('a corrupt file (%s) is kept aside under another name, defaults are used, the problem logged and reported', async (_label, content) => {
    const dir = folder();
    const path = join(dir, 'settings.json');
    writeFileSync(path, content);
    const { logger, lines } = recordingLogger();
    const loaded = await loadSettings(path, logger, new Date('2026-11-25T10:20:30.456Z'));
    expect(loaded.settings).toEqual(defaultSettings());
    const aside = 'settings.json.corrupt-2026-11-25T10-20-30-456Z';
    expect(readdirSync(dir)).toEqual([aside]);
    expect(readFileSync(join(dir, aside), 'utf8')).toBe(content);
    expect(loaded.problem).toContain(aside);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'error' }));
  });

  it('a patch is validated against the whole schema', () => {
    const current = defaultSettings();
    expect(applySettingsPatch(current, { checkIntervalMinutes: 15, warnDays: [1, 10] })).toMatchObject({ checkIntervalMinutes: 15, warnDays: [10, 1] });
    expect(() => applySettingsPatch(current, { checkIntervalMinutes: 0 })).toThrow(SettingsError);
    expect(() => applySettingsPatch(current, { warnDays: [] })).toThrow(SettingsError);
    expect(() => applySettingsPatch(current, { bogus: 1 } as never)).toThrow(SettingsError);
  });

  it('saves atomically and reads back what it saved', async () => {
    const dir = folder();
    const path = join(dir, 'settings.json');
    const changed = applySettingsPatch(defaultSettings(), { startAtLogin: false, logDir: '/var/log/x' });
    await saveSettings(path, changed);
    expect(readdirSync(dir)).toEqual(['settings.json']);
    expect((await loadSettings(path)).settings).toEqual(changed);
  });
});
