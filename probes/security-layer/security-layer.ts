/**
 * SecurityLayer: RDP, Negotiate or TLS, who sets it, and whether it can carry NLA
 * (RDP-FACTS.md §4). NLA runs CredSSP inside TLS, so NLA on with the RDP layer blocks every sign-in.
 */
import { z } from 'zod';
import type { PowerShellProbe, Verdict } from '../common/probe.js';
import type { FixDescriptor } from '../common/finding.js';
import { declareHostFixes } from '../common/fixes.js';
import { describeSettingSource, isPolicyControlled, settingSourceSchema, settingValueSchema } from '../common/rdp-setting.js';
import { describeWmiRead, wmiReadSchema } from '../common/wmi-read.js';

const settingSchema = z.object({
  effective: settingValueSchema,
  source: settingSourceSchema,
  localValue: settingValueSchema,
  policyValue: settingValueSchema,
  /** WMI PolicySource*: 0 server, 1 group policy, 2 default; null where WMI has none. */
  wmiPolicySource: settingValueSchema,
});
export type RdpSetting = z.infer<typeof settingSchema>;

export const securityLayerDataSchema = z.object({
  securityLayer: settingSchema,
  userAuthentication: settingSchema,
  minEncryptionLevel: settingSchema,
  allowSecProtocolNegotiation: settingSchema,
  /** WMI's own SecurityLayer property: documented with another numbering, shown raw only. */
  wmiSecurityLayer: settingValueSchema,
  policyPath: z.string(),
  localPath: z.string(),
  /** Win32_TSGeneralSetting read or refused: the registry decides either way. */
  wmi: wmiReadSchema,
});
export type SecurityLayerData = z.infer<typeof securityLayerDataSchema>;

export const SECURITY_LAYER_POLICY_NAME =
  'Require use of specific security layer for remote (RDP) connections (Computer Configuration > Administrative Templates > Windows Components > Remote Desktop Services > Remote Desktop Session Host > Security)';

const LAYER_NAMES: Record<number, string> = { 0: 'RDP', 1: 'Negotiate', 2: 'TLS' };
const ENCRYPTION_NAMES: Record<number, string> = { 1: 'Low', 2: 'Client compatible', 3: 'High', 4: 'FIPS compliant' };

export const SECURITY_LAYER_PROBE_ID = 'security-layer';

const SCRIPT = 'security-layer/Repair-RdpSecurityLayer.ps1';
// Each changes what the NLA check reads (NLA over the RDP layer), so it is re-checked too. Undoing
// Negotiate or TLS may put back the RDP layer (no TLS, no server authentication): they raise security.
const securityLayerFixes = declareHostFixes(SECURITY_LAYER_PROBE_ID, {
  setNegotiate: {
    id: 'security-layer.set-negotiate', title: 'Use the Negotiate security layer (TLS when the client supports it)',
    script: SCRIPT, parameters: { Layer: 'Negotiate' }, alsoRecheck: ['nla'], raisesSecurity: true,
  },
  setTls: { id: 'security-layer.set-tls', title: 'Use the TLS security layer', script: SCRIPT, parameters: { Layer: 'Tls' }, alsoRecheck: ['nla'], raisesSecurity: true },
  // Never offered by evaluate(): no failure these checks detect is cured by the RDP layer — it drops
  // server authentication and TLS, and with NLA on it blocks every sign-in. Kept so the catalog,
  // the CLI and undo records can name it; a person must ask for it explicitly.
  setRdp: {
    id: 'security-layer.set-rdp', title: 'Use the RDP security layer (lowers security: no TLS, no server authentication)', lowersSecurity: true,
    script: SCRIPT, parameters: { Layer: 'Rdp' }, alsoRecheck: ['nla'],
  },
});
export const SECURITY_LAYER_FIXES = securityLayerFixes.descriptors;

function named(value: number | null, names: Record<number, string>): string {
  if (value === null) return 'not set';
  return names[value] ? `${value} (${names[value]})` : `${value} (unrecognised)`;
}

function evidence(data: SecurityLayerData): Record<string, unknown> {
  const { securityLayer: layer, userAuthentication: nla, minEncryptionLevel: enc, allowSecProtocolNegotiation: neg } = data;
  return {
    'Effective SecurityLayer': named(layer.effective, LAYER_NAMES),
    'SecurityLayer set by': describeSettingSource(layer, data, 'SecurityLayer'),
    'SecurityLayer local / policy value': [layer.localValue, layer.policyValue],
    'WMI PolicySourceSecurityLayer': layer.wmiPolicySource,
    'WMI SecurityLayer (raw)': data.wmiSecurityLayer,
    'WMI (Win32_TSGeneralSetting)': describeWmiRead(data.wmi, 'the registry values decide'),
    'Effective UserAuthentication (NLA)': nla.effective,
    'UserAuthentication set by': describeSettingSource(nla, data, 'UserAuthentication'),
    'Effective MinEncryptionLevel': named(enc.effective, ENCRYPTION_NAMES),
    'MinEncryptionLevel set by': describeSettingSource(enc, data, 'MinEncryptionLevel'),
    'Effective fAllowSecProtocolNegotiation': neg.effective,
  };
}

