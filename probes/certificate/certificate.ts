/**
 * The certificate the RDP-Tcp listener is bound to (RDP-FACTS.md §1): present, valid, with its
 * private key, and renewable. The handshake probe compares the served certificate with
 * `boundThumbprint`; the renew fix acts only on a type 1 (self-signed) binding.
 */
import { z } from 'zod';
import { verdictFromProblems, type EvaluateContext, type PowerShellProbe, type Problem, type Verdict } from '../common/probe.js';
import type { FixDescriptor } from '../common/finding.js';
import { DAY_MS, daysLeft } from '../common/days.js';
import { declareHostFixes } from '../common/fixes.js';
import { serviceStateSchema } from '../common/service-state.js';
import { describeWmiRead, wmiReadSchema } from '../common/wmi-read.js';

const isoDate = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'not an ISO date');

/** The probe's id: the handshake and the agent's expiry warnings read its data by it. */
export const CERTIFICATE_PROBE_ID = 'certificate';

/** A certificate as read from a Windows certificate store. */
export const storedCertificateSchema = z.object({
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
export type StoredCertificate = z.infer<typeof storedCertificateSchema>;

const eventGroupSchema = z.object({
  id: z.number().int(),
  providerName: z.string(),
  logName: z.string(),
  count: z.number().int(),
  newest: isoDate,
  message: z.string().nullable(),
});

/** A store as X509Store opened it: read, refused to this account (unknown, never a failure), absent. */
const storeReadSchema = z.object({
  name: z.string(),
  present: z.boolean(),
  access: z.enum(['read', 'denied', 'absent', 'error']),
  error: z.string().nullable(),
  count: z.number().int(),
});

export const certificateDataSchema = z.object({
  /** What the listener uses (WMI SSLCertificateSHA1Hash, else the registry's binding), upper-case hex. */
  boundThumbprint: z.string().nullable(),
  /** SSLCertificateSHA1HashType: 1 self-signed, 2 group-policy template, 3 custom (1 also when only the registry's self-signed copy was read). */
  bindingType: z.number().int().nullable(),
  /** Where the binding was read: WMI, or (WMI refused or empty) the registry's custom or self-signed copy. */
  bindingSource: z.enum(['wmi', 'registry-custom', 'registry-self-signed', 'none']),
  wmiThumbprint: z.string().nullable(),
  /** The registry's binding: the custom RDP-Tcp\SSLCertificateSHA1Hash, else WinStations\SelfSignedCertificate. */
  registryThumbprint: z.string().nullable(),
  /** RDP-Tcp\SSLCertificateSHA1Hash (REG_BINARY): present only for a custom certificate (KB3042780). */
  customThumbprint: z.string().nullable(),
  /** WinStations\SelfSignedCertificate (REG_BINARY, 20 bytes). */
  selfSignedThumbprint: z.string().nullable(),
  /** WinStations\SelfSignedCertStore: where the self-signed certificate lives ('Remote Desktop' by default). */
  selfSignedStore: z.string(),
  thumbprintsAgree: z.boolean().nullable(),
  wmi: wmiReadSchema,
  boundFound: z.boolean(),
  boundStore: z.string().nullable(),
  boundFoundIn: z.array(z.string()),
  boundCertificate: storedCertificateSchema.nullable(),
  stores: z.array(storeReadSchema),
  /** Expired certificates other than the bound one, in the Remote Desktop and My stores. */
  expiredCertificates: z.array(storedCertificateSchema),
  services: z.array(serviceStateSchema),
  /**
   * Self-signed bindings only: the ACL of the store's registry key (…\SystemCertificates\<store>\Certificates,
   * else the store's key) - Deny entries of CreateSubKey for SYSTEM or a group in its token stop Windows adding a
   * new certificate. Absent in data recorded before it was read.
   */
  storeAcl: z
    .object({
      key: z.string().nullable(),
      readable: z.boolean(),
      error: z.string().nullable(),
      denied: z.array(z.object({ sid: z.string(), rights: z.string(), inherited: z.boolean() })),
    })
    .nullable()
    .optional(),
  events: z.object({
    readable: z.boolean(),
    errorKind: z.string().nullable(),
    error: z.string().nullable(),
    sinceDays: z.number().int(),
    items: z.array(eventGroupSchema),
  }),
});
export type CertificateData = z.infer<typeof certificateDataSchema>;

const certificateFixes = declareHostFixes(CERTIFICATE_PROBE_ID, {
  // Deletes every expired self-signed cert in the Remote Desktop store and restarts SessionEnv,
  // which makes Windows issue a new one. Type 1 bindings only. The probe offers it for an expired
  // certificate and inside the warning window: both are in this scope.
  renewSelfSigned: {
    id: 'certificate.renew-self-signed', title: 'Let Windows create a new Remote Desktop certificate',
    script: 'certificate/Repair-RdpCertificate.ps1', parameters: { Action: 'RenewSelfSigned', Scope: 'ExpiringOrExpired' }, alsoRecheck: ['key-access'],
  },
});
export const CERTIFICATE_FIXES = certificateFixes.descriptors;

const BINDING_TYPES: Record<number, string> = { 1: 'self-signed (made by Windows)', 2: 'group policy certificate template', 3: 'custom certificate' };

const BINDING_SOURCES: Record<CertificateData['bindingSource'], string> = {
  wmi: 'WMI (Win32_TSGeneralSetting)',
  'registry-custom': 'registry, RDP-Tcp\\SSLCertificateSHA1Hash (custom certificate)',
  'registry-self-signed': 'registry, WinStations\\SelfSignedCertificate',
  none: 'nowhere: no binding found',
};

function describeStore(store: CertificateData['stores'][number]): string {
  switch (store.access) {
    case 'read':
      return `${store.count} certificate${store.count === 1 ? '' : 's'}`;
    case 'denied':
      return `this account may not open it (${store.error ?? 'access denied'})`;
    case 'absent':
      return 'does not exist';
    case 'error':
      return `could not be opened (${store.error ?? 'error'})`;
  }
}

/** Stores that could not be read: the bound certificate may be in one of them. */
function unreadableStores(data: CertificateData): string[] {
  return data.stores.filter((s) => s.access === 'denied' || s.access === 'error').map((s) => s.name);
}

/** Entries of the store key's ACL that deny SYSTEM CreateSubKey: Windows cannot add a new certificate. */
function regenerationDenials(data: CertificateData): string[] {
  return (data.storeAcl?.denied ?? []).map((d) => `Deny ${d.rights} for ${d.sid}${d.inherited ? ' (inherited)' : ''}`);
}

function describeStoreAcl(data: CertificateData): string | null {
  const acl = data.storeAcl;
  if (acl === null || acl === undefined) return null;
  if (acl.key === null) return 'the store has no registry key yet: Windows creates it with the new certificate';
  if (!acl.readable) return `${acl.key}: could not be read (${acl.error ?? 'error'})`;
  const denials = regenerationDenials(data);
  if (denials.length > 0) return `${acl.key}: ${denials.join('; ')} - renewal blocked by policy: Windows cannot add a new certificate`;
  return `${acl.key}: lets Windows add a new certificate`;
}

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
    'Binding read from': BINDING_SOURCES[data.bindingSource],
    'WMI (Win32_TSGeneralSetting)': describeWmiRead(data.wmi, 'the binding was read from the registry'),
    'Registry SelfSignedCertificate': data.selfSignedThumbprint ?? 'absent',
    'Registry SSLCertificateSHA1Hash (custom certificates only)': data.customThumbprint ?? 'absent',
    'Stores read': data.stores.map((s) => `Cert:\\LocalMachine\\${s.name}: ${describeStore(s)}`),
    'Other expired certificates': data.expiredCertificates.map((c) => `${c.thumbprint} (${c.subject}, ${c.store}, expired ${c.notAfter})`),
    'Renewal services': data.services.map((s) => `${s.name}: ${s.present ? `${s.state ?? 'unknown'} (${s.startMode ?? 'unknown'})` : 'not installed'}`),
    'Store registry key (regeneration)': describeStoreAcl(data),
    'Recent events': describeEvents(data),
  };
}

