import { describe, expect, it } from 'vitest';
import { parseWarnDays, scheduleLabel, settingsChanged } from '../../../renderer/settings-form.js';

describe('settings form', () => {
  it('reads warning days as whole numbers, most distant first, without repeats', () => {
    expect(parseWarnDays('7, 30 14;7')).toEqual({ ok: true, value: [30, 14, 7] });
    expect(parseWarnDays('')).toMatchObject({ ok: false });
    expect(parseWarnDays('0')).toMatchObject({ ok: false });
    expect(parseWarnDays('2.5')).toMatchObject({ ok: false });
    expect(parseWarnDays('400')).toMatchObject({ ok: false });
    expect(parseWarnDays('soon')).toMatchObject({ ok: false });
  });

  it('names schedules in words', () => {
    expect([15, 60, 120, 1440].map(scheduleLabel)).toEqual(['Every 15 minutes', 'Every hour', 'Every 2 hours', 'Once a day']);
  });

  it('sends only what changed', () => {
    const saved = { checkIntervalMinutes: 30, warnDays: [30, 7], notifications: true, startAtLogin: true, historyCheckMinutes: null };
    expect(settingsChanged(saved, { ...saved })).toEqual({});
    expect(settingsChanged(saved, { ...saved, warnDays: [14], startAtLogin: false })).toEqual({ warnDays: [14], startAtLogin: false });
    expect(settingsChanged(saved, { ...saved, historyCheckMinutes: 240 })).toEqual({ historyCheckMinutes: 240 });
  });
});
