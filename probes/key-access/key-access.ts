/**
 * Can TermService (NETWORK SERVICE, S-1-5-20) read the private key file of the bound certificate
 * (RDP-FACTS.md §2)? The repair grants read on that one file (`keyFile`), never on the folder.
 */
import { z } from 'zod';
import type { PowerShellProbe, Verdict } from '../common/probe.js';
import { declareHostFixes } from '../common/fixes.js';

const ruleSchema = z.object({
  sid: z.string(),
  /** FileSystemRights as Windows names them, e.g. "Read, Synchronize". */
  rights: z.string(),
  /** The same rights as an unsigned 32-bit mask. */
  rightsMask: z.number().int(),
  type: z.enum(['Allow', 'Deny']),
  inherited: z.boolean(),
});

export const keyAccessDataSchema = z.object({
  boundThumbprint: z.string().nullable(),
  bindingType: z.number().int().nullable(),
  certificateFound: z.boolean(),
  certificateStore: z.string().nullable(),
  hasPrivateKey: z.boolean().nullable(),
  /** rdp-self-signed: TSSecKeySet1, file name derived from MachineGuid; csp/cng: read from the key. */
  keySource: z.enum(['rdp-self-signed', 'csp', 'cng', 'none']),
  keyUniqueName: z.string().nullable(),
  /** The key file whose ACL was read (or, when missing, where it was expected). */
  keyFile: z.string().nullable(),
  candidates: z.array(z.string()),
  /** Self-signed binding: every MachineKeys file named f686aace6942fb7f7ceb231212eef4a4_* (Microsoft's match). */
  prefixMatches: z.array(z.string()),
  fileFound: z.boolean(),
  owner: z.string().nullable(),
  rules: z.array(ruleSchema),
  /** TermService may read: allowed through a SID in its token (NETWORK SERVICE, its groups, its service SIDs) and not denied. */
  networkServiceRead: z.boolean(),
  /** An Allow rule for S-1-5-20 itself. */
  networkServiceRule: z.boolean(),
  readGrantedBy: z.array(z.string()),
  readDeniedBy: z.array(z.string()),
  systemFullControl: z.boolean(),
  /** Service SIDs in TermService's token: NT SERVICE\TermService and, in a shared svchost, its co-hosted services'. */
  serviceSids: z.array(z.object({ name: z.string(), sid: z.string() })),
  /** The key's provider (CSP name, or CNG key storage provider such as the TPM's Microsoft Platform Crypto Provider). */
  keyStorageProvider: z.string().nullable(),
  reason: z.enum(['no-binding', 'certificate-missing', 'no-private-key', 'key-file-missing', 'several-key-files', 'not-file-backed']).nullable(),
});
export type KeyAccessData = z.infer<typeof keyAccessDataSchema>;

export const KEY_ACCESS_PROBE_ID = 'key-access';

const keyAccessFixes = declareHostFixes(KEY_ACCESS_PROBE_ID, {
  // icacls <keyFile> /grant *S-1-5-20:(R) after saving the old ACL, then restart TermService.
  grantNetworkService: {
    id: 'key-access.grant-network-service', title: 'Let Remote Desktop read its certificate key', disruptsSessions: true,
    script: 'key-access/Repair-RdpKeyAccess.ps1', parameters: { Action: 'GrantNetworkService' }, alsoRecheck: ['certificate'],
  },
});
export const KEY_ACCESS_FIXES = keyAccessFixes.descriptors;

const WELL_KNOWN: Record<string, string> = {
  'S-1-5-18': 'SYSTEM',
  'S-1-5-20': 'NETWORK SERVICE',
  'S-1-5-6': 'SERVICE',
  'S-1-5-15': 'This Organization',
  'S-1-2-0': 'LOCAL',
  'S-1-5-80-0': 'NT SERVICE\\ALL SERVICES',
  'S-1-5-19': 'LOCAL SERVICE',
  'S-1-5-32-544': 'Administrators',
  'S-1-5-32-545': 'Users',
  'S-1-5-11': 'Authenticated Users',
  'S-1-1-0': 'Everyone',
};

