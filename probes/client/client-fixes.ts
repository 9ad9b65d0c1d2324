/**
 * Fixes on this PC (the client side): their descriptors, and for each the reading of this PC's
 * settings that says whether it is still needed — how a client fix is verified (a re-read of the
 * client settings, not a host check). None lowers security: where a verdict's only remedy would
 * (old TLS back on, AllowEncryptionOracle=2), the verdict says so in words and offers no fix.
 */
import { declareClientFixes } from '../common/fixes.js';
import type { ClientSettings } from './client-settings.js';

const clientFixes = declareClientFixes({
  // Enabled=1 / DisabledByDefault=0 under SCHANNEL\Protocols\TLS 1.2\Client (HKLM: elevated).
  // Undoing it turns this PC's TLS 1.2 client off again.
  enableTls12: {
    id: 'client.enable-tls12', title: 'Turn TLS 1.2 back on for this PC\'s Remote Desktop client (takes effect once the client restarts)',
    script: 'client/Repair-RdpClientTls.ps1', raisesSecurity: true,
  },
  // enablecredsspsupport:i:1 in the user's own .rdp files for one computer: run with the user's rights
  // (no elevation), for the computer whose verdict offered it (its host goes to -TargetHost).
  enableCredSspInFile: {
    id: 'rdp-file.enable-credssp', title: 'Turn NLA (CredSSP) back on in your .rdp file for this computer', needsElevation: false,
    script: 'client/Repair-RdpFile.ps1', parameters: { Action: 'EnableCredSsp' }, raisesSecurity: true, targetParameter: 'TargetHost',
  },
});
export const CLIENT_FIXES = clientFixes.descriptors;
/** The fixes on this PC as the fix catalog holds them. */
export const CLIENT_FIX_DECLARATIONS = clientFixes.declarations;

/**
 * A fix for one computer's .rdp file names it to the fix script: a host name or IPv4 address of at most
 * 64 characters (the launcher's plain-token rule); other targets (an IPv6 literal) are told in words only.
 */
export const FIXABLE_TARGET_HOST = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The fix ids verified against this PC's settings rather than by a host check. */
export const CLIENT_FIX_IDS: ReadonlySet<string> = new Set(Object.values(CLIENT_FIXES).map((descriptor) => descriptor.id));

/**
 * Whether this PC's settings, re-read, are as a client fix makes them (its verification); undefined
 * for a fix of an .rdp file, which only the connect re-check of its computer can tell.
 */
export function clientFixApplied(fixId: string, settings: ClientSettings): boolean | undefined {
  if (fixId === CLIENT_FIXES.enableTls12.id) {
    const tls12 = settings.tls.find((entry) => entry.version === '1.2');
    return tls12 !== undefined && tls12.enabled === 1 && tls12.disabledByDefault === 0 && tls12.effective === true;
  }
  return fixId === CLIENT_FIXES.enableCredSspInFile.id ? undefined : false;
}
