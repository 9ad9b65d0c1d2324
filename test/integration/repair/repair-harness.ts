/**
 * The repair orchestration wired as the agent wires it, on a simulated host: a real warm pwsh
 * session, the real CheckRunner over the PowerShell probes, the SimulatedElevator running the real
 * fix scripts. Only the elevation itself is the seam.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { PROBES } from '../../../probes/index.js';
import { CheckRunner } from '../../../electron/agent/check-runner.js';
import { PowerShellSession } from '../../../electron/agent/powershell-session.js';
import { RepairService, type RepairServiceOptions } from '../../../electron/agent/repair/repair-service.js';
import { SimulatedElevator } from '../../../electron/agent/repair/simulated-elevator.js';
import { resolveProbesDir, simModulePath } from '../../../electron/agent/script-paths.js';
import { prepareSimulatedHost, type SimulatedIdentity } from '../../../electron/agent/simulated-host.js';

export const probesDir = resolveProbesDir({ isPackaged: false });
// The probes the shipped fixes (nla, security-layer, tls, firewall, listener) re-run: a full cycle of every probe is not needed here.
const repairedProbes = PROBES.filter(
  (probe) => probe.kind === 'powershell' && ['nla', 'security-layer', 'tls', 'firewall', 'listener'].includes(probe.id),
);

export interface Harness {
  dir: string;
  statePath: string;
  fixRoot: string;
  session: PowerShellSession;
  runner: CheckRunner;
  elevator: SimulatedElevator;
  service: RepairService;
  /** The working copy as text (compare before/after). */
  hostText(): string;
  /** One registry value of the working copy. */
  registry(key: string, name: string): unknown;
  fixFiles(): string[];
  dispose(): Promise<void>;
}

/**
 * `const start = harnessPerTest();` at the top of a test file: `start(...)` opens a harness (as
 * `harness` does) that is disposed after the test that opened it.
 */
export function harnessPerTest(): (...args: Parameters<typeof harness>) => Promise<Harness> {
  const open: Harness[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((h) => h.dispose()));
  });
  return async (...args) => {
    const h = await harness(...args);
    open.push(h);
    return h;
  };
}

/** A scenario name, or { extends, patch } written to a scenario file first. */
export async function harness(
  scenario: string | { extends: string; patch: Record<string, unknown> },
  options: { decline?: boolean; service?: Partial<RepairServiceOptions>; identity?: SimulatedIdentity } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'rdp-repair-'));
  let name = scenario as string;
  if (typeof scenario !== 'string') {
    name = join(dir, 'case.json');
    writeFileSync(name, JSON.stringify({ description: 'test case', ...scenario }));
  }
  // Who the checks and previews run as (default: the scenario's, system); fixes run elevated whatever it is.
  const statePath = await prepareSimulatedHost(name, dir, options.identity ? { identity: options.identity } : {});
  const fixRoot = join(dir, 'fixes');
  const session = new PowerShellSession({ simulate: { statePath, modulePath: simModulePath() } });
  const runner = new CheckRunner({ session, probesDir, probes: repairedProbes, probeTimeoutMs: () => 30_000 });
  const elevator = new SimulatedElevator({ statePath, probesDir, fixRoot, decline: options.decline ?? false });
  const service = new RepairService({
    session,
    probesDir,
    elevator,
    recheck: (probeIds) => runner.run({ probeIds }),
    snapshot: async () => runner.latest() ?? runner.run(),
    ...options.service,
  });
  const state = () => JSON.parse(readFileSync(statePath, 'utf8')) as { registry: Record<string, Record<string, unknown>> };
  return {
    dir,
    statePath,
    fixRoot,
    session,
    runner,
    elevator,
    service,
    hostText: () => readFileSync(statePath, 'utf8'),
    registry: (key, valueName) => state().registry[key]?.[valueName],
    fixFiles: () => {
      try {
        return readdirSync(fixRoot).sort();
      } catch {
        return [];
      }
    },
    dispose: async () => {
      await session.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const RDP_TCP = 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp';
export const TLS12_SERVER = 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Server';
