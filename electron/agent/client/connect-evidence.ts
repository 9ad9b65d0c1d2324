/** What a connect check read, verbatim and in order, for the evidence view and `--json`. */
import { acceptsRemoteDesktop, describeClientTls, describeEncryptionOracle } from '../../../probes/client/client-settings.js';
import { AUTHENTICATION_LEVELS } from './client-requirements.js';
import { failuresFor } from './client-events.js';
import type { ConnectObservation } from './verdict.js';
import { certificateNames } from './certificate-name.js';

const ms = (value: number | null | undefined) => (value === null || value === undefined ? '-' : String(Math.round(value * 10) / 10));
const outcomeText = (outcome: ConnectObservation['reach'][number]['outcome']) => (outcome.ok ? `connects (${outcome.ms} ms)` : `${outcome.kind}${outcome.code ? ` ${outcome.code}` : ''} after ${outcome.ms} ms`);

export function connectEvidence(o: ConnectObservation): Record<string, unknown> {
  const evidence: Record<string, unknown> = {};
  evidence['Name resolution'] = o.resolution.ok
    ? o.resolution.byName ? o.resolution.addresses.map((entry) => `${entry.address} (IPv${entry.family})`) : `${o.host} is an address (no name to resolve)`
    : o.resolution.problem;
  if (o.reach.length > 0) evidence[`TCP port ${o.port}`] = o.reach.map((entry) => `${entry.address.address}: ${outcomeText(entry.outcome)}`);
  if (o.link) {
    evidence.Link = `${o.link.address}: ${o.link.tries} tries, ${o.link.failures} failed, median ${ms(o.link.medianMs)} ms, spread ${ms(o.link.spreadMs)} ms`;
  }
  const h = o.handshake;
  if (h) {
    const words = (outcome: typeof h.tls) => (outcome.accepted ? 'accepted' : `not accepted (${outcome.why})`);
    evidence['Host security protocols'] = { 'Standard RDP security': words(h.standardRdp), TLS: words(h.tls), 'CredSSP (NLA)': words(h.credSsp) };
    evidence['Host TLS versions'] = h.tlsVersions === null ? 'not tried (no TLS)' : h.tlsVersions.length === 0 ? 'none accepted' : h.tlsVersions.map((version) => `TLS ${version}`);
    if (h.certificate) {
      evidence['Host certificate'] = {
        Subject: h.certificate.subject,
        Names: certificateNames(h.certificate),
        Issuer: h.certificate.selfSigned ? `${h.certificate.issuer} (self-signed)` : h.certificate.issuer,
        'Valid until': h.certificate.notAfter,
        Thumbprint: h.certificate.thumbprint,
      };
    }
  }
  const r = o.requirements;
  evidence['This PC: connection settings'] = `${r.source}: authentication level ${r.authenticationLevel} (${AUTHENTICATION_LEVELS[r.authenticationLevel] ?? 'unknown'}), CredSSP ${r.credSsp ? 'on' : 'off'}, security layer negotiation ${r.negotiate ? 'on' : 'off'}`;
  if (o.client) {
    evidence['This PC: TLS (Schannel client)'] = Object.fromEntries(o.client.tls.map((entry) => [`TLS ${entry.version}`, describeClientTls(entry)]));
    evidence['This PC: CredSSP Encryption Oracle Remediation'] = describeEncryptionOracle(o.client.credSsp.allowEncryptionOracle);
    const role = acceptsRemoteDesktop(o.client);
    if (!role.accepts) evidence['This PC itself'] = `does not accept Remote Desktop connections: ${role.why} (it can still connect to others)`;
    const failures = failuresFor(o.client, o.host);
    if (failures.length > 0) evidence['This PC: recent disconnects from this host'] = failures.slice(0, 5).map((entry) => `${entry.time}: ${entry.translation.code}, ${entry.translation.words}`);
  } else {
    evidence['This PC: client settings'] = 'not read (not Windows, or the read failed): nothing is blamed on them';
  }
  if (!o.resolution.byName && h?.credSsp.accepted) {
    evidence['Name or address'] = 'Connecting by IP address: NLA signs in with NTLM, not Kerberos (Kerberos needs the name, see "Configuring Kerberos over IP"); where NTLM is restricted, connect by name.';
  }
  return evidence;
}
