/**
 * An RDP-Tcp setting read the way Get-RdpEffectiveSetting reads it (RDP-FACTS.md): the effective
 * value, and whether group policy, the local value or the Windows default decides it. WMI's
 * PolicySource* can say "group policy" where the registry shows no policy value; either way a local
 * write would be overridden, so no local fix is offered.
 */
import { z } from 'zod';

export const settingValueSchema = z.number().int().nullable();
export const settingSourceSchema = z.enum(['policy', 'local', 'default']);

/** WMI PolicySource* values: 0 server, 1 group policy, 2 default. */
export const WMI_SOURCE_GROUP_POLICY = 1;

export interface SourcedSetting {
  source: z.infer<typeof settingSourceSchema>;
  /** WMI PolicySource* for the setting; null where WMI has none. */
  wmiPolicySource: number | null;
}

export function isPolicyControlled(setting: SourcedSetting): boolean {
  return setting.source === 'policy' || setting.wmiPolicySource === WMI_SOURCE_GROUP_POLICY;
}

/** Who sets the value, with the registry value named where there is one. */
export function describeSettingSource(setting: SourcedSetting, paths: { policyPath: string; localPath: string }, name: string): string {
  if (setting.source === 'policy') return `group policy (${paths.policyPath}\\${name})`;
  if (setting.wmiPolicySource === WMI_SOURCE_GROUP_POLICY) return 'group policy (reported by WMI; no policy value found in the registry)';
  if (setting.source === 'local') return `local setting (${paths.localPath}\\${name})`;
  return 'Windows default';
}
