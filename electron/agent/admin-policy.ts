/**
 * Administrator policy: values under HKLM\SOFTWARE\Policies\RDP Health (Group Policy with the
 * shipped ADMX, Intune, or a .reg file) override the user's settings. The shipped script reads
 * them verbatim through the warm session; this module validates each value on its own (a bad one
 * is ignored and reported, the others still apply), merges the policy over the user's settings,
 * names the settings it locks (the window shows "set by your administrator" and refuses changes),
 * and decides which fixes the policy allows.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { parseEnvelope } from '../../probes/common/envelope.js';
import type { FixDescriptor, HealthSnapshot } from '../../probes/common/finding.js';
import { silentLogger, type AgentLogger } from './logging.js';
import type { ScriptSession } from './powershell-session.js';
import { CHECK_INTERVAL_RULE, checkIntervalMinutesSchema, sortWarnDays, splitWarnDays, WARN_DAYS_RULE, warnDaysSchema, type AgentSettings, type LockedSetting } from '../domain/settings.js';

export const ADMIN_POLICY_KEY = 'HKLM\\SOFTWARE\\Policies\\RDP Health';
export const ADMIN_POLICY_SCRIPT = 'common/Get-RdpHealthPolicy.ps1';

/** C:\..., \\server\share\... or /... (the last for the simulated host and tests). */
const ABSOLUTE_PATH = /^(?:[A-Za-z]:\\|\\\\[^\\]+\\|\/)/;

export const adminPolicySchema = z
  .object({
    checkIntervalMinutes: checkIntervalMinutesSchema.optional(),
    warnDays: warnDaysSchema.optional(),
    notificationsDisabled: z.boolean().optional(),
    fixesDisabled: z.boolean().optional(),
    hideSecurityLoweringFixes: z.boolean().optional(),
    /** windows_exporter's textfile folder: metrics are off unless this is set (metrics.ts). */
    metricsTextfileDirectory: z.string().regex(ABSOLUTE_PATH).optional(),
  })
  .strict();
export type AdminPolicy = z.infer<typeof adminPolicySchema>;

export type { LockedSetting };

export interface PolicyReadResult {
  policy: AdminPolicy;
  /** Whether the policy key exists at all. */
  present: boolean;
  /** Values that were there but not understood, in plain words (each is ignored). */
  problems: string[];
  /** Set when the policy could not be read at all (the caller keeps the last policy it had). */
  error?: string;
}

const scriptDataSchema = z.object({
  path: z.string(),
  present: z.boolean(),
  values: z.record(z.string(), z.unknown()).nullable().optional(),
});

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

