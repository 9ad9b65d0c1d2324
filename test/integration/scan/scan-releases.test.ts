/**
 * A scan lets go of every target it finished: no socket or timer is left running, and no client
 * socket stays reachable once the scan returned, while its results are still held. Healthy TLS
 * fakes, a peer that stalls (the deadline path), one that closes mid-TLS and a refused port.
 * What a bench measures in bytes (bench/scan.ts) this checks by the objects themselves.
 */
import diagnostics from 'node:diagnostics_channel';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runScan } from '../../../electron/agent/scan/scan-runner.js';
import type { Target } from '../../../probes/handshake/attempt.js';
import { startFakeRdpServer, type FakeRdpServer } from '../handshake/fake-rdp-server.js';
import { selfSignedCertificate } from '../handshake/openssl-certificates.js';
import { freePort } from '../handshake/xrdp-server.js';

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

let work: string;
const fakes: FakeRdpServer[] = [];
let refusedPort: number;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'rdp-health-scan-releases-'));
  const cert = await selfSignedCertificate(work, 'releases', 365);
  const tlsBehaviour = { kind: 'tls', key: await readFile(cert.key, 'utf8'), cert: await readFile(cert.certificate, 'utf8') } as const;
  for (const behaviour of [tlsBehaviour, tlsBehaviour, { kind: 'stall' } as const, { kind: 'tls-then-close' } as const]) {
    fakes.push(await startFakeRdpServer(behaviour));
  }
  refusedPort = await freePort();
}, 30_000);

afterAll(async () => {
  await Promise.all(fakes.map((fake) => fake.stop()));
  if (work) await rm(work, { recursive: true, force: true });
});

/** How many of each kind of handle and request keep the event loop alive (sockets, timers, lookups). */
function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/** The kinds of which more are alive than at `baseline`, with their counts. */
function beyond(baseline: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(resources()).filter(([kind, count]) => count > (baseline[kind] ?? 0)));
}

async function settledBeyond(baseline: Record<string, number>): Promise<Record<string, number>> {
  // Closing a socket finishes on a later turn of the event loop: wait a bounded while for it.
  for (let i = 0; i < 100 && Object.keys(beyond(baseline)).length > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
  return beyond(baseline);
}

it('leaves no socket, timer or per-target object behind but the results', async () => {
  const ports = [...fakes.map((fake) => fake.port), refusedPort];
  const targets: Target[] = [1, 2, 3].flatMap(() => ports.map((port) => ({ host: '127.0.0.1', port })));
  const sockets: Array<WeakRef<net.Socket>> = [];
  const onSocket = (message: unknown): void => {
    sockets.push(new WeakRef((message as { socket: net.Socket }).socket));
  };
  const baseline = resources();
  diagnostics.subscribe('net.client.socket', onSocket);
  let result;
  try {
    result = await runScan(targets, { concurrency: 4, deadlineMs: 1500 });
  } finally {
    diagnostics.unsubscribe('net.client.socket', onSocket);
  }
  expect(result.reports).toHaveLength(targets.length);
  expect(await settledBeyond(baseline)).toEqual({});
  // Every target opened its connections (the refused port's too).
  expect(sockets.length).toBeGreaterThanOrEqual(targets.length * 3);
  // WeakRefs are cleared only after the turn that made them; collect, yield, collect.
  collectGarbage();
  await new Promise((resolve) => setImmediate(resolve));
  collectGarbage();
  expect(sockets.filter((socket) => socket.deref() !== undefined)).toHaveLength(0);
  expect(result.reports.map((report) => report.status)).toContain('ok');
}, 60_000);
