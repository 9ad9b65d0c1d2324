/**
 * Benchmark: `scan` of 256 loopback targets (real xrdp instances and TLS fakes, each on its own
 * port) next to one bare X.224 + TLS handshake to each, at the same concurrency; the heap a scan
 * holds per target at two sizes (256 and 1024), with its results and after they are let go; and
 * the exporter's own time for a cached /probe.
 * Run alone: `node --import tsx bench/scan.ts`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { startExporter, targetKey } from '../electron/agent/exporter/exporter-server.js';
import { runScan } from '../electron/agent/scan/scan-runner.js';
import type { Target } from '../probes/handshake/attempt.js';
import { encodeConnectionRequest } from '../probes/handshake/x224.js';
import { startFakeRdpServer, type FakeRdpServer } from '../test/integration/handshake/fake-rdp-server.js';
import { selfSignedCertificate } from '../test/integration/handshake/openssl-certificates.js';
import { startXrdp, type XrdpServer } from '../test/integration/handshake/xrdp-server.js';
import { nonCodeBytesHeld } from './heap-objects.js';
import { benchWorkRoot, median, round, type BenchSection } from './bench-section.js';

const TARGETS = 256;
/** The second size for the memory measure: fakes only beyond the xrdp instances, they are cheap. */
const MEMORY_TARGETS = 1024;
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


export interface ScanMemory {
  targets: number;
  /** Heap (code aside) held per target after the scan (full collection), its results still referenced. */
  heldPerTargetB: number;
  /** The results, as JSON, per target. */
  resultJsonPerTargetB: number;
  /** Heap (code aside) still held once the results are let go: what the scan kept beyond its results. */
  leftAfterResultsKb: number;
}

/** Scans and weighs the heap while the results are held; they die with this frame. */
async function scanHeld(targets: readonly Target[], forgetRequests: () => void): Promise<{ withResults: number; resultBytes: number }> {
  const result = await runScan(targets, { concurrency: CONCURRENCY });
  if (result.reports.length !== targets.length) throw new Error(`the scan reported ${result.reports.length} of ${targets.length} targets`);
  forgetRequests();
  return { withResults: await nonCodeBytesHeld(), resultBytes: JSON.stringify(result.reports).length };
}

/**
 * Scans `targets` and weighs what stays on the heap, with the results and without them. The scan
 * runs in its own frame: a value once awaited in this one stays in its registers (a stack root).
 */
async function scanMemory(targets: readonly Target[], fakes: readonly FakeRdpServer[]): Promise<ScanMemory> {
  // The fakes log every request they saw: test state, not the scanner's.
  const forgetRequests = (): void => fakes.forEach((fake) => (fake.requests.length = 0));
  forgetRequests();
  const before = await nonCodeBytesHeld();
  const { withResults, resultBytes } = await scanHeld(targets, forgetRequests);
  const withoutResults = await nonCodeBytesHeld();
  return {
    targets: targets.length,
    heldPerTargetB: round((withResults - before) / targets.length),
    resultJsonPerTargetB: round(resultBytes / targets.length),
    leftAfterResultsKb: round((withoutResults - before) / 1024),
  };
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
    while (xrdps.length + fakes.length < MEMORY_TARGETS) fakes.push(await startFakeRdpServer(behaviour));
    const everyTarget: Target[] = [...xrdps, ...fakes].map((server) => ({ host: '127.0.0.1', port: server.port }));
    const targets = everyTarget.slice(0, TARGETS);
    // Warm up both paths once.
    await runScan(targets.slice(0, 8), { concurrency: 8 });
    await pool(targets.slice(0, 8), 8, (target) => bareTlsHandshake(target.port));
    let reports = 0;
    const scanMs = await timed(async () => {
      reports = (await runScan(targets, { concurrency: CONCURRENCY })).reports.length;
    });
    const bareMs = await timed(() => pool(targets, CONCURRENCY, (target) => bareTlsHandshake(target.port)));
    // Memory that grows with the targets beyond their results shows as more heap per target at the
    // larger size, and as heap left once the results are let go.
    // A first large scan compiles what the scans run: compiled code is not per-target state.
    await scanMemory(everyTarget, fakes);
    const small = await scanMemory(targets, fakes);
    const large = await scanMemory(everyTarget, fakes);

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
      scanHeldPerTargetB: small.heldPerTargetB,
      scanHeldPerTargetLargeB: large.heldPerTargetB,
      scanHeldPerTargetLargeOverSmall: round(large.heldPerTargetB / small.heldPerTargetB, 2),
      scanResultJsonPerTargetB: large.resultJsonPerTargetB,
      scanHeldPerTargetBeyondJsonB: round(large.heldPerTargetB - large.resultJsonPerTargetB),
      scanLeftAfterResultsKb: small.leftAfterResultsKb,
      scanLeftAfterResultsLargeKb: large.leftAfterResultsKb,
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
        { label: `scan of ${TARGETS} loopback targets (${XRDP_INSTANCES} xrdp, TLS fakes)`, ms: numbers.scanMs!, note: `concurrency ${CONCURRENCY}; ratio ${numbers.scanOverBare}` },
        { label: `${TARGETS} bare X.224 + TLS handshakes, same concurrency`, ms: numbers.scanBareHandshakesMs! },
        {
          label: `scan heap held per target, ${TARGETS} / ${MEMORY_TARGETS} targets`,
          ms: 0,
          note:
            `${numbers.scanHeldPerTargetB} / ${numbers.scanHeldPerTargetLargeB} B (ratio ${numbers.scanHeldPerTargetLargeOverSmall}) with results of ${numbers.scanResultJsonPerTargetB} B as JSON ` +
            `(${numbers.scanHeldPerTargetBeyondJsonB} B beyond it); ` +
            `left once the results are let go: ${numbers.scanLeftAfterResultsKb} / ${numbers.scanLeftAfterResultsLargeKb} kB`,
        },
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
