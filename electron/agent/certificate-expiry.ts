/**
 * The certificate facts the notification policy needs, read from the certificate probe's envelope
 * data (probes/certificate: `boundCertificate` = the certificate RDP-Tcp is bound to). Only the
 * fields used here are checked; anything else about the data is the probe's business.
 */
import { z } from 'zod';
import { CERTIFICATE_PROBE_ID } from '../../probes/certificate/certificate.js';
import type { CertificateExpiry } from './notify-policy.js';

const boundCertificateSchema = z.object({
  boundCertificate: z
    .object({ thumbprint: z.string().min(1), notAfter: z.string().min(1), subject: z.string().optional() })
    .nullable()
    .optional(),
});

export function certificateExpiries(dataOf: (probeId: string) => unknown): CertificateExpiry[] {
  const parsed = boundCertificateSchema.safeParse(dataOf(CERTIFICATE_PROBE_ID));
  const bound = parsed.success ? parsed.data.boundCertificate : undefined;
  if (!bound || Number.isNaN(Date.parse(bound.notAfter))) return [];
  return [{ probeId: CERTIFICATE_PROBE_ID, thumbprint: bound.thumbprint, notAfter: bound.notAfter, ...(bound.subject ? { subject: bound.subject } : {}) }];
}
