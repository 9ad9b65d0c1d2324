/** The fixes the client side offers on this PC (their scripts and parameters: the fix catalog). */
import { fix } from '../../../probes/common/fixes.js';

export const CLIENT_FIXES = {
  // Writes Enabled=1 / DisabledByDefault=0 under SCHANNEL\Protocols\TLS 1.2\Client: raises security, needs elevation.
  enableTls12: fix('client.enable-tls12', 'Turn TLS 1.2 back on for this PC\'s Remote Desktop client (takes effect after Windows restarts)', {}),
  // Sets enablecredsspsupport:i:1 in the user's own .rdp file: no elevation, raises security.
  rdpFileEnableCredSsp: fix('client.rdp-file-enable-credssp', 'Turn CredSSP (NLA) back on in the .rdp file', { needsElevation: false }),
};
