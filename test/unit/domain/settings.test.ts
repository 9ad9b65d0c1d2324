// The settings bounds exist once (electron/domain/settings.ts): the agent's file, the window's
// contract, the form and the administrator's policy all move with them.
import { describe, expect, it } from 'vitest';
import { policyFromValues } from '../../../electron/agent/admin-policy.js';
import { applySettingsPatch, defaultSettings } from '../../../electron/agent/settings.js';
import { settingsPatchSchema } from '../../../electron/contract.js';
import { CHECK_INTERVAL_MINUTES, checkIntervalMinutesSchema, WARN_DAYS } from '../../../electron/domain/settings.js';
import { parseWarnDays, SCHEDULE_CHOICES } from '../../../renderer/settings-form.js';

describe('settings bounds, one source', () => {
  it('every layer accepts the bounds and refuses one past them', () => {
    const { min, max } = CHECK_INTERVAL_MINUTES;
    for (const [value, ok] of [[min, true], [max, true], [min - 1, false], [max + 1, false]] as const) {
      expect(settingsPatchSchema.safeParse({ checkIntervalMinutes: value }).success).toBe(ok);
      expect(policyFromValues({ CheckIntervalMinutes: value }).problems.length === 0).toBe(ok);
      const patched = (): unknown => applySettingsPatch(defaultSettings(), { checkIntervalMinutes: value });
      if (ok) expect(patched()).toMatchObject({ checkIntervalMinutes: value });
      else expect(patched).toThrow(/checkIntervalMinutes/);
    }
  });

  it('the form and the policy read warn days within the same bounds, most distant first', () => {
    const tooMany = Array.from({ length: WARN_DAYS.count.max + 1 }, (_, i) => i + 1);
    expect(parseWarnDays(tooMany.join(',')).ok).toBe(false);
    expect(policyFromValues({ WarnDays: tooMany.join(',') }).problems).toHaveLength(1);
    expect(parseWarnDays(`${WARN_DAYS.max + 1}`)).toEqual({ ok: false, message: `Each number of days must be a whole number from ${WARN_DAYS.min} to ${WARN_DAYS.max}.` });
    expect(parseWarnDays('7 30;14')).toEqual({ ok: true, value: [30, 14, 7] });
    expect(policyFromValues({ WarnDays: '7 30;14' }).policy.warnDays).toEqual([30, 14, 7]);
  });

  it('the form offers only schedules the agent accepts', () => {
    for (const minutes of SCHEDULE_CHOICES) expect(checkIntervalMinutesSchema.safeParse(minutes).success).toBe(true);
  });
});