function integer(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

function flag(name: string, value: unknown): Parsed<boolean> {
  const n = integer(value);
  if (n === 0 || n === 1) return { ok: true, value: n === 1 };
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return { ok: true, value: value.trim().toLowerCase() === 'true' };
  return { ok: false, problem: `${name} must be 0 or 1 (found ${JSON.stringify(value)}); it is ignored.` };
}

function interval(value: unknown): Parsed<number> {
  const n = integer(value);
  const checked = adminPolicySchema.shape.checkIntervalMinutes.safeParse(n);
  if (n !== undefined && checked.success) return { ok: true, value: n };
  return { ok: false, problem: `CheckIntervalMinutes must be ${CHECK_INTERVAL_RULE} (found ${JSON.stringify(value)}); it is ignored.` };
}

/** REG_MULTI_SZ ["30","7"], REG_SZ "30,7" (or "30;7", "30 7") or a REG_DWORD 30. */
function warnDays(value: unknown): Parsed<number[]> {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? splitWarnDays(value) : [value];
  const days = items.map(integer);
  const checked = adminPolicySchema.shape.warnDays.safeParse(days);
  if (checked.success && checked.data) return { ok: true, value: sortWarnDays(checked.data) };
  return { ok: false, problem: `WarnDays must list ${WARN_DAYS_RULE} (found ${JSON.stringify(value)}); it is ignored.` };
}

function folder(value: unknown): Parsed<string> {
  const checked = adminPolicySchema.shape.metricsTextfileDirectory.safeParse(typeof value === 'string' ? value.trim() : value);
  if (checked.success && checked.data) return { ok: true, value: checked.data };
  return { ok: false, problem: `MetricsTextfileDirectory must be a full path to a folder (found ${JSON.stringify(value)}); it is ignored.` };
}

/** The script's data → a validated policy. Pure; each value stands or falls on its own. */
export function policyFromValues(values: Record<string, unknown>): { policy: AdminPolicy; problems: string[] } {
  const policy: AdminPolicy = {};
  const problems: string[] = [];
  const take = <T>(parsed: Parsed<T>, set: (value: T) => void): void => {
    if (parsed.ok) set(parsed.value);
    else problems.push(parsed.problem);
  };
  if ('CheckIntervalMinutes' in values) take(interval(values.CheckIntervalMinutes), (v) => (policy.checkIntervalMinutes = v));
  if ('WarnDays' in values) take(warnDays(values.WarnDays), (v) => (policy.warnDays = v));
  if ('NotificationsDisabled' in values) take(flag('NotificationsDisabled', values.NotificationsDisabled), (v) => (policy.notificationsDisabled = v));
  if ('FixesDisabled' in values) take(flag('FixesDisabled', values.FixesDisabled), (v) => (policy.fixesDisabled = v));
  if ('HideSecurityLoweringFixes' in values) take(flag('HideSecurityLoweringFixes', values.HideSecurityLoweringFixes), (v) => (policy.hideSecurityLoweringFixes = v));
  if ('MetricsTextfileDirectory' in values) take(folder(values.MetricsTextfileDirectory), (v) => (policy.metricsTextfileDirectory = v));
  return { policy, problems };
}

/** The script's stdout → what the policy says. Never throws. */
export function parsePolicyOutput(stdout: string): PolicyReadResult {
  const parsed = parseEnvelope('admin-policy', stdout);
  if (!parsed.ok) return { policy: {}, present: false, problems: [], error: `The policy script printed something unexpected: ${stdout.slice(0, 200)}` };
  if (!parsed.envelope.ok) return { policy: {}, present: false, problems: [], error: `${parsed.envelope.error.kind}: ${parsed.envelope.error.message}` };
  const data = scriptDataSchema.safeParse(parsed.envelope.data);
  if (!data.success) return { policy: {}, present: false, problems: [], error: 'The policy script returned data in a shape this version does not understand.' };
  return { present: data.data.present, ...policyFromValues(data.data.values ?? {}) };
}

/** Runs the shipped script through the warm session. Never throws. */
export async function readAdminPolicy(
  session: Pick<ScriptSession, 'runScript'>,
  probesDir: string,
  logger: AgentLogger = silentLogger,
  /** The probes' timeout (settings or --timeout): the read is bounded like any check. */
  timeoutMs?: number,
): Promise<PolicyReadResult> {
  let result: PolicyReadResult;
  try {
    result = parsePolicyOutput(await session.runScript(join(probesDir, ...ADMIN_POLICY_SCRIPT.split('/')), {}, timeoutMs !== undefined ? { timeoutMs } : {}));
  } catch (error) {
    result = { policy: {}, present: false, problems: [], error: String(error) };
  }
  if (result.error) logger.warn('administrator policy not read', { error: result.error });
  if (result.problems.length > 0) logger.warn('administrator policy values ignored', { key: ADMIN_POLICY_KEY, problems: result.problems });
  return result;
}

export interface EffectiveSettings {
  settings: AgentSettings;
  locked: LockedSetting[];
}

/** The user's settings with the policy laid over them, and which settings it locks. */
export function applyAdminPolicy(user: AgentSettings, policy: AdminPolicy): EffectiveSettings {
  const settings: AgentSettings = { ...user, warnDays: [...user.warnDays] };
  const locked: LockedSetting[] = [];
  if (policy.checkIntervalMinutes !== undefined) {
    settings.checkIntervalMinutes = policy.checkIntervalMinutes;
    locked.push('checkIntervalMinutes');
  }
  if (policy.warnDays !== undefined) {
    settings.warnDays = sortWarnDays(policy.warnDays);
    locked.push('warnDays');
  }
  if (policy.notificationsDisabled !== undefined) {
    // A disabled "turn off notifications" policy enforces them on, as Group Policy does.
    settings.notifications = !policy.notificationsDisabled;
    locked.push('notifications');
  }
  return { settings, locked };
}

export class PolicyLockedError extends Error {
  override name = 'PolicyLockedError';
  constructor(readonly keys: LockedSetting[]) {
    super(`Set by your administrator and cannot be changed here: ${keys.join(', ')}.`);
  }
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The locked settings a patch would change. A patch that repeats the enforced value (a window that
 * sends the whole form) changes nothing and passes.
 */
export function lockedChanges(patch: Partial<AgentSettings>, effective: EffectiveSettings): LockedSetting[] {
  return effective.locked.filter((key) => key in patch && !same(key === 'warnDays' ? sortWarnDays(patch.warnDays ?? []) : patch[key], effective.settings[key]));
}

/** Throws PolicyLockedError when the patch would change what the administrator set. */
export function assertPatchAllowed(patch: Partial<AgentSettings>, effective: EffectiveSettings): void {
  const keys = lockedChanges(patch, effective);
  if (keys.length > 0) throw new PolicyLockedError(keys);
}

/** Why the policy does not allow this fix, in words for the window; undefined when it does. */
export function fixRefusal(fix: Pick<FixDescriptor, 'lowersSecurity'>, policy: AdminPolicy): string | undefined {
  if (policy.fixesDisabled) return 'Your administrator has turned off repairs on this computer.';
  if (policy.hideSecurityLoweringFixes && fix.lowersSecurity) return 'Your administrator does not allow repairs that lower security on this computer.';
  return undefined;
}

export function allowedFixes<F extends Pick<FixDescriptor, 'lowersSecurity'>>(fixes: readonly F[], policy: AdminPolicy): F[] {
  return fixes.filter((fix) => fixRefusal(fix, policy) === undefined);
}

/** The snapshot the window and the tray see: fixes the policy forbids are not offered. */
export function applyFixPolicy(snapshot: HealthSnapshot, policy: AdminPolicy): HealthSnapshot {
  if (!policy.fixesDisabled && !policy.hideSecurityLoweringFixes) return snapshot;
  return { ...snapshot, findings: snapshot.findings.map((finding) => ({ ...finding, fixes: allowedFixes(finding.fixes, policy) })) };
}
