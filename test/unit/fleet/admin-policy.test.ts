import { describe, expect, it } from 'vitest';
import {
  allowedFixes,
  applyAdminPolicy,
  applyFixPolicy,
  assertPatchAllowed,
  fixRefusal,
  lockedChanges,
  parsePolicyOutput,
  policyFromValues,
  PolicyLockedError,
} from '../../../electron/agent/admin-policy.js';
import { defaultSettings } from '../../../electron/agent/settings.js';
import { fix } from '../../../probes/common/fixes.js';
import { finding, snapshot } from './snapshots.js';

const envelope = (data: unknown): string => JSON.stringify({ probe: 'admin-policy', schema: 1, ok: true, data });

describe('policyFromValues', () => {
  it('reads every documented value', () => {
    const { policy, problems } = policyFromValues({
      CheckIntervalMinutes: 30,
      WarnDays: ['45', '10'],
      NotificationsDisabled: 1,
      FixesDisabled: 0,
      HideSecurityLoweringFixes: 1,
    });
    expect(problems).toEqual([]);
    expect(policy).toEqual({ checkIntervalMinutes: 30, warnDays: [45, 10], notificationsDisabled: true, fixesDisabled: false, hideSecurityLoweringFixes: true });
  });

  it.each([
    ['a REG_MULTI_SZ', ['7', '30', '7'], [30, 7]],
    ['a comma string', '30, 14,7', [30, 14, 7]],
    ['a semicolon string', '21;3', [21, 3]],
    ['a REG_DWORD', 14, [14]],
  ])('reads WarnDays from %s, unique and most distant first', (_label, value, expected) => {
    expect(policyFromValues({ WarnDays: value }).policy.warnDays).toEqual(expected);
  });

  it.each([
    ['CheckIntervalMinutes', 2, /from 5 to 1440/],
    ['CheckIntervalMinutes', 'soon', /from 5 to 1440/],
    ['CheckIntervalMinutes', 2000, /from 5 to 1440/],
    ['WarnDays', '30,x', /WarnDays/],
    ['WarnDays', '0', /WarnDays/],
    ['WarnDays', '', /WarnDays/],
    ['NotificationsDisabled', 2, /0 or 1/],
    ['FixesDisabled', 'yes', /0 or 1/],
  ])('ignores %s = %j and says why, keeping the other values', (name, value, why) => {
    const { policy, problems } = policyFromValues({ [name]: value, HideSecurityLoweringFixes: 1 });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(why);
    expect(policy).toEqual({ hideSecurityLoweringFixes: true });
  });

  it('reads the metrics folder as a full path only', () => {
    expect(policyFromValues({ MetricsTextfileDirectory: 'C:\\Program Files\\windows_exporter\\textfile_inputs' }).policy).toEqual({
      metricsTextfileDirectory: 'C:\\Program Files\\windows_exporter\\textfile_inputs',
    });
    expect(policyFromValues({ MetricsTextfileDirectory: '\\\\monitor\\textfiles\\' }).policy.metricsTextfileDirectory).toBe('\\\\monitor\\textfiles\\');
    for (const bad of ['textfile_inputs', 'C:relative', '', 5]) {
      const { policy, problems } = policyFromValues({ MetricsTextfileDirectory: bad });
      expect(policy).toEqual({});
      expect(problems[0]).toMatch(/full path/);
    }
  });

  it('accepts a numeric REG_SZ and true/false strings', () => {
    expect(policyFromValues({ CheckIntervalMinutes: '15', FixesDisabled: 'True' }).policy).toEqual({ checkIntervalMinutes: 15, fixesDisabled: true });
  });
});

