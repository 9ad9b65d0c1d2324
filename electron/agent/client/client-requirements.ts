/**
 * What this PC's client insists on for one target, from its settings and the .rdp file that
 * connects to it (mstsc's own defaults when there is no file: Default.rdp says authentication
 * level 2, CredSSP on, negotiation on).
 */
import type { ParsedRdpFile } from '../../../probes/client/rdp-file.js';
import { CLIENT_TLS_VERSIONS, clientTlsVersions, type ClientSettings, type ClientTlsVersion } from '../../../probes/client/client-settings.js';

export interface ClientRequirements {
  /** Where the settings come from, for the evidence: "Work desktop.rdp" or "mstsc defaults". */
  source: string;
  authenticationLevel: number;
  credSsp: boolean;
  negotiate: boolean;
  /** Offers only CredSSP: negotiation off and CredSSP on (IMsRdpClientNonScriptable3::NegotiateSecurityLayer). */
  requiresNla: boolean;
  tlsVersions: readonly ClientTlsVersion[];
  /** False when this PC's settings could not be read: then nothing is blamed on them. */
  settingsKnown: boolean;
}

export interface RdpFileChoice {
  name: string;
  path: string;
  parsed: ParsedRdpFile;
}

export function clientRequirements(settings: ClientSettings | null, file: RdpFileChoice | null): ClientRequirements {
  const security = file?.parsed.security ?? { authenticationLevel: 2, enableCredSsp: true, negotiateSecurityLayer: true };
  return {
    source: file ? file.name : 'mstsc defaults (no .rdp file)',
    authenticationLevel: security.authenticationLevel,
    credSsp: security.enableCredSsp,
    negotiate: security.negotiateSecurityLayer,
    requiresNla: security.enableCredSsp && !security.negotiateSecurityLayer,
    tlsVersions: settings ? clientTlsVersions(settings) : CLIENT_TLS_VERSIONS,
    settingsKnown: settings !== null,
  };
}

export const AUTHENTICATION_LEVELS: Record<number, string> = {
  0: 'connect without warning when the host cannot be verified',
  1: 'do not connect when the host cannot be verified',
  2: 'warn when the host cannot be verified',
  3: 'no requirement (mstsc warns)',
};
