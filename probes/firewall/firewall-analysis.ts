/**
 * Per network profile in use: does the firewall let RDP in, and if not, why and which fix helps.
 * Windows applies one firewall profile per connected NIC (its NetworkCategory); a block rule beats
 * an allow rule; AllowInboundRules False drops every allow rule; AllowLocalFirewallRules False drops
 * the local ones (group-policy rules still count).
 */
import type { FixDescriptor } from '../common/finding.js';
import { declareHostFixes } from '../common/fixes.js';
import type { FirewallData } from './firewall.js';
import {
  admitsTermService,
  gpoBoolean,
  isLocalRule,
  isTrue,
  portsCover,
  profileOfCategory,
  remoteUnrestricted,
  ruleMatches,
  ruleProfiles,
  UnrecognisedValue,
  type ProfileName,
  type RuleFacts,
  type Transport,
} from './firewall-rules.js';

/** The Firewall probe's id (firewall.ts re-exports it): its fixes are declared here, with the causes they cure. */
export const FIREWALL_PROBE_ID = 'firewall';

const SCRIPT = 'firewall/Repair-RdpFirewall.ps1';
export const firewallFixes = declareHostFixes(FIREWALL_PROBE_ID, {
  enableRules: { id: 'firewall.enable-rules', title: 'Turn on the Remote Desktop firewall rules (domain and private networks)', script: SCRIPT, parameters: { Action: 'EnableRules' } },
  enableRulesPublic: {
    id: 'firewall.enable-rules-public',
    title: 'Allow Remote Desktop through the firewall on public networks (widens exposure: anyone on that network can reach the sign-in)',
    lowersSecurity: true,
    script: SCRIPT, parameters: { Action: 'EnableRulesPublic' },
  },
  alignPort: { id: 'firewall.align-port', title: 'Open the configured Remote Desktop port in the firewall rule', script: SCRIPT, parameters: { Action: 'AlignPort' } },
});
export const FIREWALL_FIXES = firewallFixes.descriptors;

export type ProfileState = 'firewall-off' | 'all-inbound-blocked' | 'blocked' | 'no-allow-rule' | 'partly-blocked' | 'allowed';
/** Why no allow rule admits RDP, in the order a summary names them. */
export type MissingCause = 'local-rules-ignored' | 'no-rdp-rules' | 'rules-not-for-profile' | 'rules-off' | 'port-mismatch';

export interface ProfileAnalysis {
  profile: ProfileName;
  adapters: string[];
  state: ProfileState;
  allowedBy: string[];
  blockedBy: RuleFacts[];
  partlyBlockedBy: RuleFacts[];
  causes: MissingCause[];
  udpAllowed: boolean;
  udpCauses: MissingCause[];
}

const UNREACHABLE: readonly ProfileState[] = ['all-inbound-blocked', 'blocked', 'no-allow-rule'];

export function isUnreachable(analysis: ProfileAnalysis): boolean {
  return UNREACHABLE.includes(analysis.state);
}

function relevantRules(data: FirewallData): RuleFacts[] {
  const seen = new Set<string>();
  return [...data.rdpRules, ...data.portRules].filter((rule) => !seen.has(rule.name) && seen.add(rule.name));
}

/** The built-in user-mode rules for one transport (the shadowing rule admits RdpSa.exe only). */
function rdpRulesFor(data: FirewallData, transport: Transport): RuleFacts[] {
  return data.rdpRules.filter(
    (rule) => rule.direction === 'Inbound' && rule.action === 'Allow' && rule.protocol === transport && admitsTermService(rule),
  );
}

function missingCauses(data: FirewallData, profile: ProfileName, transport: Transport, allowLocal: boolean): MissingCause[] {
  const causes: MissingCause[] = [];
  const ignored = relevantRules(data).some((rule) => isLocalRule(rule) && ruleMatches(rule, profile, transport, data.port, 'Allow'));
  if (!allowLocal && ignored) return ['local-rules-ignored'];
  const rdp = rdpRulesFor(data, transport);
  if (rdp.length === 0) return ['no-rdp-rules'];
  const forProfile = rdp.filter((rule) => ruleProfiles(rule.profile).has(profile));
  const enabled = (rule: RuleFacts): boolean => isTrue(rule.enabled, `Enabled of ${rule.name}`);
  if (forProfile.length === 0) {
    causes.push('rules-not-for-profile');
    if (!rdp.some(enabled)) causes.push('rules-off');
  } else if (!forProfile.some(enabled)) {
    causes.push('rules-off');
  }
  if (!rdp.some((rule) => portsCover(rule.localPorts, data.port))) causes.push('port-mismatch');
  return causes;
}

function allowers(data: FirewallData, profile: ProfileName, transport: Transport, allowLocal: boolean): RuleFacts[] {
  return relevantRules(data).filter(
    (rule) => ruleMatches(rule, profile, transport, data.port, 'Allow') && (allowLocal || !isLocalRule(rule)),
  );
}

function blockers(data: FirewallData, profile: ProfileName, transport: Transport, allowLocal: boolean): RuleFacts[] {
  return relevantRules(data).filter(
    (rule) => ruleMatches(rule, profile, transport, data.port, 'Block') && (allowLocal || !isLocalRule(rule)),
  );
}

