/**
 * Which firewall rules let TermService's connections in, per network profile (RDP-FACTS.md §5).
 * Pure functions over the values the probe read; every enum arrives as its name ('True', 'Any',
 * 'Domain, Private'). A value these functions do not recognise throws UnrecognisedValue, which
 * the probe reports as `unknown` rather than guessing.
 */

export const PROFILE_NAMES = ['Domain', 'Private', 'Public'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];
export type Transport = 'TCP' | 'UDP';

export class UnrecognisedValue extends Error {}

export interface RuleFacts {
  name: string;
  displayName?: string;
  enabled: string;
  profile: string;
  direction: string;
  action: string;
  policyStoreSourceType: string;
  protocol: string | null;
  localPorts: string[];
  program: string | null;
  service: string | null;
  remoteAddresses: string[];
}

/** Profile flags: Domain 1, Private 2, Public 4; Any (0) and all bits mean every profile. */
const PROFILE_BITS: Record<ProfileName, number> = { Domain: 1, Private: 2, Public: 4 };

export function ruleProfiles(text: string): Set<ProfileName> {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) {
    const bits = Number(trimmed);
    if (bits === 0 || (bits & 7) === 7) return new Set(PROFILE_NAMES);
    return new Set(PROFILE_NAMES.filter((name) => (bits & PROFILE_BITS[name]) !== 0));
  }
  const names = trimmed.split(',').map((part) => part.trim());
  if (names.includes('Any')) return new Set(PROFILE_NAMES);
  const profiles = new Set<ProfileName>();
  for (const name of names) {
    const known = PROFILE_NAMES.find((profile) => profile === name);
    if (!known) throw new UnrecognisedValue(`rule profile "${text}"`);
    profiles.add(known);
  }
  return profiles;
}

/** NetConnectionProfile NetworkCategory → the firewall profile Windows applies to that NIC. */
export function profileOfCategory(category: string): ProfileName {
  switch (category) {
    case 'DomainAuthenticated':
    case '2':
      return 'Domain';
    case 'Private':
    case '1':
      return 'Private';
    case 'Public':
    case '0':
      return 'Public';
    default:
      throw new UnrecognisedValue(`network category "${category}"`);
  }
}

export function isTrue(value: string, what: string): boolean {
  if (value === 'True') return true;
  if (value === 'False') return false;
  throw new UnrecognisedValue(`${what} "${value}"`);
}

/** GpoBoolean of a firewall profile: NotConfigured means the Windows default. */
export function gpoBoolean(value: string, defaultValue: boolean, what: string): boolean {
  if (value === 'NotConfigured' || value === '') return defaultValue;
  return isTrue(value, what);
}

export function protocolCovers(protocol: string | null, transport: Transport): boolean {
  if (protocol === null) return false;
  if (protocol === 'Any' || protocol === transport) return true;
  return (transport === 'TCP' && protocol === '6') || (transport === 'UDP' && protocol === '17');
}

/** LocalPort entries: Any, a number, a range a-b, or keywords (RPC, IPHTTPSIn...) that never mean the RDP port. */
export function portsCover(localPorts: string[], port: number): boolean {
  return localPorts.some((entry) => {
    if (entry === 'Any') return true;
    if (/^\d+$/.test(entry)) return Number(entry) === port;
    const range = /^(\d+)-(\d+)$/.exec(entry);
    return range !== null && Number(range[1]) <= port && port <= Number(range[2]);
  });
}

/** TermService runs in svchost.exe: a rule for another program or another service does not admit it. */
export function admitsTermService(rule: Pick<RuleFacts, 'program' | 'service'>): boolean {
  const program = rule.program ?? 'Any';
  const service = (rule.service ?? 'Any').toLowerCase();
  const programOk = program === 'Any' || /(^|\\)svchost\.exe$/i.test(program);
  return programOk && (service === 'any' || service === '*' || service === 'termservice');
}

export function remoteUnrestricted(rule: Pick<RuleFacts, 'remoteAddresses'>): boolean {
  return rule.remoteAddresses.length === 0 || rule.remoteAddresses.includes('Any');
}

/** Whether a rule, if Windows honours it, matches RDP traffic on this profile, transport and port. */
export function ruleMatches(rule: RuleFacts, profile: ProfileName, transport: Transport, port: number, action: 'Allow' | 'Block'): boolean {
  return (
    isTrue(rule.enabled, `Enabled of ${rule.name}`) &&
    rule.direction === 'Inbound' &&
    rule.action === action &&
    ruleProfiles(rule.profile).has(profile) &&
    protocolCovers(rule.protocol, transport) &&
    portsCover(rule.localPorts, port) &&
    admitsTermService(rule)
  );
}

/**
 * Rule sources that AllowLocalFirewallRules False cannot switch off: policy (GroupPolicy, MDM) and the
 * rules Windows makes itself (Generated, Hardcoded). Everything else - Local, Dynamic (made at run time
 * by programs), or a source that was not read - may be ignored then, so it is not counted on.
 */
const ENFORCED_SOURCES = new Set(['GroupPolicy', 'MDM', 'Generated', 'Hardcoded']);

/** AllowLocalFirewallRules False: Windows ignores rules from the local store. */
export function isLocalRule(rule: Pick<RuleFacts, 'policyStoreSourceType'>): boolean {
  return !ENFORCED_SOURCES.has(rule.policyStoreSourceType);
}
