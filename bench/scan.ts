/**
 * Benchmark: `scan` of 256 loopback targets (real xrdp instances and TLS fakes, each on its own
 * port) next to one bare X.224 + TLS handshake to each, at the same concurrency; heap after the
 * scan; and the exporter's own time for a cached /probe.
 * Run alone: `node --import tsx bench/scan.ts`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import v8 from 'node:v8';
import vm from 'node:vm';
import { startExporter, targetKey } from '../electron/agent/exporter/exporter-server.js';
import { runScan, type ScanResult } from '../electron/agent/scan/scan-runner.js';
import type { Target } from '../probes/handshake/attempt.js';
import { encodeConnectionRequest } from '../probes/handshake/x224.js';
import { startFakeRdpServer, type FakeRdpServer } from '../test/integration/handshake/fake-rdp-server.js';
import { selfSignedCertificate } from '../test/integration/handshake/openssl-certificates.js';
import { startXrdp, type XrdpServer } from '../test/integration/handshake/xrdp-server.js';
import { benchWorkRoot, median, round, type BenchSection } from './bench-section.js';

const TARGETS = 256;
const XRDP_INSTANCES = 8;
const CONCURRENCY = 32;
const EXPORTER_REQUESTS = 2000;

function bareTlsHandshake(port: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(encodeConnectionRequest(1)));
    socket.once('error', () => resolve());
    socket.once('data', () => {
      socket.pause();
      const secure = tls.connect({ socket, rejectUnauthorized: false }, () => {
        secure.destroy();
        resolve();
      });
      secure.once('error', () => resolve());
    });
  });
}

async function pool(targets: readonly Target[], concurrency: number, work: (target: Target) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < targets.length) await work(targets[next++]!);
    }),
  );
}

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

/** The heap after a full collection: what is still held, not garbage not yet collected. */
function heapHeld(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

export async function runScanBench(): Promise<Record<string, number>> {
  const work = await mkdtemp(path.join(benchWorkRoot(), 'rdp-health-bench-scan-'));
  const xrdps: XrdpServer[] = [];
  const fakes: FakeRdpServer[] = [];
  try {
    const cert = await selfSignedCertificate(work, 'bench', 365);
    for (let i = 0; i < XRDP_INSTANCES; i += 1) {
      xrdps.push(await startXrdp({ name: `bench${i}`, securityLayer: 'negotiate', certificate: cert.certificate, key: cert.key }, work));
    }
    const behaviour = { kind: 'tls', key: await readFile(cert.key, 'utf8'), cert: await readFile(cert.certificate, 'utf8') } as const;
    while (xrdps.length + fakes.length < TARGETS) fakes.push(await startFakeRdpServer(behaviour));
    const targets: Target[] = [...xrdps, ...fakes].map((server) => ({ host: '127.0.0.1', port: server.port }));
    // Warm up both paths once.
    await runScan(targets.slice(0, 8), { concurrency: 8 });
    await pool(targets.slice(0, 8), 8, (target) => bareTlsHandshake(target.port));
    const heapBefore = heapHeld();
    let result: ScanResult | undefined;
    const scanMs = await timed(async () => {
      result = await runScan(targets, { concurrency: CONCURRENCY });
    });
    // Held while measured: the growth is the results plus whatever the scan failed to let go.
    const heapAfter = heapHeld();
    const reports = result?.reports.length ?? 0;
    const resultBytes = JSON.stringify(result?.reports ?? []).length;
    result = undefined;
    const bareMs = await timed(() => pool(targets, CONCURRENCY, (target) => bareTlsHandshake(target.port)));

    // The exporter: one real probe, then cached answers; its own time (request in to answer
    // written) per answer, as it reports it.
    const first = targets[0]!;
    const ownMs: number[] = [];
    const exporter = await startExporter({
      host: '127.0.0.1',
      port: 0,
      allowlist: new Set([targetKey(first)]),
      concurrency: 4,
      cacheMs: 600_000,
      deadlineMs: 10_000,
      warnDays: 30,
      onCachedAnswer: (ms) => ownMs.push(ms),
    });
    try {
      const url = `${exporter.url}/probe?target=127.0.0.1:${first.port}`;
      for (let i = 0; i < 1 + EXPORTER_REQUESTS; i += 1) await (await fetch(url)).text();
    } finally {
      await exporter.close();
    }
    if (reports !== TARGETS) throw new Error(`the scan reported ${reports} of ${TARGETS} targets`);
    return {
      scanTargets: TARGETS,
      scanMs: round(scanMs),
      scanBareHandshakesMs: round(bareMs),
      scanOverBare: round(scanMs / bareMs, 2),
      scanHeapGrowthKb: round((heapAfter - heapBefore) / 1024),
      scanResultKb: round(resultBytes / 1024),
      exporterCachedProbeOwnMs: round(median(ownMs), 3),
      exporterCachedProbeOwnP90Ms: round([...ownMs].sort((a, b) => a - b)[Math.floor(ownMs.length * 0.9)]!, 3),
    };
  } finally {
    await Promise.all([...xrdps.map((server) => server.stop()), ...fakes.map((fake) => fake.stop())]);
    await rm(work, { recursive: true, force: true });
  }
}

export const scanSection: BenchSection = {
  name: 'scan',
  async run() {
    const numbers = await runScanBench();
    return {
      rows: [
        { label: `scan of ${TARGETS} loopback targets (${XRDP_INSTANCES} xrdp, TLS fakes)`, ms: numbers.scanMs!, note: `concurrency ${CONCURRENCY}; ratio ${numbers.scanOverBare}; heap held +${numbers.scanHeapGrowthKb} kB with the ${numbers.scanResultKb} kB (as JSON) of results` },
        { label: `${TARGETS} bare X.224 + TLS handshakes, same concurrency`, ms: numbers.scanBareHandshakesMs! },
        { label: 'exporter: cached /probe, own time', ms: numbers.exporterCachedProbeOwnMs!, note: `median of ${EXPORTER_REQUESTS} (90th percentile ${numbers.exporterCachedProbeOwnP90Ms} ms), request in to answer written` },
      ],
      numbers,
    };
  },
};

if (process.argv[1]?.endsWith('scan.ts')) {
  runScanBench().then((numbers) => console.log(JSON.stringify(numbers)), (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
