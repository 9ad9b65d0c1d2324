import { readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isSafeFix } from '../../../probes/common/fixes.js';
import { findingFromOutput } from '../../../probes/common/probe.js';
import { evaluateFirewall, firewallProbe, FIREWALL_FIXES, type FirewallData, type FirewallRule } from '../../../probes/firewall/firewall.js';
import { admitsTermService, portsCover, ruleProfiles } from '../../../probes/firewall/firewall-rules.js';
import { fixIds, recordedData, recordedFinding } from './recorded-fixture.js';

const RECORDED = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/envelopes/firewall');
const FIREWALL_SCENARIOS = ['firewall-local-rules-ignored', 'firewall-third-party', 'firewall-public-blocked', 'custom-port-3390'];

function healthy(): FirewallData {
  return structuredClone(recordedData<FirewallData>(firewallProbe, 'healthy'));
}

function rule(data: FirewallData, name: string): FirewallRule {
  const found = data.rdpRules.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no rule ${name} in the recorded data`);
  return found;
}

function extraRule(overrides: Partial<FirewallRule>): FirewallRule {
  return {
    name: 'Custom', displayName: 'Custom rule', group: '', rdpGroup: false, enabled: 'True', profile: 'Any', direction: 'Inbound',
    action: 'Allow', policyStoreSourceType: 'Local', protocol: 'TCP', localPorts: ['3389'], program: 'Any', service: 'Any',
    remoteAddresses: ['Any'], ...overrides,
  };
}

describe('firewall probe on recorded scenarios', () => {
  it('is ok on the healthy host, naming the port and the network', () => {
    const finding = recordedFinding(firewallProbe, 'healthy');
    expect(finding.status).toBe('ok');
    expect(finding.summary).toContain('3389');
    expect(finding.summary).toContain('domain network (Ethernet)');
    expect(finding.fixes).toEqual([]);
    expect(finding.evidence['Remote Desktop rules']).toContain(
      'RemoteDesktop-UserMode-In-TCP: Enabled=True, Profile=Any, Inbound Allow, TCP 3389, program %SystemRoot%\\system32\\svchost.exe, source Local',
    );
  });

  it('fails when the rules cover Domain and Private but the NIC is Public, offering the fix that says it widens exposure', () => {
    const finding = recordedFinding(firewallProbe, 'firewall-public-blocked');
    expect(finding.status).toBe('fail');
    expect(finding.summary).toMatch(/only to domain and private networks.*public network \(Ethernet\)/);
    expect(fixIds(finding)).toEqual(['firewall.enable-rules-public']);
    expect(finding.fixes[0]?.lowersSecurity).toBe(true);
    expect(finding.fixes[0]?.title).toMatch(/widens exposure/);
    expect(isSafeFix(finding.fixes[0]!)).toBe(false);
  });

  it('fails when the rule opens 3389 but RDP listens on 3390, offering to align the port', () => {
    const finding = recordedFinding(firewallProbe, 'custom-port-3390');
    expect(finding.status).toBe('fail');
    expect(finding.summary).toBe("Remote Desktop uses port 3390, but the firewall's Remote Desktop rule opens port 3389, so connections are dropped.");
    expect(fixIds(finding)).toEqual(['firewall.align-port']);
    expect(isSafeFix(finding.fixes[0]!)).toBe(true);
  });

  it('is ok on the German host, where every display name is German', () => {
    const finding = recordedFinding(firewallProbe, 'german-host');
    expect(finding.status).toBe('ok');
    expect(finding.summary).toContain('private network');
  });

  const others = readdirSync(RECORDED).map((file) => file.replace(/\.json$/, '')).filter((name) => !FIREWALL_SCENARIOS.includes(name));
  it.each(others)('is ok on %s, a scenario that leaves the firewall alone', (scenario) => {
    expect(recordedFinding(firewallProbe, scenario).status).toBe('ok');
  });
});

describe('evaluateFirewall edge cases', () => {
  it('fails with enable-rules when the TCP rule is off on a domain network', () => {
    const data = healthy();
    rule(data, 'RemoteDesktop-UserMode-In-TCP').enabled = 'False';
    const verdict = evaluateFirewall(data);
    expect(verdict.status).toBe('fail');
    expect(verdict.summary).toMatch(/rules are turned off/);
    expect(verdict.fixes).toEqual([FIREWALL_FIXES.enableRules]);
  });

  it('does not count the shadowing rule (RdpSa.exe only) as letting RDP in', () => {
    const data = healthy();
    rule(data, 'RemoteDesktop-UserMode-In-TCP').enabled = 'False';
    expect(rule(data, 'RemoteDesktop-Shadow-In-TCP').enabled).toBe('True');
    expect(evaluateFirewall(data).status).toBe('fail');
  });

  it('offers the public variant (lowers security) when the rule to turn on would open a public network', () => {
    const data = healthy();
    rule(data, 'RemoteDesktop-UserMode-In-TCP').enabled = 'False';
    data.connectionProfiles[0]!.networkCategory = 'Public';
    expect(evaluateFirewall(data).fixes).toEqual([FIREWALL_FIXES.enableRulesPublic]);
  });

  it('warns when only the UDP rule is off: RDP falls back to TCP', () => {
    const data = healthy();
    rule(data, 'RemoteDesktop-UserMode-In-UDP').enabled = 'False';
    const verdict = evaluateFirewall(data);
    expect(verdict.status).toBe('warn');
    expect(verdict.summary).toMatch(/UDP.*fall back to TCP/);
    expect(verdict.fixes).toEqual([FIREWALL_FIXES.enableRules]);
  });

  it('fails without a fix when an enabled block rule covers the port: block beats allow', () => {
    const data = healthy();
    data.portRules.push(extraRule({ name: 'Block-RDP', displayName: 'Block RDP', action: 'Block', localPorts: ['3000-3999'], policyStoreSourceType: 'GroupPolicy' }));
    const verdict = evaluateFirewall(data);
    expect(verdict.status).toBe('fail');
    expect(verdict.summary).toMatch(/"Block RDP" blocks port 3389/);
    expect(verdict.fixes).toEqual([]);
  });

  it('only warns about a block rule scoped to some remote addresses', () => {
    const data = healthy();
    data.portRules.push(extraRule({ name: 'Block-Some', action: 'Block', remoteAddresses: ['203.0.113.0/24'] }));
    const verdict = evaluateFirewall(data);
    expect(verdict.status).toBe('warn');
    expect(verdict.summary).toMatch(/from some addresses/);
  });

  it('ignores a block rule for another profile, another program, another port or the other direction', () => {
    const data = healthy();
    data.portRules.push(
      extraRule({ name: 'B1', action: 'Block', profile: 'Public' }),
      extraRule({ name: 'B2', action: 'Block', program: 'C:\\app\\other.exe' }),
      extraRule({ name: 'B3', action: 'Block', localPorts: ['3390', '5000-6000', 'RPC'] }),
      extraRule({ name: 'B4', action: 'Block', direction: 'Outbound' }),
      extraRule({ name: 'B5', action: 'Block', enabled: 'False' }),
    );
    expect(evaluateFirewall(data).status).toBe('ok');
  });

  it('fails without a fix when policy ignores local rules and only local rules allow RDP', () => {
    const data = healthy();
    data.profiles.find((profile) => profile.name === 'Domain')!.allowLocalFirewallRules = 'False';
    const verdict = evaluateFirewall(data);
    expect(verdict.status).toBe('fail');
    expect(verdict.summary).toMatch(/Group policy makes the firewall ignore local rules/);
    expect(verdict.fixes).toEqual([]);
  });

  it('is ok when policy ignores local rules but a group-policy rule allows RDP', () => {
    const data = healthy();
    data.profiles.find((profile) => profile.name === 'Domain')!.allowLocalFirewallRules = 'False';
    data.portRules.push(extraRule({ name: 'GPO-RDP', policyStoreSourceType: 'GroupPolicy', program: '%SystemRoot%\\system32\\svchost.exe', service: 'TermService' }));
    expect(evaluateFirewall(data).status).toBe('warn'); // UDP is only allowed by the ignored local rule
    data.portRules.push(extraRule({ name: 'GPO-RDP-UDP', protocol: 'UDP', policyStoreSourceType: 'GroupPolicy' }));
    expect(evaluateFirewall(data).status).toBe('ok');
  });

  it('fails when policy ignores local rules and only the traced local Remote Desktop rules allow RDP (firewall-local-rules-ignored)', () => {
    const finding = recordedFinding(firewallProbe, 'firewall-local-rules-ignored');
    expect(finding.status).toBe('fail');
    expect(finding.summary).toMatch(/Group policy makes the firewall ignore local rules/);
    expect(finding.evidence['Remote Desktop rules']).toEqual(expect.arrayContaining([expect.stringMatching(/^RemoteDesktop-UserMode-In-TCP: .*source Local$/)]));
  });

  it('counts GroupPolicy and MDM rules when local rules are ignored, but not Dynamic ones or an unread source (firewall-policy-sources)', () => {
    expect(recordedFinding(firewallProbe, 'firewall-policy-sources').status).toBe('ok');
    const data = structuredClone(recordedData<FirewallData>(firewallProbe, 'firewall-policy-sources'));
    const sources = [...data.rdpRules, ...data.portRules].map((rule) => rule.policyStoreSourceType);
    expect(new Set(sources)).toEqual(new Set(['Local', 'GroupPolicy', 'MDM', 'Dynamic']));
    for (const rule of data.portRules) if (rule.policyStoreSourceType === 'GroupPolicy') rule.policyStoreSourceType = 'Dynamic';
    expect(evaluateFirewall(data).status).toBe('fail');
    for (const rule of data.portRules) if (rule.policyStoreSourceType === 'Dynamic') rule.policyStoreSourceType = '';
    expect(evaluateFirewall(data).status).toBe('fail');
  });

  it('names a third-party firewall registered with Security Center when Windows Firewall is off (firewall-third-party)', () => {
    const finding = recordedFinding(firewallProbe, 'firewall-third-party');
    expect(finding.status).toBe('warn');
    expect(finding.summary).toBe(
      "Windows Firewall is turned off for the domain network (Ethernet), but Contoso Endpoint Firewall is registered as this computer's firewall (Security Center), and whether it lets Remote Desktop in cannot be read from here.",
    );
    expect(finding.evidence['Security Center firewalls']).toEqual(['Contoso Endpoint Firewall: on (productState 0x41010)']);
    expect(recordedFinding(firewallProbe, 'healthy').evidence['Security Center firewalls']).toBe('none registered');
  });

  it('is ok with a custom allow rule on a custom port, by number or range', () => {
    const data = structuredClone(recordedData<FirewallData>(firewallProbe, 'custom-port-3390'));
    data.portRules.push(extraRule({ name: 'RDP-3390', localPorts: ['3390'] }), extraRule({ name: 'RDP-UDP', protocol: 'UDP', localPorts: ['3000-3999'] }));
    expect(evaluateFirewall(data).status).toBe('ok');
  });

  it('fails when the firewall blocks every incoming connection (AllowInboundRules False)', () => {
    const data = healthy();
    data.profiles.find((profile) => profile.name === 'Domain')!.allowInboundRules = 'False';
    const verdict = evaluateFirewall(data);
    expect(verdict.status).toBe('fail');
    expect(verdict.summary).toMatch(/blocks every incoming connection/);
  });

  it('warns, not fails, when the firewall is off for the profile in use, even with the rules off', () => {
    const data = healthy();
    data.profiles.find((profile) => profile.name === 'Domain')!.enabled = 'False';
    rule(data, 'RemoteDesktop-UserMode-In-TCP').enabled = 'False';
    const verdict = evaluateFirewall(data);
    expect(verdict.status).toBe('warn');
    expect(verdict.summary).toMatch(/turned off for the domain network/);
  });

  it('warns when the firewall service is stopped and reports unknown when it is missing', () => {
    const data = healthy();
    data.services.find((service) => service.name === 'MpsSvc')!.state = 'Stopped';
    expect(evaluateFirewall(data)).toMatchObject({ status: 'warn', fixes: [] });
    expect(evaluateFirewall(data).summary).toMatch(/not running/);
    data.services.find((service) => service.name === 'MpsSvc')!.present = false;
    expect(evaluateFirewall(data).status).toBe('unknown');
  });

  it('warns when the firewall service is disabled or BFE is stopped', () => {
    const data = healthy();
    data.services.find((service) => service.name === 'MpsSvc')!.startMode = 'Disabled';
    expect(evaluateFirewall(data).summary).toMatch(/set to Disabled/);
    const other = healthy();
    other.services.find((service) => service.name === 'BFE')!.state = 'Stopped';
    expect(evaluateFirewall(other)).toMatchObject({ status: 'warn' });
    expect(evaluateFirewall(other).summary).toMatch(/Base Filtering Engine/);
  });

  it('warns, naming the blocked network, when one NIC is covered and another is not', () => {
    const data = healthy();
    for (const name of ['RemoteDesktop-UserMode-In-TCP', 'RemoteDesktop-UserMode-In-UDP']) rule(data, name).profile = 'Domain, Private';
    data.connectionProfiles.push({ name: 'Guest', interfaceAlias: 'Wi-Fi', interfaceIndex: 9, networkCategory: 'Public' });
    const verdict = evaluateFirewall(data);
    expect(verdict.status).toBe('warn');
    expect(verdict.summary).toMatch(/on the domain network \(Ethernet\) but not on the public network \(Wi-Fi\)/);
    expect(verdict.fixes).toEqual([FIREWALL_FIXES.enableRulesPublic]);
  });

  it('fails without a fix when the Remote Desktop rules are missing', () => {
    const data = healthy();
    data.rdpRules = [];
    const verdict = evaluateFirewall(data);
    expect(verdict.status).toBe('fail');
    expect(verdict.summary).toMatch(/built-in Remote Desktop rules are missing/);
    expect(verdict.fixes).toEqual([]);
  });

  it('reads enum values given as numbers (Profile flags, NetworkCategory)', () => {
    const data = healthy();
    rule(data, 'RemoteDesktop-UserMode-In-TCP').profile = '3';
    rule(data, 'RemoteDesktop-UserMode-In-UDP').profile = '3';
    data.connectionProfiles[0]!.networkCategory = '0';
    expect(evaluateFirewall(data).fixes).toEqual([FIREWALL_FIXES.enableRulesPublic]);
  });

  it.each([
    ['an unknown Enabled value', (data: FirewallData) => (rule(data, 'RemoteDesktop-UserMode-In-TCP').enabled = 'Yes')],
    ['an unknown profile name', (data: FirewallData) => (rule(data, 'RemoteDesktop-UserMode-In-TCP').profile = 'Work')],
    ['an unknown network category', (data: FirewallData) => (data.connectionProfiles[0]!.networkCategory = 'Corporate')],
    ['no settings for the profile in use', (data: FirewallData) => (data.profiles = data.profiles.filter((profile) => profile.name !== 'Domain'))],
  ])('reports unknown, never ok, for %s', (_label, change) => {
    const data = healthy();
    change(data);
    const verdict = evaluateFirewall(data);
    expect(verdict.status).toBe('unknown');
    expect(verdict.evidence['Unrecognised']).toBeTruthy();
  });

  it('reports unknown when no network is connected', () => {
    const data = healthy();
    data.connectionProfiles = [];
    expect(evaluateFirewall(data).status).toBe('unknown');
  });

  it('turns an access-denied envelope into unknown, never fail', () => {
    const stdout = JSON.stringify({ probe: 'firewall', schema: 1, ok: false, error: { kind: 'access-denied', message: 'Access is denied.' } });
    expect(findingFromOutput(firewallProbe, stdout, { now: new Date(), warnDays: 30 }).status).toBe('unknown');
  });
});

describe('firewall rule matching', () => {
  it('reads LocalPort entries: Any, numbers, ranges, keywords', () => {
    expect(portsCover(['Any'], 3389)).toBe(true);
    expect(portsCover(['80', '3389'], 3389)).toBe(true);
    expect(portsCover(['3000-3999'], 3389)).toBe(true);
    expect(portsCover(['3390-4000', 'RPC', 'RPCEPMap'], 3389)).toBe(false);
  });

  it('reads profile names and flags', () => {
    expect([...ruleProfiles('Domain, Private')]).toEqual(['Domain', 'Private']);
    expect(ruleProfiles('Any').size).toBe(3);
    expect(ruleProfiles('0').size).toBe(3);
    expect([...ruleProfiles('4')]).toEqual(['Public']);
  });

  it('admits TermService through svchost.exe rules for any service or for TermService only', () => {
    expect(admitsTermService({ program: '%SystemRoot%\\system32\\svchost.exe', service: 'termservice' })).toBe(true);
    expect(admitsTermService({ program: 'Any', service: 'Any' })).toBe(true);
    expect(admitsTermService({ program: '%SystemRoot%\\system32\\svchost.exe', service: 'WinRM' })).toBe(false);
    expect(admitsTermService({ program: '%SystemRoot%\\system32\\RdpSa.exe', service: 'Any' })).toBe(false);
  });
});
