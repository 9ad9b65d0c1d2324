/** The served certificate, described the way Windows shows it (certlm.msc, Get-ChildItem Cert:). */
import type { X509Certificate } from 'node:crypto';

export interface CertificateInfo {
  /** Relative distinguished names, most specific first ("CN=host, O=Org"), as Windows lists them. */
  subject: string;
  issuer: string;
  /** SHA-1 of the DER bytes, upper-case hex without separators (Windows' Thumbprint). */
  thumbprint: string;
  serialNumber: string;
  /** ISO 8601 (UTC); null when the date in the certificate could not be read. */
  notBefore: string | null;
  notAfter: string | null;
  selfSigned: boolean;
  subjectAltName: string | null;
}

function distinguishedName(lines: string): string {
  // Node lists RDNs in certificate order (C first); Windows shows the CN first.
  return lines
    .split('\n')
    .filter((line) => line.length > 0)
    .reverse()
    .join(', ');
}

function isoDate(text: string): string | null {
  const time = Date.parse(text);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function isSelfSigned(cert: X509Certificate): boolean {
  try {
    return cert.checkIssued(cert) && cert.verify(cert.publicKey);
  } catch {
    return false;
  }
}

export function describeCertificate(cert: X509Certificate | undefined): CertificateInfo | null {
  if (!cert) return null;
  return {
    subject: distinguishedName(cert.subject),
    issuer: distinguishedName(cert.issuer),
    thumbprint: cert.fingerprint.replace(/:/g, '').toUpperCase(),
    serialNumber: cert.serialNumber.toUpperCase(),
    notBefore: isoDate(cert.validFrom),
    notAfter: isoDate(cert.validTo),
    selfSigned: isSelfSigned(cert),
    subjectAltName: cert.subjectAltName ?? null,
  };
}
