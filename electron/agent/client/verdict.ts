/**
 * Both ends together: what this PC saw of the path and the host, and what this PC's client
 * insists on → one verdict that names the side at fault (this PC, the host, the network between)
 * and the evidence. Pure: every input is data, every date comparison uses `now`.
 * A verdict of ok or warn predicts that a client with these settings connects; fail that it cannot.
 */
import { worstStatus, type FixDescriptor, type Status } from '../../../probes/common/finding.js';
import { CLIENT_FIXES, FIXABLE_TARGET_HOST } from '../../../probes/client/client-fixes.js';
import { describeClientTls, type ClientSettings, type ClientTlsVersion } from '../../../probes/client/client-settings.js';
import { AUTHENTICATION_LEVELS, type ClientRequirements } from './client-requirements.js';
import { certificateNamesHost, certificateNames } from './certificate-name.js';
import type { HostHandshake } from './host-handshake.js';
import { linkProblem, type ConnectOutcome, type LinkLimits, type LinkStats } from './link.js';
import type { Resolution, ResolvedAddress } from './resolve.js';

export type FaultSide = 'this-pc' | 'host' | 'network' | 'none' | 'unknown';

export interface Problem {
  status: Status;
  side: FaultSide;
  summary: string;
  fixes?: FixDescriptor[];
}

export interface ConnectObservation {
  /** As the user gave it. */
  target: string;
  host: string;
  port: number;
  resolution: Resolution;
  /** One TCP connect per resolved address, in resolver order. */
  reach: { address: ResolvedAddress; outcome: ConnectOutcome }[];
  link: LinkStats | null;
  handshake: HostHandshake | null;
  client: ClientSettings | null;
  requirements: ClientRequirements;
  /** Servers\<host>\CertHash: a certificate the user accepted before. */
  trustedCertHash: string | null;
  now: Date;
  linkLimits?: LinkLimits;
}

export interface ConnectVerdict {
  status: Status;
  side: FaultSide;
  summary: string;
  /** Every other problem found, worst first. */
  alsoFound: string[];
  fixes: FixDescriptor[];
}

const label = (address: ResolvedAddress) => `${address.address} (IPv${address.family})`;
const failureWords = (outcome: ConnectOutcome) => (outcome.ok ? 'answers' : { refused: 'refuses the connection', timeout: 'does not answer', unreachable: 'cannot be reached', reset: 'resets the connection', aborted: 'was not tried to the end', error: `fails (${outcome.code ?? 'error'})` }[outcome.kind]);

function pathProblems(o: ConnectObservation): Problem[] {
  if (!o.resolution.ok) return [{ status: 'fail', side: 'network', summary: `The name ${o.host} cannot be resolved from this PC (${o.resolution.problem}): check the name, this PC's DNS server or VPN.` }];
  const working = o.reach.filter((entry) => entry.outcome.ok);
  const first = o.reach[0];
  if (working.length === 0) {
    const refused = o.reach.every((entry) => !entry.outcome.ok && entry.outcome.kind === 'refused');
    const where = o.reach.map((entry) => `${label(entry.address)} ${failureWords(entry.outcome)}`).join('; ');
    return [refused
      ? { status: 'fail', side: 'host', summary: `Nothing accepts Remote Desktop connections on port ${o.port} of ${o.host} (${where}): Remote Desktop is off there, listens on another port, or its firewall refuses.` }
      : { status: 'fail', side: 'network', summary: `${o.host} does not answer on port ${o.port} (${where}): a firewall on the way drops the connection, the computer is off, or this PC is not on its network (VPN).` }];
  }
  if (first && !first.outcome.ok && o.resolution.byName) {
    const good = working.map((entry) => label(entry.address)).join(', ');
    return [{ status: 'warn', side: 'network', summary: `The name ${o.host} resolves first to ${label(first.address)}, which ${failureWords(first.outcome)}; ${good} works. Clients try the first address before the next (slow, or 0x904 where they give up): connect by ${working[0]!.address.address}, or correct the name's DNS record.` }];
  }
  return [];
}

function linkProblems(o: ConnectObservation): Problem[] {
  const problem = o.link ? linkProblem(o.link, o.linkLimits) : null;
  return problem ? [{ status: 'warn', side: 'network', summary: `The connection is slow or drops (${problem}); on a VPN, reconnect or try another network.` }] : [];
}

