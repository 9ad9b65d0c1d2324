/**
 * A HealthSnapshot of a shipped scenario, from the envelopes recorded on the simulated host
 * (test/fixtures/envelopes, `npm run fixtures`) evaluated by the real probe modules: what the
 * agent would show, without running pwsh. JSON imports, so the page's tsconfig checks it too.
 */
import type { HealthSnapshot } from '../../../electron/domain/finding.js';
import { overallStatus } from '../../../electron/domain/finding.js';
import { certificateProbe } from '../../../probes/certificate/certificate.js';
import { findingFromOutput, type PowerShellProbe } from '../../../probes/common/probe.js';
import { firewallProbe } from '../../../probes/firewall/firewall.js';
import { keyAccessProbe } from '../../../probes/key-access/key-access.js';
import { listenerProbe } from '../../../probes/listener/listener.js';
import { nlaProbe } from '../../../probes/nla/nla.js';
import { securityLayerProbe } from '../../../probes/security-layer/security-layer.js';
import { tlsProbe } from '../../../probes/tls/tls.js';
import certificate from '../../fixtures/envelopes/certificate/security-layer-rdp-with-nla.json';
import firewall from '../../fixtures/envelopes/firewall/security-layer-rdp-with-nla.json';
import keyAccess from '../../fixtures/envelopes/key-access/security-layer-rdp-with-nla.json';
import listener from '../../fixtures/envelopes/listener/security-layer-rdp-with-nla.json';
import nla from '../../fixtures/envelopes/nla/security-layer-rdp-with-nla.json';
import securityLayer from '../../fixtures/envelopes/security-layer/security-layer-rdp-with-nla.json';
import tls from '../../fixtures/envelopes/tls/security-layer-rdp-with-nla.json';

interface Recorded {
  recordedAt: string;
  envelope?: unknown;
  stdout?: string;
}

const RECORDED: Array<[PowerShellProbe, Recorded]> = [
  [certificateProbe, certificate],
  [keyAccessProbe, keyAccess],
  [listenerProbe, listener],
  [firewallProbe, firewall],
  [nlaProbe, nla],
  [securityLayerProbe, securityLayer],
  [tlsProbe, tls],
];

/** The security-layer-rdp-with-nla host: the RDP layer while NLA is required. */
export function securityLayerRdpWithNla(): HealthSnapshot {
  const startedAt = RECORDED[0]![1].recordedAt;
  const findings = RECORDED.map(([probe, recorded]) =>
    findingFromOutput(probe, recorded.envelope !== undefined ? JSON.stringify(recorded.envelope) : (recorded.stdout ?? ''), { now: new Date(recorded.recordedAt), warnDays: 30 }),
  );
  return { overall: overallStatus(findings), findings, startedAt, durationMs: 1500, host: 'RDPHOST01' };
}
