/**
 * Fixes on this PC (the client side): their descriptors, and for each the reading of this PC's
 * settings that says whether it is still needed — how a client fix is verified (a re-read of the
 * client settings, not a host check). None lowers security: where a verdict's only remedy would
 * (old TLS back on, AllowEncryptionOracle=2), the verdict says so in words and offers no fix.
 */
import { fix } from '../common/fixes.js';
import type { ClientSettings } from './client-settings.js';

export const CLIENT_FIXES = {
  // Enabled=1 / DisabledByDefault=0 under SCHANNEL\Protocols\TLS 1.2\Client (HKLM: elevated).
  enableTls12: fix('client.enable-tls12', 'Turn TLS 1.2 back on for this PC\'s Remote Desktop client (takes effect once the client restarts)', {}),
  // enablecredsspsupport:i:1 in the user's own .rdp files for one computer: run with the user's rights.
  enableCredSspInFile: fix('rdp-file.enable-credssp', 'Turn NLA (CredSSP) back on in your .rdp file for this computer', { needsElevation: false }),
};

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