const on = (versions: readonly string[]) => versions.map((version) => `TLS ${version}`).join(', ');

function tlsProblems(o: ConnectObservation, h: HostHandshake): Problem[] {
  const hostVersions = h.tlsVersions;
  if (hostVersions === null || hostVersions.length === 0) return [];
  const shared = hostVersions.filter((version) => o.requirements.tlsVersions.includes(version));
  if (shared.length > 0) return [];
  const off = (version: ClientTlsVersion) => o.client?.tls.find((entry) => entry.version === version);
  const evidence = hostVersions.map((version) => { const entry = off(version); return entry ? `TLS ${version} ${describeClientTls(entry)}` : `TLS ${version} off`; }).join('; ');
  const modern = hostVersions.includes('1.2') || hostVersions.includes('1.3');
  if (modern) {
    const modernOff = hostVersions.filter((version) => version === '1.2' || version === '1.3');
    // The one-click fix writes TLS 1.2\Client: offered only where the host speaks 1.2 and this PC's registry turned it off.
    const fixes = hostVersions.includes('1.2') && off('1.2')?.effective === false ? [CLIENT_FIXES.enableTls12] : [];
    return [{ status: 'fail', side: 'this-pc', summary: `The host accepts only ${on(hostVersions)}, which this PC has turned off (${evidence}): every connection will end with 0x904. Fix on this PC: turn ${on(modernOff)} back on for the client (SCHANNEL\\Protocols\\TLS 1.x\\Client).`, fixes }];
  }
  return [{ status: 'fail', side: 'host', summary: `The host accepts only ${on(hostVersions)}, which this PC has turned off (${evidence}): every connection will end with 0x904. Fix on the host: enable TLS 1.2 (KB3080079 on Windows 7 / Server 2008 R2). Turning old TLS back on here would lower this PC's security for every program.` }];
}

function securityProblems(o: ConnectObservation, h: HostHandshake): Problem[] {
  const r = o.requirements;
  const rdpOnly = !h.tls.accepted && !h.credSsp.accepted && h.standardRdp.accepted;
  // The file's fix names the computer to the script: offered only for a plain host name or IPv4 address.
  const fileFixes = FIXABLE_TARGET_HOST.test(o.host) ? [CLIENT_FIXES.enableCredSspInFile] : [];
  if (h.requiresNla && !r.credSsp) {
    return [{ status: 'fail', side: 'this-pc', summary: `The host requires NLA but ${r.source} turns CredSSP off (enablecredsspsupport:i:0): the host refuses the connection (0x904 / 0x7). Fix on this PC: turn CredSSP back on in the file (enablecredsspsupport:i:1).`, fixes: fileFixes }];
  }
  if (rdpOnly && r.requiresNla) {
    return [{ status: 'fail', side: 'host', summary: `The host offers only standard RDP security (no TLS, no NLA: ${h.tls.accepted ? '' : h.tls.why}) and ${r.source} insists on NLA (negotiate security layer:i:0): they cannot agree. Fix on the host: set its security layer to Negotiate or TLS and require NLA.` }];
  }
  if (rdpOnly && r.authenticationLevel === 1) {
    return [{ status: 'fail', side: 'host', summary: `The host offers only standard RDP security, which cannot prove the host's identity, and ${r.source} says ${AUTHENTICATION_LEVELS[1]} (authentication level:i:1). Fix on the host: set its security layer to Negotiate or TLS.` }];
  }
  if (rdpOnly) return [{ status: 'warn', side: 'host', summary: 'The host offers only standard RDP security: connections work, but nothing proves the host is the one you meant, and NLA is off. Fix on the host: security layer Negotiate or TLS, with NLA.' }];
  if (!h.standardRdp.accepted && !h.tls.accepted && !h.credSsp.accepted && !h.tlsBroke && !h.requiresNla) {
    // The port answers but no security protocol was agreed: what listens there is not (or no longer) Remote Desktop.
    return [{ status: 'fail', side: 'host', summary: `Something answers on port ${h.port} of ${h.address} but does not speak Remote Desktop (${h.standardRdp.why}): another program holds the port, or Remote Desktop Services is stuck there.` }];
  }
  if (!h.tls.accepted && !h.credSsp.accepted && h.tlsBroke) return [{ status: 'fail', side: 'host', summary: `The host's secure (TLS) handshake fails from this PC too (${h.tlsBroke}): its certificate or private key is the likely cause.` }];
  if (h.credSsp.accepted && !r.credSsp && !h.requiresNla) return [{ status: 'warn', side: 'this-pc', summary: `${r.source} turns CredSSP (NLA) off: the connection works, but signs in after the session starts, which exposes the host's sign-in screen. Fix on this PC: turn CredSSP back on in the file (enablecredsspsupport:i:1).`, fixes: fileFixes }];
  return [];
}