/**
 * The services that, disabled or missing, stop Windows from making a new self-signed certificate:
 * SessionEnv makes it (Microsoft's renewal is "delete the certificate, restart SessionEnv",
 * troubleshoot-rdp-internal-error.md) and CryptSvc stores it. Nothing documents a need for CertPropSvc
 * or KeyIso (hardening baselines disable CertPropSvc), and a stopped manual service is started on
 * demand: those stay evidence only.
 */
const REGENERATION_BLOCKERS = ['SessionEnv', 'CryptSvc'];

function blockingServices(data: CertificateData): string[] {
  return data.services.filter((s) => REGENERATION_BLOCKERS.includes(s.name) && (!s.present || s.startMode === 'Disabled')).map((s) => s.name);
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
  const blocking = blockingServices(data);
  if (data.bindingType === 1 && blocking.length > 0) {
    found.push({ status: 'warn', summary: `Windows cannot renew the Remote Desktop certificate while ${blocking.join(' and ')} ${blocking.length === 1 ? 'is' : 'are'} disabled.` });
  }
  const denials = regenerationDenials(data);
  if (data.bindingType === 1 && denials.length > 0) {
    found.push({ status: 'warn', summary: `Windows cannot renew the Remote Desktop certificate: the store's registry key denies it (${denials.join('; ')}), a hardening policy.` });
  }
  if (data.thumbprintsAgree === false) {
    found.push({ status: 'warn', summary: 'The registry and WMI name different Remote Desktop certificates, so which one is used is unclear.' });
  }
  return found;
}

