/**
 * The certificate the RDP-Tcp listener is bound to (RDP-FACTS.md §1): present, valid, with its
 * private key, and renewable. The handshake probe compares the served certificate with
 * `boundThumbprint`; the renew fix acts only on a type 1 (self-signed) binding.
 */
import { z } from 'zod';
import { verdictFromProblems, type EvaluateContext, type PowerShellProbe, type Problem, type Verdict } from '../common/probe.js';
import type { FixDescriptor } from '../common/finding.js';
import { DAY_MS, daysLeft } from '../common/days.js';
import { fix } from '../common/fixes.js';
import { serviceStateSchema } from '../common/service-state.js';

const isoDate = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'not an ISO date');

export const certificateInfoSchema = z.object({
  thumbprint: z.string(),
  subject: z.string(),
  issuer: z.string(),
  notBefore: isoDate,
  notAfter: isoDate,
  selfSigned: z.boolean(),
  hasPrivateKey: z.boolean(),
  store: z.string(),
  serialNumber: z.string(),
  friendlyName: z.string(),
});
export type CertificateInfo = z.infer<typeof certificateInfoSchema>;

const eventGroupSchema = z.object({
  id: z.number().int(),
  providerName: z.string(),
  logName: z.string(),
  count: z.number().int(),
  newest: isoDate,
  message: z.string().nullable(),
});

export const certificateDataSchema = z.object({
  /** What the listener uses (WMI SSLCertificateSHA1Hash, else the registry copy), upper-case hex. */
  boundThumbprint: z.string().nullable(),
  /** SSLCertificateSHA1HashType: 1 self-signed, 2 group-policy template, 3 custom. */
  bindingType: z.number().int().nullable(),
  wmiThumbprint: z.string().nullable(),
  /** The REG_BINARY RDP-Tcp\SSLCertificateSHA1Hash, hex-encoded; null when absent. */
  registryThumbprint: z.string().nullable(),
  thumbprintsAgree: z.boolean().nullable(),
  boundFound: z.boolean(),
  boundStore: z.string().nullable(),
  boundFoundIn: z.array(z.string()),
  boundCertificate: certificateInfoSchema.nullable(),
  stores: z.array(z.object({ name: z.string(), present: z.boolean(), count: z.number().int() })),
  /** Expired certificates other than the bound one, in the Remote Desktop and My stores. */
  expiredCertificates: z.array(certificateInfoSchema),
  services: z.array(serviceStateSchema),
  events: z.object({
    readable: z.boolean(),
    errorKind: z.string().nullable(),
    error: z.string().nullable(),
    sinceDays: z.number().int(),
    items: z.array(eventGroupSchema),
  }),
});
export type CertificateData = z.infer<typeof certificateDataSchema>;

export const CERTIFICATE_FIXES = {
  // Deletes every expired self-signed cert in the Remote Desktop store and restarts SessionEnv,
  // which makes Windows issue a new one. Type 1 bindings only.
  renewSelfSigned: fix('certificate.renew-self-signed', 'Let Windows create a new Remote Desktop certificate', {}),
};

const BINDING_TYPES: Record<number, string> = { 1: 'self-signed (made by Windows)', 2: 'group policy certificate template', 3: 'custom certificate' };

function describeEvents(data: CertificateData): unknown {
  const { events } = data;
  if (!events.readable) return `could not read the System log (${events.errorKind ?? 'error'}: ${events.error ?? 'no message'})`;
  if (events.items.length === 0) return `none in the last ${events.sinceDays} days`;
  return events.items.map((item) => `${item.providerName} ${item.id}: ${item.count}x, newest ${item.newest}${item.message ? ` - ${item.message}` : ''}`);
}

function evidence(data: CertificateData, ctx: EvaluateContext): Record<string, unknown> {
  const cert = data.boundCertificate;
  const type = data.bindingType === null ? 'unknown' : `${data.bindingType} - ${BINDING_TYPES[data.bindingType] ?? 'not a documented type'}`;
  return {
    Thumbprint: data.boundThumbprint ?? 'none bound',
    'Days left': cert ? daysLeft(cert.notAfter, ctx.now) : null,
    NotAfter: cert?.notAfter ?? null,
    NotBefore: cert?.notBefore ?? null,
    'Binding type (SSLCertificateSHA1HashType)': type,
    Store: cert ? `Cert:\\LocalMachine\\${cert.store}` : `not found in ${data.stores.map((s) => `Cert:\\LocalMachine\\${s.name}`).join(' or ')}`,
    Subject: cert?.subject ?? null,
    Issuer: cert?.issuer ?? null,
    'Self-signed': cert?.selfSigned ?? null,
    HasPrivateKey: cert?.hasPrivateKey ?? null,
    'Registry SSLCertificateSHA1Hash': data.registryThumbprint ?? 'absent',
    'Other expired certificates': data.expiredCertificates.map((c) => `${c.thumbprint} (${c.subject}, ${c.store}, expired ${c.notAfter})`),
    'Renewal services': data.services.map((s) => `${s.name}: ${s.present ? `${s.state ?? 'unknown'} (${s.startMode ?? 'unknown'})` : 'not installed'}`),
    'Recent events': describeEvents(data),
  };
}