function certificateProblems(o: ConnectObservation, h: HostHandshake): Problem[] {
  const certificate = h.certificate;
  if (!certificate) return [];
  const issues: string[] = [];
  if (certificate.notAfter !== null && Date.parse(certificate.notAfter) < o.now.getTime()) issues.push(`its certificate expired on ${certificate.notAfter.slice(0, 10)}`);
  if (certificate.notBefore !== null && Date.parse(certificate.notBefore) > o.now.getTime()) issues.push(`its certificate is not valid before ${certificate.notBefore.slice(0, 10)}`);
  if (!certificateNamesHost(certificate, o.host)) issues.push(`the name you use, ${o.host}, is not in its certificate (${certificateNames(certificate).join(', ') || 'no names'})`);
  const trusted = o.trustedCertHash !== null && o.trustedCertHash.toUpperCase() === certificate.thumbprint;
  if (certificate.selfSigned && !trusted) issues.push('its certificate is self-signed, so this PC cannot verify it');
  if (issues.length === 0) return [];
  const level = o.requirements.authenticationLevel;
  const what = `The host cannot be verified: ${issues.join('; ')}.`;
  if (level === 1) return [{ status: 'fail', side: 'host', summary: `${what} ${o.requirements.source} says ${AUTHENTICATION_LEVELS[1]} (authentication level:i:1), so the client will not connect. Fix on the host: a certificate from a CA this PC trusts, naming ${o.host}.` }];
  if (level === 0) return [{ status: 'warn', side: 'this-pc', summary: `${what} ${o.requirements.source} connects anyway without a warning (authentication level:i:0), so a machine pretending to be the host would not be noticed.` }];
  return [{ status: 'warn', side: 'host', summary: `${what} The client will warn before connecting (authentication level ${level}). Fix on the host: a certificate from a CA this PC trusts, naming ${o.host}.` }];
}

function clientNotes(o: ConnectObservation): Problem[] {
  const problems: Problem[] = [];
  if (o.client?.credSsp.allowEncryptionOracle === 2) problems.push({ status: 'warn', side: 'this-pc', summary: 'This PC allows CredSSP to unpatched hosts (Encryption Oracle Remediation: Vulnerable): it connects, but exposes the credentials to the 2018 CredSSP flaw.' });
  return problems;
}

export function connectVerdict(o: ConnectObservation): ConnectVerdict {
  const problems = [...pathProblems(o)];
  if (!problems.some((problem) => problem.status === 'fail')) {
    problems.push(...linkProblems(o));
    const h = o.handshake;
    if (h && !h.reachable) problems.push({ status: 'fail', side: 'network', summary: `The handshake could not connect to ${h.address}:${h.port} (${h.connectFailure ?? 'no answer'}).` });
    else if (h) problems.push(...tlsProblems(o, h), ...securityProblems(o, h), ...certificateProblems(o, h));
    problems.push(...clientNotes(o));
  }
  if (problems.length === 0) {
    const via = o.handshake?.credSsp.accepted ? 'NLA (CredSSP) over TLS' : o.handshake?.tls.accepted ? 'TLS' : 'standard RDP security';
    return { status: 'ok', side: 'none', summary: `This PC can connect to ${o.target}: the host answers, and both ends agree on ${via}.`, alsoFound: [], fixes: [] };
  }
  const status = worstStatus(problems.map((problem) => problem.status));
  // Of the worst, the first found leads: the path before the link, the link before the handshake.
  const lead = problems.find((problem) => problem.status === status)!;
  return {
    status,
    side: lead.side,
    summary: lead.summary,
    alsoFound: problems.filter((problem) => problem !== lead).map((problem) => problem.summary),
    fixes: problems.flatMap((problem) => problem.fixes ?? []),
  };
}
