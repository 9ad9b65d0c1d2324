/**
 * The catalog: every probe, in display order. The runner, the CLI and the window all read it.
 */
import type { NodeProbe, PowerShellProbe } from './common/probe.js';
import { certificateProbe } from './certificate/certificate.js';
import { keyAccessProbe } from './key-access/key-access.js';
import { handshakeProbe } from './handshake/handshake.js';
import { firewallProbe } from './firewall/firewall.js';
import { listenerProbe } from './listener/listener.js';
import { nlaProbe } from './nla/nla.js';
import { securityLayerProbe } from './security-layer/security-layer.js';
import { tlsProbe } from './tls/tls.js';

export type Probe = PowerShellProbe | NodeProbe;

export const PROBES: readonly Probe[] = [certificateProbe, keyAccessProbe, nlaProbe, securityLayerProbe, firewallProbe, listenerProbe, tlsProbe, handshakeProbe];

export function findProbe(id: string): Probe | undefined {
  return PROBES.find((probe) => probe.id === id);
}