function analyzeProfile(data: FirewallData, profile: ProfileName, adapters: string[]): ProfileAnalysis {
  const settings = data.profiles.find((entry) => entry.name === profile);
  if (!settings) throw new UnrecognisedValue(`no firewall settings were read for the ${profile} profile`);
  const firewallOn = gpoBoolean(settings.enabled, true, `Enabled of the ${profile} profile`);
  const inboundRulesHonoured = gpoBoolean(settings.allowInboundRules, true, `AllowInboundRules of the ${profile} profile`);
  const allowLocal = gpoBoolean(settings.allowLocalFirewallRules, true, `AllowLocalFirewallRules of the ${profile} profile`);

  const allowed = allowers(data, profile, 'TCP', allowLocal);
  const blocking = blockers(data, profile, 'TCP', allowLocal);
  const fullBlock = blocking.filter(remoteUnrestricted);
  const partBlock = blocking.filter((rule) => !remoteUnrestricted(rule));
  const udpAllowed =
    inboundRulesHonoured && allowers(data, profile, 'UDP', allowLocal).length > 0 &&
    !blockers(data, profile, 'UDP', allowLocal).some(remoteUnrestricted);

  let state: ProfileState = 'allowed';
  let causes: MissingCause[] = [];
  if (!firewallOn) state = 'firewall-off';
  else if (!inboundRulesHonoured) state = 'all-inbound-blocked';
  else if (fullBlock.length > 0) state = 'blocked';
  else if (allowed.length === 0) {
    state = 'no-allow-rule';
    causes = missingCauses(data, profile, 'TCP', allowLocal);
  } else if (partBlock.length > 0) state = 'partly-blocked';

  const udpCauses = firewallOn && !udpAllowed && inboundRulesHonoured ? missingCauses(data, profile, 'UDP', allowLocal) : [];
  return {
    profile,
    adapters,
    state,
    allowedBy: allowed.map((rule) => rule.name),
    blockedBy: fullBlock,
    partlyBlockedBy: partBlock,
    causes,
    udpAllowed: !firewallOn || udpAllowed,
    udpCauses,
  };
}

/** One analysis per firewall profile that a connected NIC is in. */
export function analyzeActiveProfiles(data: FirewallData): ProfileAnalysis[] {
  const adaptersByProfile = new Map<ProfileName, string[]>();
  for (const connection of data.connectionProfiles) {
    const profile = profileOfCategory(connection.networkCategory);
    adaptersByProfile.set(profile, [...(adaptersByProfile.get(profile) ?? []), connection.interfaceAlias]);
  }
  return [...adaptersByProfile].map(([profile, adapters]) => analyzeProfile(data, profile, adapters));
}

/** The fixes that would cure a set of causes on this profile (none when policy or missing rules are the cause). */
export function fixesForCauses(causes: MissingCause[], profile: ProfileName): FixDescriptor[] {
  if (causes.includes('local-rules-ignored') || causes.includes('no-rdp-rules')) return [];
  const fixes: FixDescriptor[] = [];
  if (causes.includes('port-mismatch')) fixes.push(FIREWALL_FIXES.alignPort);
  if (causes.includes('rules-off') || causes.includes('rules-not-for-profile')) {
    fixes.push(profile === 'Public' ? FIREWALL_FIXES.enableRulesPublic : FIREWALL_FIXES.enableRules);
  }
  return fixes;
}

export function profileLabel(analysis: Pick<ProfileAnalysis, 'profile' | 'adapters'>): string {
  return `${analysis.profile.toLowerCase()} network (${analysis.adapters.join(', ')})`;
}

function ruleLabel(rule: RuleFacts): string {
  return rule.displayName ? `"${rule.displayName}"` : `"${rule.name}"`;
}

function rdpRulePorts(data: FirewallData): string {
  const ports = new Set(rdpRulesFor(data, 'TCP').flatMap((rule) => rule.localPorts));
  return [...ports].join(', ') || 'none';
}

function rdpRuleProfiles(data: FirewallData): string {
  const profiles = new Set(rdpRulesFor(data, 'TCP').flatMap((rule) => [...ruleProfiles(rule.profile)]));
  return [...profiles].map((profile) => profile.toLowerCase()).join(' and ') || 'no';
}

/** One sentence on why RDP cannot get in on this profile. */
export function describeUnreachable(analysis: ProfileAnalysis, data: FirewallData): string {
  const where = `the ${profileLabel(analysis)}`;
  if (analysis.state === 'all-inbound-blocked') {
    return `The firewall blocks every incoming connection on ${where}, Remote Desktop included.`;
  }
  if (analysis.state === 'blocked') {
    const rule = analysis.blockedBy[0];
    const label = rule ? ruleLabel(rule) : 'A block rule';
    return `The firewall rule ${label} blocks port ${data.port} on ${where}, and a block rule wins over the Remote Desktop allow rules.`;
  }
  const [cause] = analysis.causes;
  switch (cause) {
    case 'local-rules-ignored':
      return `Group policy makes the firewall ignore local rules on ${where}, and only a local rule allows Remote Desktop.`;
    case 'no-rdp-rules':
      return `No firewall rule allows Remote Desktop on TCP port ${data.port} for ${where}, and the built-in Remote Desktop rules are missing.`;
    case 'rules-not-for-profile':
      return `The firewall's Remote Desktop rules apply only to ${rdpRuleProfiles(data)} networks, but this computer is on ${where}, so connections are dropped.`;
    case 'rules-off':
      return `The firewall's Remote Desktop rules are turned off, so connections to port ${data.port} on ${where} are dropped.`;
    case 'port-mismatch':
      return `Remote Desktop uses port ${data.port}, but the firewall's Remote Desktop rule opens port ${rdpRulePorts(data)}, so connections are dropped.`;
    default:
      return `No firewall rule lets Remote Desktop in on TCP port ${data.port} for ${where}.`;
  }
}