function describeSid(sid: string, data?: KeyAccessData): string {
  const service = data?.serviceSids.find((entry) => entry.sid === sid);
  const name = WELL_KNOWN[sid] ?? (service ? `NT SERVICE\\${service.name}` : undefined);
  return name ? `${sid} (${name})` : sid;
}

function evidence(data: KeyAccessData): Record<string, unknown> {
  return {
    Thumbprint: data.boundThumbprint ?? 'none bound',
    'Binding type': data.bindingType,
    'Key found by': data.keySource === 'rdp-self-signed' ? 'self-signed RDP key name (TSSecKeySet1: f686aace6942fb7f7ceb231212eef4a4_*)' : data.keySource,
    'Key provider': data.keyStorageProvider,
    'Key file': data.keyFile,
    ...(data.keySource === 'rdp-self-signed' ? { 'Key files named f686aace6942fb7f7ceb231212eef4a4_*': data.prefixMatches } : {}),
    'File found': data.fileFound,
    Owner: data.owner ? describeSid(data.owner) : null,
    'Access rules': data.rules.map((r) => `${r.type} ${describeSid(r.sid, data)}: ${r.rights}${r.inherited ? ' (inherited)' : ''}`),
    'NETWORK SERVICE can read': data.networkServiceRead,
    'Read granted by': data.readGrantedBy.map((sid) => describeSid(sid, data)),
    'Read denied by': data.readDeniedBy.map((sid) => describeSid(sid, data)),
    'SYSTEM full control': data.systemFullControl,
  };
}

function unknown(summary: string, shown: Record<string, unknown>): Verdict {
  return { status: 'unknown', summary, evidence: shown, fixes: [] };
}

export function evaluateKeyAccess(data: KeyAccessData): Verdict {
  const shown = evidence(data);
  switch (data.reason) {
    case 'no-binding':
      return unknown('No certificate is bound to Remote Desktop, so there is no key to check.', shown);
    case 'certificate-missing':
      return unknown('The certificate Remote Desktop is set to use is not on this computer, so its key cannot be checked.', shown);
    case 'no-private-key':
      return unknown('The Remote Desktop certificate has no private key on this computer, so there is no key file to check.', shown);
    case 'key-file-missing':
      if (data.keySource === 'rdp-self-signed') {
        return { status: 'fail', summary: 'The key file of the Remote Desktop certificate is missing, so Remote Desktop cannot use it.', evidence: shown, fixes: [] };
      }
      return unknown('The key file of the Remote Desktop certificate was not found where Windows keeps machine keys.', shown);
    case 'not-file-backed':
      return unknown(`The certificate's key is kept by ${data.keyStorageProvider ?? 'a key storage provider'}, not in a file, so who may read it cannot be checked here.`, shown);
    case 'several-key-files':
      return unknown(`There are ${data.prefixMatches.length} Remote Desktop key files and none is named after this computer's MachineGuid, so which one Remote Desktop uses is unclear.`, shown);
    case null:
      break;
  }
  if (data.readDeniedBy.length > 0) {
    return {
      status: 'fail',
      summary: 'A rule on the certificate key file blocks Remote Desktop from reading it; an administrator must remove that rule.',
      evidence: shown,
      fixes: [],
    };
  }
  if (!data.networkServiceRead) {
    return {
      status: 'fail',
      summary: 'Remote Desktop is not allowed to read its certificate key, so connections fail right after sign-in.',
      evidence: shown,
      fixes: [KEY_ACCESS_FIXES.grantNetworkService],
    };
  }
  if (!data.systemFullControl) {
    return { status: 'warn', summary: 'Windows itself (SYSTEM) lacks full control of the certificate key file, which can stop it renewing the certificate.', evidence: shown, fixes: [] };
  }
  return { status: 'ok', summary: 'Remote Desktop can read its certificate key.', evidence: shown, fixes: [] };
}

export const keyAccessProbe: PowerShellProbe<typeof keyAccessDataSchema> = {
  kind: 'powershell',
  id: KEY_ACCESS_PROBE_ID,
  title: 'Certificate key access',
  script: 'key-access/Get-RdpKeyAccess.ps1',
  dataSchema: keyAccessDataSchema,
  evaluate: (data) => evaluateKeyAccess(data),
  fixes: keyAccessFixes.declarations,
};