describe('parsePolicyOutput', () => {
  it('reads no policy from an absent key', () => {
    expect(parsePolicyOutput(envelope({ path: 'HKLM:\\SOFTWARE\\Policies\\RDP Health', present: false, values: {}, kinds: {} }))).toEqual({ policy: {}, present: false, problems: [] });
  });

  it('turns an error envelope into an error, not a policy', () => {
    const result = parsePolicyOutput(JSON.stringify({ probe: 'admin-policy', schema: 1, ok: false, error: { kind: 'access-denied', message: 'denied' } }));
    expect(result.error).toBe('access-denied: denied');
    expect(result.policy).toEqual({});
  });

  it('turns garbage into an error', () => {
    expect(parsePolicyOutput('WARNING: nope').error).toMatch(/unexpected/);
    expect(parsePolicyOutput(envelope({ present: 'yes' })).error).toMatch(/shape/);
  });
});

describe('applyAdminPolicy', () => {
  const user = { ...defaultSettings(), checkIntervalMinutes: 60, warnDays: [20], notifications: true };

  it('changes nothing and locks nothing without a policy', () => {
    expect(applyAdminPolicy(user, {})).toEqual({ settings: user, locked: [] });
  });

  it('overrides the user and names each locked setting', () => {
    const effective = applyAdminPolicy(user, { checkIntervalMinutes: 30, warnDays: [10, 45], notificationsDisabled: true, fixesDisabled: true });
    expect(effective.settings).toEqual({ ...user, checkIntervalMinutes: 30, warnDays: [45, 10], notifications: false });
    expect(effective.locked).toEqual(['checkIntervalMinutes', 'warnDays', 'notifications']);
  });

  it('enforces notifications on when the policy says NotificationsDisabled = 0', () => {
    const effective = applyAdminPolicy({ ...user, notifications: false }, { notificationsDisabled: false });
    expect(effective.settings.notifications).toBe(true);
    expect(effective.locked).toEqual(['notifications']);
  });

  it('refuses a change to a locked setting and lets the enforced value and unlocked settings through', () => {
    const effective = applyAdminPolicy(user, { checkIntervalMinutes: 30, warnDays: [45, 10] });
    expect(lockedChanges({ checkIntervalMinutes: 15 }, effective)).toEqual(['checkIntervalMinutes']);
    expect(() => assertPatchAllowed({ checkIntervalMinutes: 15, notifications: false }, effective)).toThrow(PolicyLockedError);
    expect(() => assertPatchAllowed({ checkIntervalMinutes: 15 }, effective)).toThrow(/administrator.*checkIntervalMinutes/);
    expect(() => assertPatchAllowed({ checkIntervalMinutes: 30, warnDays: [10, 45], notifications: false }, effective)).not.toThrow();
  });
});

describe('fix policy', () => {
  const safe = fix('nla.require', 'Require NLA', {});
  const lowering = fix('security-layer.negotiate', 'Allow negotiation', { lowersSecurity: true });

  it('allows everything without a policy', () => {
    expect(allowedFixes([safe, lowering], {})).toEqual([safe, lowering]);
    expect(fixRefusal(lowering, {})).toBeUndefined();
  });

  it('hides only the fixes that lower security', () => {
    expect(allowedFixes([safe, lowering], { hideSecurityLoweringFixes: true })).toEqual([safe]);
    expect(fixRefusal(lowering, { hideSecurityLoweringFixes: true })).toMatch(/lower security/);
  });

  it('offers no fix at all when fixes are disabled', () => {
    expect(allowedFixes([safe, lowering], { fixesDisabled: true })).toEqual([]);
    expect(fixRefusal(safe, { fixesDisabled: true })).toMatch(/turned off repairs/);
  });

  it('takes the forbidden fixes out of a snapshot without touching anything else', () => {
    const before = snapshot([finding('nla', 'fail', { fixes: [safe] }), finding('security-layer', 'fail', { fixes: [lowering, safe] })]);
    const after = applyFixPolicy(before, { hideSecurityLoweringFixes: true });
    expect(after.findings.map((f) => f.fixes.map((x) => x.id))).toEqual([['nla.require'], ['nla.require']]);
    expect({ ...after, findings: [] }).toEqual({ ...before, findings: [] });
    expect(before.findings[1]?.fixes).toHaveLength(2);
    expect(applyFixPolicy(before, {})).toBe(before);
  });
});