function fixesFor(data: CertificateData, ctx: EvaluateContext): FixDescriptor[] {
  const cert = data.boundCertificate;
  // The renew fix refuses where the store forbids regeneration: not offered there.
  if (data.bindingType !== 1 || cert === null || !cert.selfSigned || regenerationDenials(data).length > 0) return [];
  const msLeft = Date.parse(cert.notAfter) - ctx.now.getTime();
  return msLeft <= ctx.warnDays * DAY_MS ? [CERTIFICATE_FIXES.renewSelfSigned] : [];
}

/**
 * `unknown` because this account lacks the rights: `errorKind` in the evidence says so the way an
 * error envelope does, so the agent can tell "needs more rights" from "could not finish".
 */
function needsRights(summary: string, shown: Record<string, unknown>, errorKind: string | null): Verdict {
  return { status: 'unknown', summary, evidence: { ...shown, errorKind: errorKind ?? 'error' }, fixes: [] };
}

export function evaluateCertificate(data: CertificateData, ctx: EvaluateContext): Verdict {
  const shown = evidence(data, ctx);
  if (data.boundThumbprint === null) {
    if (!data.wmi.readable) return needsRights('Windows would not let this account read which certificate Remote Desktop uses, and the registry names none.', shown, data.wmi.errorKind);
    return { status: 'unknown', summary: 'No certificate is bound to Remote Desktop, so there is nothing to check yet.', evidence: shown, fixes: [] };
  }
  // Without WMI a custom registry binding is a custom or template certificate: checked alike, never renewed.
  const knownType = data.bindingType !== null ? data.bindingType in BINDING_TYPES : data.bindingSource === 'registry-custom';
  if (!knownType) {
    return { status: 'unknown', summary: 'Windows reports a kind of certificate binding this check does not know.', evidence: shown, fixes: [] };
  }
  const unreadable = unreadableStores(data);
  if (!data.boundFound && unreadable.length > 0) {
    return needsRights(`The certificate store${unreadable.length === 1 ? '' : 's'} ${unreadable.join(', ')} could not be opened with this account's rights, so the Remote Desktop certificate could not be checked.`, shown, 'access-denied');
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
  id: CERTIFICATE_PROBE_ID,
  title: 'Remote Desktop certificate',
  script: 'certificate/Get-RdpCertificate.ps1',
  dataSchema: certificateDataSchema,
  evaluate: evaluateCertificate,
  fixes: certificateFixes.declarations,
};
