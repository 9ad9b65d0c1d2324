/** Whether the name the user connects with is one the served certificate names (CN or subjectAltName). */
import tls, { type PeerCertificate } from 'node:tls';
import type { CertificateInfo } from '../../../probes/handshake/certificate-info.js';

function commonName(subject: string): string | undefined {
  return /(?:^|,\s*)CN=([^,]+)/.exec(subject)?.[1]?.trim();
}

export function certificateNamesHost(certificate: CertificateInfo, host: string): boolean {
  const cn = commonName(certificate.subject);
  // checkServerIdentity is the rule TLS clients apply (wildcards, IP addresses in subjectAltName).
  const peer = { subject: cn ? { CN: cn } : {}, subjectaltname: certificate.subjectAltName ?? undefined } as unknown as PeerCertificate;
  return tls.checkServerIdentity(host, peer) === undefined;
}

export function certificateNames(certificate: CertificateInfo): string[] {
  const names = (certificate.subjectAltName ?? '')
    .split(',')
    .map((entry) => entry.trim().replace(/^(DNS|IP Address):/, ''))
    .filter((entry) => entry !== '');
  const cn = commonName(certificate.subject);
  return cn && !names.includes(cn) ? [cn, ...names] : names;
}
