/**
 * "Can this PC connect to that computer?": resolve the name (every address), connect to each,
 * time the link on the address that works, run the handshake engine against it, and put what
 * was seen next to this PC's client settings → a verdict with the side at fault. Bounded: a few
 * connects of at most connectMs each, one handshake with its step timeouts. Never rejects.
 */
import type { Status, FixDescriptor } from '../../../probes/common/finding.js';
import type { StepTimeouts } from '../../../probes/handshake/attempt.js';
import { DEFAULT_RDP_PORT, parseTarget } from '../../../probes/handshake/target.js';
import type { ClientSettings } from '../../../probes/client/client-settings.js';
import type { HistoryTarget } from '../../../probes/client/client-history.js';
import { clientRequirements, type RdpFileChoice } from './client-requirements.js';
import { connectEvidence } from './connect-evidence.js';
import { checkHostHandshake, type HostHandshake } from './host-handshake.js';
import { DEFAULT_LINK, summarizeLink, tcpConnect, type ConnectOutcome, type LinkLimits, type LinkStats } from './link.js';
import { resolveTarget, type LookupFn, type ResolvedAddress } from './resolve.js';
import { connectVerdict, type ConnectObservation, type FaultSide } from './verdict.js';

export interface ConnectRequest {
  /** host, host:port, [v6]:port. */
  target: string;
  /** This PC's client settings (null: not read, e.g. not Windows; nothing is blamed on them). */
  client: ClientSettings | null;
  /** The history entry for this target, if any: its .rdp file and accepted certificate. */
  history?: HistoryTarget | null;
  lookup?: LookupFn;
  /** Link tries on the working address (the first reach connect counts as one). */
  tries?: number;
  connectTimeoutMs?: number;
  gapMs?: number;
  /** When the link counts as slow or unstable (default DEFAULT_LINK_LIMITS). */
  linkLimits?: LinkLimits;
  timeouts?: Partial<StepTimeouts>;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface ConnectReport {
  target: string;
  status: Status;
  side: FaultSide;
  summary: string;
  alsoFound: string[];
  fixes: FixDescriptor[];
  evidence: Record<string, unknown>;
  checkedAt: string;
  durationMs: number;
}

function rdpFileOf(history: HistoryTarget | null | undefined): RdpFileChoice | null {
  const file = history?.rdpFiles.find((entry) => entry.parsed !== null && entry.problem === null);
  return file?.parsed ? { name: file.name, path: file.path, parsed: file.parsed } : null;
}

async function linkFrom(first: ConnectOutcome, address: string, port: number, request: NetworkRequest): Promise<LinkStats> {
  const outcomes = [first];
  const tries = Math.min(Math.max(request.tries ?? DEFAULT_LINK.tries, 1), 20);
  for (let index = 1; index < tries && !request.signal?.aborted; index += 1) {
    await new Promise((resolve) => setTimeout(resolve, request.gapMs ?? 20));
    outcomes.push(await tcpConnect(address, port, request.connectTimeoutMs ?? DEFAULT_LINK.timeoutMs, request.signal));
  }
  return summarizeLink(address, outcomes);
}

/** The network half: what this PC sees of the path and the host, without its own settings. */
export interface NetworkObservation {
  target: string;
  host: string;
  port: number;
  resolution: ConnectObservation['resolution'];
  reach: ConnectObservation['reach'];
  link: LinkStats | null;
  handshake: HostHandshake | null;
  started: Date;
  clock: number;
  linkLimits?: LinkLimits;
}

export type NetworkRequest = Omit<ConnectRequest, 'client' | 'history'>;

export async function observeNetwork(request: NetworkRequest): Promise<NetworkObservation | { invalid: string; target: string; started: Date }> {
  const started = (request.now ?? (() => new Date()))();
  const clock = performance.now();
  const parsed = parseTarget(request.target);
  if (!parsed.ok) return { invalid: parsed.problem, target: request.target, started };
  const port = parsed.port ?? DEFAULT_RDP_PORT;
  const resolution = await resolveTarget(parsed.host, request.lookup);
  const addresses: ResolvedAddress[] = resolution.ok ? resolution.addresses.slice(0, 8) : [];
  const timeoutMs = request.connectTimeoutMs ?? DEFAULT_LINK.timeoutMs;
  const reach = await Promise.all(addresses.map(async (address) => ({ address, outcome: await tcpConnect(address.address, port, timeoutMs, request.signal) })));
  const working = reach.find((entry) => entry.outcome.ok);
  let link: LinkStats | null = null;
  let handshake: HostHandshake | null = null;
  if (working) {
    // The link is timed while the handshake runs: the two together take as long as the handshake.
    [link, handshake] = await Promise.all([
      linkFrom(working.outcome, working.address.address, port, request),
      checkHostHandshake(working.address.address, port, { ...(request.timeouts ? { timeouts: request.timeouts } : {}), ...(request.signal ? { signal: request.signal } : {}) }),
    ]);
  }
  return { target: request.target.trim(), host: parsed.host, port, resolution, reach, link, handshake, started, clock, ...(request.linkLimits ? { linkLimits: request.linkLimits } : {}) };
}

/** The two halves together: the verdict and its evidence. */
export function reportFrom(network: Awaited<ReturnType<typeof observeNetwork>>, client: ClientSettings | null, history: HistoryTarget | null): ConnectReport {
  if ('invalid' in network) {
    return { target: network.target, status: 'unknown', side: 'unknown', summary: `Nothing was checked: ${network.invalid}.`, alsoFound: [], fixes: [], evidence: {}, checkedAt: network.started.toISOString(), durationMs: 0 };
  }
  const observation: ConnectObservation = {
    target: network.target,
    host: network.host,
    port: network.port,
    resolution: network.resolution,
    reach: network.reach,
    link: network.link,
    handshake: network.handshake,
    client,
    requirements: clientRequirements(client, rdpFileOf(history)),
    trustedCertHash: history?.trustedCertHash ?? null,
    now: network.started,
    ...(network.linkLimits ? { linkLimits: network.linkLimits } : {}),
  };
  return {
    target: observation.target,
    ...connectVerdict(observation),
    evidence: connectEvidence(observation),
    checkedAt: network.started.toISOString(),
    durationMs: Math.round(performance.now() - network.clock),
  };
}

export async function checkConnection(request: ConnectRequest): Promise<ConnectReport> {
  return reportFrom(await observeNetwork(request), request.client, request.history ?? null);
}
