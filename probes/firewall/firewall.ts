/**
 * Firewall: whether Windows Firewall lets RDP in on the configured port for the network profile
 * each NIC is in (RDP-FACTS.md §5). Rules are found by Name/Group, never by display text.
 * Firewall off entirely is a warning (nothing is blocked), not a connection failure.
 */
import { z } from 'zod';
import type { FixDescriptor } from '../common/finding.js';
import type { PowerShellProbe, Verdict } from '../common/probe.js';
import { serviceStateSchema } from '../common/service-state.js';
import {
  analyzeActiveProfiles,
  describeUnreachable,
  FIREWALL_PROBE_ID,
  firewallFixes,
  fixesForCauses,
  isUnreachable,
  profileLabel,
  type ProfileAnalysis,
} from './firewall-analysis.js';
import { UnrecognisedValue } from './firewall-rules.js';

export { FIREWALL_FIXES, FIREWALL_PROBE_ID } from './firewall-analysis.js';

const ruleSchema = z.object({
  name: z.string(),
  displayName: z.string(),
  group: z.string(),
  /** Matched by Name RemoteDesktop-* or Group @FirewallAPI.dll,-28752 (else: another rule on the port). */
  rdpGroup: z.boolean(),
  enabled: z.string(),
  profile: z.string(),
  direction: z.string(),
  action: z.string(),
  policyStoreSourceType: z.string(),
  protocol: z.string().nullable(),
  localPorts: z.array(z.string()),
  program: z.string().nullable(),
  service: z.string().nullable(),
  remoteAddresses: z.array(z.string()),
});
export type FirewallRule = z.infer<typeof ruleSchema>;

export const firewallDataSchema = z.object({
  port: z.number().int().min(1).max(65535),
  portSource: z.enum(['local', 'default']),
  rdpRules: z.array(ruleSchema),
  /** Other enabled inbound rules whose port filter covers the port and that admit svchost/TermService. */
  portRules: z.array(ruleSchema),
  profiles: z.array(
    z.object({
      name: z.string(),
      enabled: z.string(),
      defaultInboundAction: z.string(),
      allowInboundRules: z.string(),
      allowLocalFirewallRules: z.string(),
    }),
  ),
  connectionProfiles: z.array(
    z.object({ name: z.string(), interfaceAlias: z.string(), interfaceIndex: z.number().int(), networkCategory: z.string() }),
  ),
  services: z.array(serviceStateSchema),
  /** Firewalls registered with Security Center (root/SecurityCenter2, client SKUs); available false on servers. */
  securityCenter: z.object({
    available: z.boolean(),
    products: z.array(z.object({ name: z.string(), productState: z.number().int(), enabled: z.boolean() })),
  }),
});
export type FirewallData = z.infer<typeof firewallDataSchema>;

function describeRule(rule: FirewallRule): string {
  const ports = rule.localPorts.join(',');
  const scope = rule.remoteAddresses.includes('Any') ? '' : `, from ${rule.remoteAddresses.join(',')}`;
  const program = rule.program && rule.program !== 'Any' ? `, program ${rule.program}` : '';
  return `${rule.name}: Enabled=${rule.enabled}, Profile=${rule.profile}, ${rule.direction} ${rule.action}, ${rule.protocol ?? '?'} ${ports}${scope}${program}, source ${rule.policyStoreSourceType}`;
}

function describeAnalysis(analysis: ProfileAnalysis): string {
  const details: string[] = [analysis.state];
  if (analysis.allowedBy.length > 0) details.push(`allowed by ${analysis.allowedBy.join(', ')}`);
  if (analysis.blockedBy.length > 0) details.push(`blocked by ${analysis.blockedBy.map((rule) => rule.name).join(', ')}`);
  if (analysis.partlyBlockedBy.length > 0) details.push(`partly blocked by ${analysis.partlyBlockedBy.map((rule) => rule.name).join(', ')}`);
  if (analysis.causes.length > 0) details.push(`causes: ${analysis.causes.join(', ')}`);
  details.push(`UDP ${analysis.udpAllowed ? 'allowed' : 'not allowed'}`);
  return `${analysis.profile} (${analysis.adapters.join(', ')}): ${details.join('; ')}`;
}

function evidence(data: FirewallData): Record<string, unknown> {
  return {
    'Configured port': data.portSource === 'local' ? `${data.port} (RDP-Tcp PortNumber)` : `${data.port} (default; PortNumber not set)`,
    'Network adapters': data.connectionProfiles.map(
      (connection) => `${connection.interfaceAlias}: ${connection.networkCategory} (${connection.name})`,
    ),
    'Firewall profiles': data.profiles.map(
      (profile) =>
        `${profile.name}: Enabled=${profile.enabled}, DefaultInboundAction=${profile.defaultInboundAction}, AllowInboundRules=${profile.allowInboundRules}, AllowLocalFirewallRules=${profile.allowLocalFirewallRules}`,
    ),
    'Remote Desktop rules': data.rdpRules.map(describeRule),
    'Other rules on the port': data.portRules.map(describeRule),
    Services: data.services.map((service) =>
      service.present ? `${service.name}: ${service.state ?? '?'} (${service.startMode ?? '?'})` : `${service.name}: not installed`,
    ),
    'Security Center firewalls': !data.securityCenter.available
      ? 'not available (no root/SecurityCenter2 on this Windows)'
      : data.securityCenter.products.length === 0
        ? 'none registered'
        : data.securityCenter.products.map((product) => `${product.name}: ${product.enabled ? 'on' : 'off'} (productState 0x${product.productState.toString(16)})`),
  };
}

