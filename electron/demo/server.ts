/**
 * The demo: both halves of the product on one simulated host. The host checker runs as SYSTEM
 * (its own session, identity system) and publishes to the simulated ProgramData; the window's agent
 * runs as the scenario's user, reads that snapshot through the verified read, and checks by itself
 * only when it cannot trust it, as on a real host. "Check now" runs the host checker again. The
 * renderer is served on 127.0.0.1 with the bridge over HTTP. What the end-to-end tests drive; no Electron here.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSession, defaultProbes } from '../agent/agent-assembly.js';
import { Agent } from '../agent/agent.js';
import { runHostCheck } from '../agent/host-checker.js';
import { simulatedProgramDataDir } from '../agent/simulated-host.js';
import type { ElevationRequest, ElevationResult, Elevator, RecordInspection } from '../agent/repair/elevator.js';
import { SimulatedElevator } from '../agent/repair/simulated-elevator.js';
import { agentActions } from '../shell/actions.js';
import { createHttpBridge } from './http-bridge.js';

export interface DemoOptions {
  /** A shipped scenario name (sim/scenarios) or a path to a scenario file. */
  scenario: string;
  /** 0 or absent: any free port. */
  port?: number;
  /** Where settings, history and logs go; a fresh temporary folder when absent. */
  dataDir?: string;
  /** The demo's built renderer (out/renderer-demo, electron.vite.config.ts's demoRendererConfig). */
  rendererDir: string;
  /** The simulated person answers "No" to every administrator prompt. */
  declineElevation?: boolean;
  /** Start the agent's schedule (a check at once); default true. */
  schedule?: boolean;
  log?: (message: string) => void;
}

/**
 * The simulated UAC: the agent's own SimulatedElevator on the agent's simulated host, made once
 * the agent has prepared that host; `decline` is the person answering "No", switchable at run time.
 */
export class DemoElevator implements Elevator {
  private inner: SimulatedElevator | undefined;
  constructor(private declining: boolean) {}

  attach(agent: Agent): void {
    if (!agent.simulatedHostPath) throw new Error('The demo runs on a simulated host only.');
    this.inner = new SimulatedElevator({ statePath: agent.simulatedHostPath, probesDir: agent.probesDir, fixRoot: join(agent.dataDir, 'fixes'), decline: this.declining });
  }

  get decline(): boolean {
    return this.declining;
  }

  set decline(value: boolean) {
    this.declining = value;
    if (this.inner) this.inner.decline = value;
  }

  /** Every elevation asked for so far. */
  get requests(): readonly ElevationRequest[] {
    return this.inner?.requests ?? [];
  }

  run(request: ElevationRequest): Promise<ElevationResult> {
    if (!this.inner) return Promise.reject(new Error('The simulated host is not ready yet.'));
    return this.inner.run(request);
  }

  inspectRecord(recordId: string): Promise<RecordInspection> {
    if (!this.inner) return Promise.reject(new Error('The simulated host is not ready yet.'));
    return this.inner.inspectRecord(recordId);
  }
}

/** The host checker's half: one check as SYSTEM on the agent's simulated host, published there. */
async function runDemoHostCheck(agent: Agent): Promise<void> {
  const statePath = agent.simulatedHostPath;
  if (!statePath) throw new Error('The demo runs on a simulated host only.');
  const session = createSession({ dataDir: agent.dataDir, probesDir: agent.probesDir, simulatedHostPath: statePath, logger: agent.logger, identity: 'system' });
  try {
    const result = await runHostCheck({
      session,
      probesDir: agent.probesDir,
      probes: defaultProbes(true),
      logger: agent.logger,
      simulated: { programDataDir: simulatedProgramDataDir(statePath), identity: 'system' },
    });
    agent.logger.info('demo host check', { outcome: result.outcome, ...(result.outcome === 'published' ? { problems: result.problems } : { reason: result.reason }) });
  } finally {
    await session.dispose();
  }
}

export interface DemoServer {
  /** The address to open, token included (in the fragment, which the browser never sends). */
  url: string;
  token: string;
  port: number;
  dataDir: string;
  agent: Agent;
  elevator: DemoElevator;
  close(): Promise<void>;
}

export async function startDemoServer(options: DemoOptions): Promise<DemoServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'rdp-health-demo-')));
  const elevator = new DemoElevator(options.declineElevation ?? false);
  // On a simulated host the agent runs no network probes (the handshake needs a real listener).
  // "Check now" in the window runs the host checker again first, as the Task Scheduler task would.
  const agent: Agent = await Agent.create({ dataDir, simulate: options.scenario, simulateIdentity: 'standard-user', elevator, requestHostCheck: () => runDemoHostCheck(agent) });
  elevator.attach(agent);
  await runDemoHostCheck(agent);
  const token = randomBytes(32).toString('base64url');
  let port = 0;
  let checking = false;
  const bridge = createHttpBridge({
    handlers: agentActions(agent),
    token,
    rendererDir: options.rendererDir,
    port: () => port,
    initialEvents: () => {
      const snapshot = agent.getSnapshot();
      return [...(snapshot ? [{ event: 'snapshot' as const, value: snapshot }] : []), { event: 'checking' as const, value: checking }];
    },
    ...(options.log ? { log: options.log } : {}),
  });
  const unsubscribe = [
    agent.on('snapshot', (snapshot) => bridge.push('snapshot', snapshot)),
    agent.on('checking', (value) => {
      checking = value;
      bridge.push('checking', value);
    }),
  ];

  const server: Server = createServer((request, response) => bridge.handle(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Loopback only: another machine never reaches it.
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  if (options.schedule ?? true) agent.start();

  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    token,
    port,
    dataDir,
    agent,
    elevator,
    async close() {
      unsubscribe.forEach((off) => off());
      bridge.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await agent.stop();
    },
  };
}
