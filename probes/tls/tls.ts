/**
 * TLS versions the Schannel server side offers, and so what Remote Desktop can negotiate
 * (RDP-FACTS.md §7). Current clients need TLS 1.2 (or 1.3 where both ends have it).
 */
import { z } from 'zod';
import type { EvaluateContext, PowerShellProbe, Verdict } from '../common/probe.js';
import type { FixDescriptor } from '../common/finding.js';
import { declareHostFixes } from '../common/fixes.js';

const VERSIONS = ['1.0', '1.1', '1.2', '1.3'] as const;
type TlsVersion = (typeof VERSIONS)[number];
/** TLS wire versions as Get-TlsCipherSuite reports them in Protocols. */
const WIRE_VERSION: Record<TlsVersion, number> = { '1.0': 769, '1.1': 770, '1.2': 771, '1.3': 772 };

const protocolSchema = z.object({
  version: z.enum(VERSIONS),
  path: z.string(),
  keyPresent: z.boolean(),
  /** Raw registry values; null when absent. */
  enabled: z.number().int().nullable(),
  disabledByDefault: z.number().int().nullable(),
  /** Does this build's Schannel have the version at all (null: build unknown or too old to say). */
  supported: z.boolean().nullable(),
  osDefault: z.boolean().nullable(),
  /** Offered to clients: true, false, or null when it cannot be told. */
  effective: z.boolean().nullable(),
  source: z.enum(['registry', 'os-default']),
});
export type TlsProtocol = z.infer<typeof protocolSchema>;

export const tlsDataSchema = z.object({
  os: z.object({ build: z.number().int().nullable(), productName: z.string().nullable(), installationType: z.string().nullable() }),
  protocols: z.array(protocolSchema),
  cipherSuitePolicy: z.object({ path: z.string(), functions: z.array(z.string()).nullable() }),
  /** Get-TlsCipherSuite, in order; null where the command does not exist. */
  cipherSuites: z.array(z.object({ name: z.string(), protocols: z.array(z.number().int()) })).nullable(),
});
export type TlsData = z.infer<typeof tlsDataSchema>;

export const TLS_PROBE_ID = 'tls';

const tlsFixes = declareHostFixes(TLS_PROBE_ID, {
  // Writes Enabled=1 / DisabledByDefault=0 under TLS 1.2\Server; Schannel reads it at boot.
  // Undoing it turns TLS 1.2 off again, leaving older protocol versions.
  enableTls12: {
    id: 'tls.enable-tls12', title: 'Turn TLS 1.2 back on for Remote Desktop (takes effect after Windows restarts)',
    script: 'tls/Repair-RdpTls.ps1', raisesSecurity: true,
  },
});
export const TLS_FIXES = tlsFixes.descriptors;

const NEW_CLIENTS = 'Current Remote Desktop clients (Windows 10 and later, macOS, iOS, Android) connect with TLS 1.2, or TLS 1.3 where both ends have it.';
const OLD_CLIENTS = 'Windows 7 / Server 2008 R2 clients can use TLS 1.2 only with update KB3080079 installed.';
/**
 * Whether this cycle's handshake check saw Remote Desktop accept TLS 1.3 (its finding's evidence
 * 'TLS versions' → 'TLS 1.3': 'accepted - <cipher>'). No Microsoft page says TermService negotiates
 * TLS 1.3, so without that observation a TLS-1.3-only host is not said to let anyone connect.
 */
const handshakeEvidence = z.object({ evidence: z.object({ 'TLS versions': z.record(z.string(), z.string()) }).loose() }).loose();
export function handshakeSawTls13(ctx: Pick<EvaluateContext, 'dataOf'> | undefined): boolean {
  const seen = handshakeEvidence.safeParse(ctx?.dataOf?.('handshake'));
  return seen.success && (seen.data.evidence['TLS versions']['TLS 1.3'] ?? '').startsWith('accepted');
}

const ONLY_13_CLIENTS = 'Clients that stop at TLS 1.2 (Windows 10, Server 2019 and older, many third-party clients) cannot connect while only TLS 1.3 is on.';

function describeProtocol(protocol: TlsProtocol): string {
  const raw = `Enabled=${protocol.enabled ?? 'absent'}, DisabledByDefault=${protocol.disabledByDefault ?? 'absent'}`;
  if (protocol.supported === false) return 'not available on this Windows build';
  const state = protocol.effective === null ? 'unknown' : protocol.effective ? 'on' : 'off';
  if (protocol.source === 'registry') return `${state} (registry: ${raw})`;
  return `${state} (Windows default for this build${protocol.keyPresent ? `; ${raw}` : ''})`;
}

function evidence(data: TlsData, byVersion: Map<string, TlsProtocol>): Record<string, unknown> {
  const { os } = data;
  const shown: Record<string, unknown> = {
    Windows: `${os.productName ?? 'unknown product'} (build ${os.build ?? 'unknown'}, ${os.installationType ?? 'unknown type'})`,
  };
  for (const version of VERSIONS) {
    const protocol = byVersion.get(version);
    shown[`TLS ${version} server`] = protocol ? describeProtocol(protocol) : 'not reported';
  }
  shown['Cipher suite order policy'] = data.cipherSuitePolicy.functions ?? 'not set';
  shown['Cipher suites (Get-TlsCipherSuite)'] = data.cipherSuites === null
    ? 'not available (no TLS module on this Windows)'
    : data.cipherSuites.map((suite) => suite.name);
  return shown;
}

/** Cipher suites usable with at least one version that is on; null when the list is unknown. */
function usableSuites(data: TlsData, on: TlsVersion[]): string[] | null {
  if (data.cipherSuites === null) return null;
  const wire = new Set(on.map((version) => WIRE_VERSION[version]));
  return data.cipherSuites.filter((suite) => suite.protocols.some((code) => wire.has(code))).map((suite) => suite.name);
}

