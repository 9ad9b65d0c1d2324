/** NLA (UserAuthentication): effective value and who sets it (RDP-FACTS.md §3). */
import { z } from 'zod';
import type { PowerShellProbe, Verdict } from '../common/probe.js';
import { declareHostFixes } from '../common/fixes.js';
import { describeSettingSource, isPolicyControlled, settingSourceSchema, settingValueSchema } from '../common/rdp-setting.js';
import { describeWmiRead, wmiReadSchema } from '../common/wmi-read.js';

export const nlaDataSchema = z.object({
  effective: settingValueSchema,
  source: settingSourceSchema,
  localValue: settingValueSchema,
  policyValue: settingValueSchema,
  policyPath: z.string(),
  localPath: z.string(),
  wmiValue: settingValueSchema,
  wmiPolicySource: settingValueSchema,
  /** Effective registry SecurityLayer (0 RDP, 1 Negotiate, 2 TLS): NLA needs 1 or 2. */
  securityLayer: settingValueSchema,
  securityLayerSource: settingSourceSchema,
  /** Win32_TSGeneralSetting read or refused: the registry decides either way. */
  wmi: wmiReadSchema,
});
export type NlaData = z.infer<typeof nlaDataSchema>;

/** The group policy setting that owns UserAuthentication, as gpedit names it. */
export const NLA_POLICY_NAME =
  'Require user authentication for remote connections by using Network Level Authentication (Computer Configuration > Administrative Templates > Windows Components > Remote Desktop Services > Remote Desktop Session Host > Security)';

export const NLA_PROBE_ID = 'nla';

// Either changes what the Security layer check reads (NLA over the RDP layer), so it is re-checked too.
const nlaFixes = declareHostFixes(NLA_PROBE_ID, {
  enable: {
    id: 'nla.enable', title: 'Require Network Level Authentication',
    script: 'nla/Repair-RdpNla.ps1', parameters: { Action: 'Enable' }, alsoRecheck: ['security-layer'], raisesSecurity: true,
  },
  // Lowers security (sign-in moves after the session starts; NLA mitigates BlueKeep): a last
  // resort that needs explicit confirmation and is never part of "repair all".
  disable: {
    id: 'nla.disable', title: 'Turn off Network Level Authentication (last resort: lowers security)', lowersSecurity: true,
    script: 'nla/Repair-RdpNla.ps1', parameters: { Action: 'Disable' }, alsoRecheck: ['security-layer'],
  },
});
export const NLA_FIXES = nlaFixes.descriptors;

/** Group policy decides the value: a local write would be overridden, so no local fix is offered. */
export function nlaPolicyControlled(data: NlaData): boolean {
  return isPolicyControlled(data);
}

function evidence(data: NlaData): Record<string, unknown> {
  return {
    'Effective UserAuthentication': data.effective,
    'Set by': describeSettingSource(data, data, 'UserAuthentication'),
    'Local value': data.localValue,
    'Policy value': data.policyValue,
    'WMI UserAuthenticationRequired': data.wmiValue,
    'WMI PolicySourceUserAuthenticationRequired': data.wmiPolicySource,
    'WMI (Win32_TSGeneralSetting)': describeWmiRead(data.wmi, 'the registry values decide'),
    'Effective SecurityLayer': data.securityLayer,
    'SecurityLayer set by': data.securityLayerSource,
  };
}

/*
 * When each fix is offered:
 * - nla.enable (safe): NLA is off, the local value decides, and the security layer can carry NLA
 *   (1 or 2). With SecurityLayer 0, turning NLA on would create the NLA-over-RDP contradiction
 *   that blocks every sign-in, so the finding points at the security layer instead.
 * - nla.disable (lowers security): only where it resolves a real failure — NLA required while the
 *   security layer is RDP (0), which cannot carry CredSSP. The safe fix for that lives in the
 *   Security layer check (security-layer.set-negotiate / set-tls); this stays as the alternative for
 *   hosts that must keep the RDP layer (e.g. a group policy sets it, or clients that cannot do TLS).
 * - Neither when group policy decides UserAuthentication: a local write would be overridden.
 */
export function evaluateNla(data: NlaData): Verdict {
  const shown = evidence(data);
  const byPolicy = nlaPolicyControlled(data);
  if (data.effective === null) {
    return { status: 'unknown', summary: 'Could not tell whether Network Level Authentication is required.', evidence: shown, fixes: [] };
  }
  if (data.effective !== 0 && data.effective !== 1) {
    return {
      status: 'unknown',
      summary: `Network Level Authentication has the unexpected value ${data.effective}, so whether it is required is unclear.`,
      evidence: shown,
      fixes: [],
    };
  }
  const rdpLayer = data.securityLayer === 0;
  if (data.effective === 1) {
    if (!rdpLayer) {
      return { status: 'ok', summary: 'Network Level Authentication is required: users sign in before a session is created.', evidence: shown, fixes: [] };
    }
    return {
      status: 'warn',
      summary: byPolicy
        ? 'Group policy requires Network Level Authentication, but the security layer is set to RDP, which cannot carry it, so sign-ins fail; the Security layer check says how to fix it.'
        : 'Network Level Authentication is required, but the security layer is set to RDP, which cannot carry it, so sign-ins fail; the safe fix is in the Security layer check, turning NLA off is the last resort.',
      evidence: byPolicy ? { ...shown, Policy: NLA_POLICY_NAME } : shown,
      fixes: byPolicy ? [] : [NLA_FIXES.disable],
    };
  }
  if (byPolicy) {
    return {
      status: 'warn',
      summary: 'Group policy turns Network Level Authentication off; only that policy can turn it back on.',
      evidence: { ...shown, Policy: NLA_POLICY_NAME },
      fixes: [],
    };
  }
  if (rdpLayer) {
    return {
      status: 'warn',
      summary: 'Network Level Authentication is off and the security layer is RDP; switch the security layer to Negotiate or TLS first (Security layer check), then NLA can be turned on.',
      evidence: shown,
      fixes: [],
    };
  }
  // Offer the fix only when the security layer is known to carry NLA (1 Negotiate, 2 TLS).
  const layerCarriesNla = data.securityLayer === 1 || data.securityLayer === 2;
  return {
    status: 'warn',
    summary: 'Network Level Authentication is off, so anyone who can reach this computer sees its sign-in screen.',
    evidence: shown,
    fixes: layerCarriesNla ? [NLA_FIXES.enable] : [],
  };
}

export const nlaProbe: PowerShellProbe<typeof nlaDataSchema> = {
  kind: 'powershell',
  id: NLA_PROBE_ID,
  title: 'Network Level Authentication',
  script: 'nla/Get-RdpNla.ps1',
  dataSchema: nlaDataSchema,
  evaluate: (data) => evaluateNla(data),
  fixes: nlaFixes.declarations,
};