/** The safe local fixes, or none when group policy decides the layer (a local write is overridden). */
function layerFixes(data: SecurityLayerData): FixDescriptor[] {
  if (isPolicyControlled(data.securityLayer)) return [];
  // Win32_TSGeneralSetting.SetSecurityLayer documents TLS (2) as invalid with MinEncryptionLevel 1.
  const tlsAllowed = data.minEncryptionLevel.effective !== 1;
  return tlsAllowed ? [SECURITY_LAYER_FIXES.setNegotiate, SECURITY_LAYER_FIXES.setTls] : [SECURITY_LAYER_FIXES.setNegotiate];
}

function policyNote(data: SecurityLayerData): Record<string, unknown> {
  return isPolicyControlled(data.securityLayer) ? { Policy: SECURITY_LAYER_POLICY_NAME } : {};
}

export function evaluateSecurityLayer(data: SecurityLayerData): Verdict {
  const shown = evidence(data);
  const layer = data.securityLayer.effective;
  const nla = data.userAuthentication.effective;
  const byPolicy = isPolicyControlled(data.securityLayer);
  if (layer === null || !(layer in LAYER_NAMES)) {
    return {
      status: 'unknown',
      summary: layer === null ? 'Could not read which security layer Remote Desktop uses.' : `The security layer has the unexpected value ${layer}, so how connections are protected is unclear.`,
      evidence: shown,
      fixes: [],
    };
  }
  if (layer === 0 && nla === 1) {
    return {
      status: 'fail',
      summary: byPolicy
        ? 'Group policy sets the security layer to RDP while Network Level Authentication is required, which cannot work together, so every sign-in fails; only that policy can change the layer (turning NLA off is the last resort, in the NLA check).'
        : 'Network Level Authentication is required but the security layer is set to RDP, which cannot carry it, so every sign-in fails; switching to Negotiate or TLS fixes it.',
      evidence: { ...shown, Contradiction: 'UserAuthentication 1 needs CredSSP, which runs inside TLS; SecurityLayer 0 offers no TLS.', ...policyNote(data) },
      fixes: layerFixes(data),
    };
  }
  if (layer === 0) {
    return {
      status: 'warn',
      summary: byPolicy
        ? 'Group policy sets the old RDP security layer: this computer is not verified to clients and clients that require TLS cannot connect; only that policy can change it.'
        : 'Connections use the old RDP security layer: this computer is not verified to clients and clients that require TLS cannot connect.',
      evidence: { ...shown, ...(nla === null ? { Note: 'Whether NLA is required could not be read.' } : {}), ...policyNote(data) },
      fixes: layerFixes(data),
    };
  }
  // Negotiate or TLS. The other settings only matter when they are unexpected or clash.
  const encryption = data.minEncryptionLevel.effective;
  const negotiation = data.allowSecProtocolNegotiation.effective;
  if ((encryption !== null && !(encryption in ENCRYPTION_NAMES)) || (negotiation !== null && negotiation !== 0 && negotiation !== 1) || (nla !== null && nla !== 0 && nla !== 1)) {
    return { status: 'unknown', summary: 'A Remote Desktop security setting has a value this check does not recognise.', evidence: shown, fixes: [] };
  }
  if (layer === 2 && encryption === 1) {
    return {
      status: 'warn',
      summary: 'The TLS security layer is combined with the "Low" encryption level, a pairing Windows documents as invalid; connections may fail.',
      evidence: shown,
      fixes: [],
    };
  }
  if (negotiation === 0) {
    return {
      status: 'warn',
      summary: 'Security protocol negotiation is turned off for Remote Desktop (Windows and Microsoft\'s repair steps use it), so some clients may not agree on a protocol.',
      evidence: shown,
      fixes: [],
    };
  }
  return {
    status: 'ok',
    summary: layer === 2 ? 'Remote Desktop connections are protected with TLS.' : 'Remote Desktop connections use TLS whenever the client supports it (Negotiate).',
    evidence: shown,
    fixes: [],
  };
}

export const securityLayerProbe: PowerShellProbe<typeof securityLayerDataSchema> = {
  kind: 'powershell',
  id: SECURITY_LAYER_PROBE_ID,
  title: 'Security layer',
  script: 'security-layer/Get-RdpSecurityLayer.ps1',
  dataSchema: securityLayerDataSchema,
  evaluate: (data) => evaluateSecurityLayer(data),
  fixes: securityLayerFixes.declarations,
};