/** The fix writes the registry, so it helps only where the registry (not the build) turned 1.2 off. */
function tls12Fixes(tls12: TlsProtocol): FixDescriptor[] {
  return tls12.source === 'registry' && tls12.supported !== false ? [TLS_FIXES.enableTls12] : [];
}

export function evaluateTls(data: TlsData, ctx?: Pick<EvaluateContext, 'dataOf'>): Verdict {
  const byVersion = new Map(data.protocols.map((protocol) => [protocol.version, protocol] as const));
  const shown = evidence(data, byVersion);
  const tls12 = byVersion.get('1.2');
  const tls13 = byVersion.get('1.3');
  if (!tls12 || !tls13) {
    return { status: 'unknown', summary: 'The check did not report every TLS version, so what clients can use is unclear.', evidence: shown, fixes: [] };
  }
  if (tls12.effective === null) {
    return {
      status: 'unknown',
      summary: tls12.source === 'registry'
        ? 'TLS 1.2 is marked "disabled by default" for this server, and whether Remote Desktop still offers it cannot be told from here.'
        : 'Could not tell whether this Windows version offers TLS 1.2 to Remote Desktop clients.',
      evidence: shown,
      fixes: tls12.source === 'registry' ? tls12Fixes(tls12) : [],
    };
  }
  const on = VERSIONS.filter((version) => byVersion.get(version)?.effective === true);
  if (!tls12.effective) {
    if (tls13.effective === true) {
      if (handshakeSawTls13(ctx)) {
        return {
          status: 'warn',
          summary: 'Only TLS 1.3 is on: the handshake check saw Remote Desktop accept TLS 1.3, so the newest clients connect, but older ones that stop at TLS 1.2 get error 0x904.',
          evidence: { ...shown, 'New clients': 'Clients with TLS 1.3 (Windows 11 / Server 2022 and later) connect: the handshake check saw a TLS 1.3 handshake.', 'Old clients': `${ONLY_13_CLIENTS} ${OLD_CLIENTS}` },
          fixes: tls12Fixes(tls12),
        };
      }
      return {
        status: 'warn',
        summary: 'Only TLS 1.3 is on, and no Microsoft documentation says Remote Desktop negotiates TLS 1.3, so clients may not connect at all (error 0x904); no TLS 1.3 handshake with Remote Desktop was seen.',
        evidence: {
          ...shown,
          'New clients': 'Unverified: whether Remote Desktop accepts TLS 1.3 was not observed (the handshake check did not run or saw no TLS 1.3 handshake).',
          'Old clients': `${ONLY_13_CLIENTS} ${OLD_CLIENTS}`,
        },
        fixes: tls12Fixes(tls12),
      };
    }
    if (tls13.effective === false) {
      const left = on.length > 0 ? `only TLS ${on.join(' and ')} remain${on.length === 1 ? 's' : ''}` : 'no TLS version remains';
      return {
        status: 'fail',
        summary: `TLS 1.2 is turned off and this Windows has no TLS 1.3, so current Remote Desktop clients cannot connect (error 0x904 / 0x7); ${left}.`,
        evidence: { ...shown, 'New clients': 'Need TLS 1.2 (or 1.3, which this server lacks): they fail.', 'Old clients': on.length > 0 ? `Only clients still on TLS ${on.join('/')} connect; re-enabling TLS 1.2 is the fix, not relying on old versions.` : 'None can connect.' },
        fixes: tls12Fixes(tls12),
      };
    }
    return { status: 'unknown', summary: 'TLS 1.2 is off and whether TLS 1.3 is available could not be told.', evidence: shown, fixes: tls12Fixes(tls12) };
  }
  const usable = usableSuites(data, on);
  if (data.cipherSuites !== null && data.cipherSuites.length === 0) {
    return {
      status: 'fail',
      summary: 'Every TLS cipher suite is turned off, so no TLS connection to Remote Desktop can be set up.',
      evidence: shown,
      fixes: [],
    };
  }
  if (usable !== null && usable.length === 0) {
    // Protocols per suite is documented by example only: a mismatch is reported, not judged.
    return {
      status: 'unknown',
      summary: 'None of the enabled cipher suites lists a TLS version that is on, so whether clients can agree on one is unclear.',
      evidence: { ...shown, 'TLS versions on': on.map((version) => `TLS ${version}`) },
      fixes: [],
    };
  }
  const oldOff = byVersion.get('1.0')?.effective === false && byVersion.get('1.1')?.effective === false;
  return {
    status: 'ok',
    summary: tls13.effective === true
      ? 'TLS 1.2 and 1.3 are on, so current Remote Desktop clients can connect securely.'
      : 'TLS 1.2 is on, so current Remote Desktop clients can connect securely.',
    evidence: {
      ...shown,
      'New clients': NEW_CLIENTS,
      'Old clients': oldOff ? `TLS 1.0 and 1.1 are off. ${OLD_CLIENTS}` : OLD_CLIENTS,
      ...(usable !== null ? { 'Usable cipher suites': usable.length } : {}),
    },
    fixes: [],
  };
}

export const tlsProbe: PowerShellProbe<typeof tlsDataSchema> = {
  kind: 'powershell',
  id: TLS_PROBE_ID,
  title: 'TLS versions',
  script: 'tls/Get-RdpTls.ps1',
  dataSchema: tlsDataSchema,
  evaluate: (data, ctx) => evaluateTls(data, ctx),
  dependsOn: ['handshake'],
  fixes: tlsFixes.declarations,
};