function stoppedServices(data: CertificateData): string[] {
  return data.services.filter((s) => !s.present || s.state !== 'Running' || s.startMode === 'Disabled').map((s) => s.name);
}

function reasons(data: CertificateData, ctx: EvaluateContext): Problem[] {
  const found: Problem[] = [];
  const cert = data.boundCertificate;
  if (!data.boundFound || cert === null) {
    found.push({ status: 'fail', summary: 'The certificate Remote Desktop is set to use is no longer on this computer, so connections fail.' });
    return found;
  }
  const msLeft = Date.parse(cert.notAfter) - ctx.now.getTime();
  if (msLeft <= 0) {
    found.push({ status: 'fail', summary: `The Remote Desktop certificate expired on ${cert.notAfter.slice(0, 10)}, so connections fail.` });
  }
  if (!cert.hasPrivateKey) {
    found.push({ status: 'fail', summary: 'Windows has the Remote Desktop certificate but not its private key, so connections fail.' });
  }
  if (Date.parse(cert.notBefore) > ctx.now.getTime()) {
    found.push({ status: 'warn', summary: `The Remote Desktop certificate is not valid until ${cert.notBefore.slice(0, 10)}: check this computer's clock.` });
  }
  if (msLeft > 0 && msLeft <= ctx.warnDays * DAY_MS) {
    const days = daysLeft(cert.notAfter, ctx.now);
    found.push({ status: 'warn', summary: `The Remote Desktop certificate expires in ${days} day${days === 1 ? '' : 's'} (${cert.notAfter.slice(0, 10)}).` });
  }
  const stopped = stoppedServices(data);
  if (data.bindingType === 1 && stopped.length > 0) {
    found.push({ status: 'warn', summary: `Windows cannot renew the Remote Desktop certificate while ${stopped.join(', ')} ${stopped.length === 1 ? 'is' : 'are'} not running.` });
  }
  if (data.thumbprintsAgree === false) {
    found.push({ status: 'warn', summary: 'The registry and WMI name different Remote Desktop certificates, so which one is used is unclear.' });
  }
  return found;
}

function fixesFor(data: CertificateData, ctx: EvaluateContext): FixDescriptor[] {
  const cert = data.boundCertificate;
  if (data.bindingType !== 1 || cert === null || !cert.selfSigned) return [];
  const msLeft = Date.parse(cert.notAfter) - ctx.now.getTime();
  return msLeft <= ctx.warnDays * DAY_MS ? [CERTIFICATE_FIXES.renewSelfSigned] : [];
}

export function evaluateCertificate(data: CertificateData, ctx: EvaluateContext): Verdict {
  const shown = evidence(data, ctx);
  if (data.boundThumbprint === null) {
    return { status: 'unknown', summary: 'No certificate is bound to Remote Desktop, so there is nothing to check yet.', evidence: shown, fixes: [] };
  }
  if (data.bindingType === null || !(data.bindingType in BINDING_TYPES)) {
    return { status: 'unknown', summary: 'Windows reports a kind of certificate binding this check does not know.', evidence: shown, fixes: [] };
  }
  const [top, ...rest] = reasons(data, ctx);
  if (top === undefined) {
    const days = data.boundCertificate ? daysLeft(data.boundCertificate.notAfter, ctx.now) : 'unknown';
    return { status: 'ok', summary: `Remote Desktop has a valid certificate with ${days} days left.`, evidence: shown, fixes: [] };
  }
  return verdictFromProblems([top, ...rest], shown, fixesFor(data, ctx));
}

export const certificateProbe: PowerShellProbe<typeof certificateDataSchema> = {
  kind: 'powershell',
  id: 'certificate',
  title: 'Remote Desktop certificate',
  script: 'certificate/Get-RdpCertificate.ps1',
  dataSchema: certificateDataSchema,
  evaluate: evaluateCertificate,
};
