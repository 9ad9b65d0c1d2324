/**
 * This PC's Remote Desktop client settings (Get-RdpClientSettings.ps1): the schema of what the
 * script reads, and plain-word readings of it the verdict builds on.
 */
import { z } from 'zod';

export const CLIENT_SETTINGS_SCRIPT = 'client/Get-RdpClientSettings.ps1';
export const CLIENT_SETTINGS_PROBE_ID = 'client-settings';

const nullableInt = z.number().int().nullable().optional().transform((value) => value ?? null);
const nullableString = z.string().nullable().optional().transform((value) => value ?? null);

export const CLIENT_TLS_VERSIONS = ['1.0', '1.1', '1.2', '1.3'] as const;
export type ClientTlsVersion = (typeof CLIENT_TLS_VERSIONS)[number];

export const clientSettingsSchema = z.object({
  os: z.object({ build: nullableInt, productName: nullableString, editionId: nullableString }),
  tls: z.array(
    z.object({
      version: z.enum(CLIENT_TLS_VERSIONS),
      path: z.string(),
      enabled: nullableInt,
      disabledByDefault: nullableInt,
      osDefault: z.boolean().nullable(),
      effective: z.boolean().nullable(),
      source: z.enum(['registry', 'os-default']),
    }),
  ),
  credSsp: z.object({ path: z.string(), allowEncryptionOracle: nullableInt }),
  rdpHost: z.object({ denyConnections: nullableInt, source: z.string() }),
  events: z.array(z.object({ id: z.number().int(), time: z.string(), reason: nullableInt, server: nullableString, message: z.string() })),
});
export type ClientSettings = z.infer<typeof clientSettingsSchema>;
export type ClientTls = ClientSettings['tls'][number];

/** Node's names for the TLS versions, as the handshake engine reports them. */
export const NODE_TLS_NAME: Record<ClientTlsVersion, string> = { '1.0': 'TLSv1', '1.1': 'TLSv1.1', '1.2': 'TLSv1.2', '1.3': 'TLSv1.3' };

/** Versions this PC's client may offer (unknown counts as may: never blame a setting we could not read). */
export function clientTlsVersions(settings: ClientSettings): ClientTlsVersion[] {
  return settings.tls.filter((entry) => entry.effective !== false).map((entry) => entry.version);
}

export function describeClientTls(entry: ClientTls): string {
  if (entry.source === 'registry') return `${entry.effective ? 'on' : 'off'} (SCHANNEL\\Protocols\\TLS ${entry.version}\\Client Enabled=${entry.enabled ?? 'absent'}, DisabledByDefault=${entry.disabledByDefault ?? 'absent'})`;
  if (entry.effective === null) return 'unknown (no registry value, and this Windows build\'s default is not known)';
  return `${entry.effective ? 'on' : 'off'} (Windows default for this build)`;
}

/** AllowEncryptionOracle in words (KB4093492; absent = Mitigated, the default since May 2018). */
export const ENCRYPTION_ORACLE: Record<number, string> = {
  0: 'Force Updated Clients (0): connects only to hosts with the 2018 CredSSP update',
  1: 'Mitigated (1): refuses to fall back to an unpatched CredSSP host',
  2: 'Vulnerable (2): also talks to unpatched CredSSP hosts',
};

export function describeEncryptionOracle(value: number | null): string {
  if (value === null) return 'not set: Mitigated (1), the default since the May 2018 update';
  return ENCRYPTION_ORACLE[value] ?? `unknown value ${value}`;
}

/** Home editions (EditionID Core*) cannot host Remote Desktop; fDenyTSConnections=1 turns it off on the others. */
export function acceptsRemoteDesktop(settings: ClientSettings): { accepts: boolean; why: string } {
  const edition = settings.os.editionId ?? '';
  if (/^Core/i.test(edition)) return { accepts: false, why: `this is a Home edition of Windows (EditionID ${edition}), which cannot host Remote Desktop` };
  if (settings.rdpHost.denyConnections === 1) return { accepts: false, why: `Remote Desktop is turned off here (fDenyTSConnections=1, ${settings.rdpHost.source})` };
  return { accepts: true, why: 'Remote Desktop connections are allowed' };
}