/** Windows Firewall is not filtering: a third-party firewall registered with Security Center decides instead. */
function thirdPartyNote(data: FirewallData, what: string): string | null {
  const names = data.securityCenter.products.filter((product) => product.enabled).map((product) => product.name);
  if (names.length === 0) return null;
  return `${what}, but ${names.join(' and ')} is registered as this computer's firewall (Security Center), and whether it lets Remote Desktop in cannot be read from here.`;
}

function uniqueFixes(fixes: FixDescriptor[]): FixDescriptor[] {
  return fixes.filter((candidate, index) => fixes.findIndex((other) => other.id === candidate.id) === index);
}

function judge(data: FirewallData, shown: Record<string, unknown>): Verdict {
  const verdict = (status: Verdict['status'], summary: string, fixes: FixDescriptor[] = []): Verdict => ({
    status,
    summary,
    evidence: shown,
    fixes: uniqueFixes(fixes),
  });
  const mps = data.services.find((service) => service.name === 'MpsSvc');
  const bfe = data.services.find((service) => service.name === 'BFE');
  if (!mps?.present) return verdict('unknown', 'Could not find the Windows Firewall service (MpsSvc), so the firewall state is unknown.');
  if (mps.state !== 'Running') {
    return verdict('warn', thirdPartyNote(data, 'The Windows Firewall service is not running') ??
      'The Windows Firewall service is not running, so the firewall is not filtering anything: Remote Desktop is not blocked, but this computer is unprotected.');
  }
  if (data.connectionProfiles.length === 0) {
    return verdict('unknown', 'No connected network was found, so which firewall profile applies to Remote Desktop is unknown.');
  }

  const analyses = analyzeActiveProfiles(data);
  shown['Result per network profile'] = analyses.map(describeAnalysis);
  const unreachable = analyses.filter(isUnreachable);
  const blockFixes = unreachable.flatMap((analysis) => fixesForCauses(analysis.causes, analysis.profile));
  if (unreachable.length === analyses.length) {
    return verdict('fail', describeUnreachable(unreachable[0]!, data), blockFixes);
  }

  const warnings: string[] = [];
  const fixes: FixDescriptor[] = [...blockFixes];
  for (const analysis of unreachable) {
    const open = analyses.filter((other) => !isUnreachable(other)).map(profileLabel).join(' and ');
    warnings.push(`Remote Desktop gets through the firewall on the ${open} but not on the ${profileLabel(analysis)}. ${describeUnreachable(analysis, data)}`);
  }
  for (const analysis of analyses) {
    if (analysis.state === 'firewall-off') {
      warnings.push(thirdPartyNote(data, `Windows Firewall is turned off for the ${profileLabel(analysis)}`) ??
        `The firewall is turned off for the ${profileLabel(analysis)}: Remote Desktop is not blocked, but nothing else is either.`);
    }
    if (analysis.state === 'partly-blocked') {
      const names = analysis.partlyBlockedBy.map((rule) => `"${rule.displayName ?? rule.name}"`).join(', ');
      warnings.push(`The firewall rule ${names} blocks Remote Desktop from some addresses on the ${profileLabel(analysis)}.`);
    }
    if (!isUnreachable(analysis) && !analysis.udpAllowed) {
      warnings.push(`Remote Desktop over UDP is blocked on the ${profileLabel(analysis)}, so sessions fall back to TCP and may feel slower.`);
      fixes.push(...fixesForCauses(analysis.udpCauses, analysis.profile));
    }
  }
  if (mps.startMode === 'Disabled') warnings.push('The Windows Firewall service is set to Disabled, so it will not start again after a restart.');
  if (bfe && bfe.state !== 'Running') {
    warnings.push('The Base Filtering Engine service (BFE), which Windows Firewall depends on, is not running.');
  }
  if (warnings.length > 0) {
    shown['Warnings'] = warnings;
    return verdict('warn', warnings[0]!, fixes);
  }
  const where = analyses.map(profileLabel).join(' and ');
  return verdict('ok', `The firewall lets Remote Desktop in on port ${data.port} on the ${where}.`);
}

export function evaluateFirewall(data: FirewallData): Verdict {
  const shown = evidence(data);
  try {
    return judge(data, shown);
  } catch (error) {
    if (!(error instanceof UnrecognisedValue)) throw error;
    return {
      status: 'unknown',
      summary: 'The firewall reported a setting this version does not recognise, so whether it lets Remote Desktop in is unknown.',
      evidence: { ...shown, Unrecognised: error.message },
      fixes: [],
    };
  }
}

export const firewallProbe: PowerShellProbe<typeof firewallDataSchema> = {
  kind: 'powershell',
  id: FIREWALL_PROBE_ID,
  title: 'Firewall',
  script: 'firewall/Get-RdpFirewall.ps1',
  dataSchema: firewallDataSchema,
  evaluate: (data) => evaluateFirewall(data),
  fixes: firewallFixes.declarations,
};
