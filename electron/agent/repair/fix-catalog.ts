/**
 * The fix catalog: the only fix ids the agent accepts, and for each the shipped script, the fixed
 * parameters it runs with (never from a caller), the probes re-run to verify it, and its descriptor
 * (from the probe that offers it). A caller names an id; everything else comes from here.
 */
import type { FixDescriptor } from '../../../probes/common/finding.js';
import { CERTIFICATE_FIXES } from '../../../probes/certificate/certificate.js';
import { CLIENT_FIXES } from '../../../probes/client/client-fixes.js';
import { FIREWALL_FIXES } from '../../../probes/firewall/firewall-analysis.js';
import { KEY_ACCESS_FIXES } from '../../../probes/key-access/key-access.js';
import { LISTENER_FIXES } from '../../../probes/listener/listener.js';
import { NLA_FIXES } from '../../../probes/nla/nla.js';
import { SECURITY_LAYER_FIXES } from '../../../probes/security-layer/security-layer.js';
import { TLS_FIXES } from '../../../probes/tls/tls.js';

/**
 * Fix scripts that are not written yet. Their fixes are listed (the probes offer them) but fail
 * loudly as "not available" instead of pretending. Remove a line when its script lands; a test
 * checks that every script here is still missing and every other one exists.
 */
export const PENDING_SCRIPTS: ReadonlySet<string> = new Set([
]);

export interface FixCatalogEntry {
  descriptor: FixDescriptor;
  /** The fix script, relative to the probes folder, forward slashes. */
  script: string;
  /** Parameters the script always gets for this fix (names and values from this file only). */
  parameters: Readonly<Record<string, string>>;
  /** Probes re-run after the fix; the first is the one whose finding decides "fixed". */
  probes: readonly string[];
  /** The fix raises security, so undoing it lowers security: confirmation, and the policy gate for lowering. */
  raisesSecurity: boolean;
  /** What verifies it: a host check of `probes`, or (a fix on this PC) a re-read of the client settings and a connect re-check. */
  verifiedBy: 'host-probes' | 'client-settings';
  /** The script parameter that gets the host of the computer whose verdict offered the fix (a fix of its .rdp file). */
  targetParameter?: string;
}

function entry(descriptor: FixDescriptor, script: string, parameters: Record<string, string>, probes: string[], raisesSecurity = false): FixCatalogEntry {
  return Object.freeze({ descriptor: Object.freeze({ ...descriptor }), script, parameters: Object.freeze({ ...parameters }), probes: Object.freeze([...probes]), raisesSecurity, verifiedBy: 'host-probes' as const });
}

/** A fix on this PC (probes/client): no host probe verifies it, the client settings do. */
function clientEntry(descriptor: FixDescriptor, script: string, parameters: Record<string, string>, raisesSecurity = false, targetParameter?: string): FixCatalogEntry {
  return Object.freeze({ ...entry(descriptor, script, parameters, [], raisesSecurity), verifiedBy: 'client-settings' as const, ...(targetParameter ? { targetParameter } : {}) });
}

const RAISES_SECURITY = true;

const ENTRIES: readonly FixCatalogEntry[] = [
  // The probe offers it for an expired certificate and inside the warning window: both are in this scope.
  entry(CERTIFICATE_FIXES.renewSelfSigned, 'certificate/Repair-RdpCertificate.ps1', { Action: 'RenewSelfSigned', Scope: 'ExpiringOrExpired' }, ['certificate', 'key-access']),
  entry(KEY_ACCESS_FIXES.grantNetworkService, 'key-access/Repair-RdpKeyAccess.ps1', { Action: 'GrantNetworkService' }, ['key-access', 'certificate']),
  entry(NLA_FIXES.enable, 'nla/Repair-RdpNla.ps1', { Action: 'Enable' }, ['nla', 'security-layer'], RAISES_SECURITY),
  entry(NLA_FIXES.disable, 'nla/Repair-RdpNla.ps1', { Action: 'Disable' }, ['nla', 'security-layer']),
  // Undoing either may put back the RDP layer (no TLS, no server authentication).
  entry(SECURITY_LAYER_FIXES.setNegotiate, 'security-layer/Repair-RdpSecurityLayer.ps1', { Layer: 'Negotiate' }, ['security-layer', 'nla'], RAISES_SECURITY),
  entry(SECURITY_LAYER_FIXES.setTls, 'security-layer/Repair-RdpSecurityLayer.ps1', { Layer: 'Tls' }, ['security-layer', 'nla'], RAISES_SECURITY),
  entry(SECURITY_LAYER_FIXES.setRdp, 'security-layer/Repair-RdpSecurityLayer.ps1', { Layer: 'Rdp' }, ['security-layer', 'nla']),
  // Undoing it turns TLS 1.2 off again, leaving older protocol versions.
  entry(TLS_FIXES.enableTls12, 'tls/Repair-RdpTls.ps1', {}, ['tls'], RAISES_SECURITY),
  entry(FIREWALL_FIXES.enableRules, 'firewall/Repair-RdpFirewall.ps1', { Action: 'EnableRules' }, ['firewall']),
  entry(FIREWALL_FIXES.enableRulesPublic, 'firewall/Repair-RdpFirewall.ps1', { Action: 'EnableRulesPublic' }, ['firewall']),
  entry(FIREWALL_FIXES.alignPort, 'firewall/Repair-RdpFirewall.ps1', { Action: 'AlignPort' }, ['firewall']),
  entry(LISTENER_FIXES.startService, 'listener/Repair-RdpListener.ps1', { Action: 'StartService' }, ['listener', 'firewall']),
  entry(LISTENER_FIXES.restartService, 'listener/Repair-RdpListener.ps1', { Action: 'RestartService' }, ['listener', 'firewall']),
  entry(LISTENER_FIXES.allowConnections, 'listener/Repair-RdpListener.ps1', { Action: 'AllowConnections' }, ['listener', 'firewall']),
  // Fixes on this PC. Undoing it turns this PC's TLS 1.2 client off again.
  clientEntry(CLIENT_FIXES.enableTls12, 'client/Repair-RdpClientTls.ps1', {}, RAISES_SECURITY),
  // The user's own .rdp file: run with the user's rights (needsElevation false), for the computer that offered it.
  clientEntry(CLIENT_FIXES.enableCredSspInFile, 'client/Repair-RdpFile.ps1', { Action: 'EnableCredSsp' }, RAISES_SECURITY, 'TargetHost'),
];

export class FixCatalog {
  private readonly byId: ReadonlyMap<string, FixCatalogEntry>;

  constructor(
    readonly entries: readonly FixCatalogEntry[] = ENTRIES,
    private readonly pending: ReadonlySet<string> = PENDING_SCRIPTS,
  ) {
    this.byId = new Map(entries.map((e) => [e.descriptor.id, e]));
  }

  /** The entry for an id, or undefined: ids are looked up, never parsed or built into anything. */
  get(fixId: unknown): FixCatalogEntry | undefined {
    return typeof fixId === 'string' ? this.byId.get(fixId) : undefined;
  }

  /** Whether the fix's script ships (false for PENDING_SCRIPTS). */
  isAvailable(entry: FixCatalogEntry): boolean {
    return !this.pending.has(entry.script);
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }
}

export const FIX_CATALOG = new FixCatalog();
