/** NLA (UserAuthentication): effective value and who sets it (RDP-FACTS.md §3). */
import { z } from 'zod';
import type { PowerShellProbe, Verdict } from '../common/probe.js';
import { fix } from '../common/fixes.js';

const settingValue = z.number().int().nullable();

export const nlaDataSchema = z.object({
  effective: settingValue,
  source: z.enum(['policy', 'local', 'default']),
  localValue: settingValue,
  policyValue: settingValue,
  policyPath: z.string(),
  localPath: z.string(),
  wmiValue: settingValue,
  wmiPolicySource: settingValue,
});
export type NlaData = z.infer<typeof nlaDataSchema>;

export const NLA_FIXES = {
  enable: fix('nla.enable', 'Require Network Level Authentication', {}),
  disable: fix('nla.disable', 'Turn off Network Level Authentication', { lowersSecurity: true }),
};

function evidence(data: NlaData): Record<string, unknown> {
  return {
    'Effective UserAuthentication': data.effective,
    'Set by': data.source === 'policy' ? `group policy (${data.policyPath})` : data.source === 'local' ? `local setting (${data.localPath})` : 'Windows default',
    'Local value': data.localValue,
    'Policy value': data.policyValue,
    'WMI UserAuthenticationRequired': data.wmiValue,
    'WMI PolicySourceUserAuthenticationRequired': data.wmiPolicySource,
  };
}

export function evaluateNla(data: NlaData): Verdict {
  const shown = evidence(data);
  if (data.effective === null) {
    return { status: 'unknown', summary: 'Could not tell whether Network Level Authentication is required.', evidence: shown, fixes: [] };
  }
  if (data.effective === 1) {
    return { status: 'ok', summary: 'Network Level Authentication is required: users sign in before a session is created.', evidence: shown, fixes: [] };
  }
  if (data.source === 'policy') {
    return {
      status: 'warn',
      summary: 'Group policy turns Network Level Authentication off; only that policy can turn it back on.',
      evidence: shown,
      fixes: [],
    };
  }
  return {
    status: 'warn',
    summary: 'Network Level Authentication is off, so anyone who can reach this computer sees its sign-in screen.',
    evidence: shown,
    fixes: [NLA_FIXES.enable],
  };
}

export const nlaProbe: PowerShellProbe<typeof nlaDataSchema> = {
  kind: 'powershell',
  id: 'nla',
  title: 'Network Level Authentication',
  script: 'nla/Get-RdpNla.ps1',
  dataSchema: nlaDataSchema,
  evaluate: (data) => evaluateNla(data),
};
