/**
 * Benchmark: the whole handshake probe (three negotiation requests, one TLS handshake, TLS-version
 * ClientHellos; three connections at once) against xrdp on loopback, next to one bare TLS handshake to the same port after the
 * same X.224 exchange. Reports medians of N iterations and their ratio.
 * Run alone: `node --import tsx bench/handshake.ts [iterations]`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { pathToFileURL } from 'node:url';
import { createHandshakeProbe } from '../probes/handshake/handshake.js';
import { encodeConnectionRequest } from '../probes/handshake/x224.js';
import { selfSignedCertificate } from '../test/integration/handshake/openssl-certificates.js';
import { startXrdp } from '../test/integration/handshake/xrdp-server.js';
import { benchWorkRoot, median, type BenchSection } from './bench-section.js';
import { measureConnections, type ConnectionCost } from './handshake-connections.js';

export interface HandshakeBenchResult {
  name: 'handshake';
  iterations: number;
  probeMedianMs: number;
  bareTlsMedianMs: number;
  /** probe median / bare TLS median. */
  ratio: number;
  probeStatus: string;
  /** Each connection kind alone (and the whole probe), wall time and xrdp's CPU. */
  connections: ConnectionCost[];
}

/** X.224 request, Connection Confirm, TLS handshake, close: nothing else. */
function bareTlsHandshake(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(encodeConnectionRequest(1)));
    socket.once('error', reject);
    socket.once('data', () => {
      socket.pause();
      const secure = tls.connect({ socket, rejectUnauthorized: false }, () => {
        secure.destroy();
        resolve();
      });
      secure.once('error', reject);
    });
  });
}

async function time(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

export async function runHandshakeBench(options: { iterations?: number; log?: (line: string) => void } = {}): Promise<HandshakeBenchResult> {
  const iterations = options.iterations ?? 20;
  const log = options.log ?? ((line: string) => console.log(line));
  const work = await mkdtemp(path.join(benchWorkRoot(), 'rdp-health-bench-'));
  try {
    const cert = await selfSignedCertificate(work, 'bench', 365);
    const xrdp = await startXrdp({ name: 'bench', securityLayer: 'negotiate', certificate: cert.certificate, key: cert.key }, work);
    try {
      const probe = createHandshakeProbe({ port: xrdp.port });
      const ctx = () => ({ now: new Date(), warnDays: 30, signal: new AbortController().signal, dataOf: () => undefined });
      let probeStatus = 'unknown';
      const runProbe = async (): Promise<void> => {
        probeStatus = (await probe.run(ctx())).status;
      };
      // Warm up both paths (JIT, OpenSSL contexts) before measuring.
      for (let i = 0; i < 2; i += 1) {
        await runProbe();
        await bareTlsHandshake(xrdp.port);
      }
      const probeTimes: number[] = [];
      const bareTimes: number[] = [];
      for (let i = 0; i < iterations; i += 1) {
        probeTimes.push(await time(runProbe));
        bareTimes.push(await time(() => bareTlsHandshake(xrdp.port)));
      }
      const connections = await measureConnections(xrdp.port, xrdp.pid, { bare: () => bareTlsHandshake(xrdp.port), probe: runProbe }, 2 * iterations);
      const result: HandshakeBenchResult = {
        name: 'handshake',
        iterations,
        probeMedianMs: Number(median(probeTimes).toFixed(2)),
        bareTlsMedianMs: Number(median(bareTimes).toFixed(2)),
        ratio: Number((median(probeTimes) / median(bareTimes)).toFixed(2)),
        probeStatus,
        connections,
      };
      log(
        `handshake: probe ${result.probeMedianMs} ms, bare X.224+TLS ${result.bareTlsMedianMs} ms, ` +
          `ratio ${result.ratio} (median of ${iterations}; the probe makes 4 connections, 3 at once, one full TLS handshake)`,
      );
      for (const cost of connections) log(`  ${cost.label}: ${cost.wallMs} ms, xrdp CPU ${cost.serverCpuMs} ms, client CPU ${cost.clientCpuMs} ms`);
      return result;
    } finally {
      await xrdp.stop();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const iterations = process.argv[2] ? Number(process.argv[2]) : undefined;
  runHandshakeBench(iterations ? { iterations } : {}).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}

/** The `npm run bench` section: the same measurement, quietly, as table rows and numbers. */
export const handshakeSection: BenchSection = {
  name: 'handshake',
  async run() {
    const result = await runHandshakeBench({ log: () => {} });
    return {
      rows: [
        { label: 'handshake probe vs xrdp (loopback)', ms: result.probeMedianMs, note: `median of ${result.iterations}; 4 connections (3 at once), 1 full TLS; ratio ${result.ratio}; finding ${result.probeStatus}` },
        { label: 'bare X.224 + TLS handshake, same port', ms: result.bareTlsMedianMs, note: `median of ${result.iterations}` },
        ...result.connections.map((cost) => ({ label: `  alone: ${cost.label}`, ms: cost.wallMs, note: `CPU each: xrdp ${cost.serverCpuMs} ms (/proc), client ${cost.clientCpuMs} ms; ${2 * result.iterations} in a row` })),
      ],
      numbers: {
        handshakeProbeMs: result.probeMedianMs,
        handshakeBareTlsMs: result.bareTlsMedianMs,
        handshakeProbeOverBare: result.ratio,
        ...Object.fromEntries(result.connections.flatMap((cost) => [[`handshake${cost.key}XrdpCpuMs`, cost.serverCpuMs], [`handshake${cost.key}ClientCpuMs`, cost.clientCpuMs]])),
      },
    };
  },
};
