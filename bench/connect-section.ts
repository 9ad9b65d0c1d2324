/**
 * Benchmark: `rdp-health connect`'s network work (resolve, one connect per address, the link
 * tries, the handshake, the verdict) against a healthy xrdp on loopback, next to the handshake
 * engine alone on the same host. Target: connect ≤ 1.5× the handshake. This PC's settings are
 * given (as the window's warm session has them): reading them is PowerShell time, not network time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkConnection } from '../electron/agent/client/connect.js';
import { observeHandshake } from '../probes/handshake/handshake.js';
import { selfSignedCertificate } from '../test/integration/handshake/openssl-certificates.js';
import { startXrdp } from '../test/integration/handshake/xrdp-server.js';
import { median, round, type BenchSection } from './bench-section.js';

const ITERATIONS = 7;

async function time(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

export const connectSection: BenchSection = {
  name: 'connect',
  async run() {
    const work = await mkdtemp(path.join(tmpdir(), 'rdp-health-bench-connect-'));
    try {
      const cert = await selfSignedCertificate(work, 'bench', 30);
      const xrdp = await startXrdp({ name: 'bench-connect', securityLayer: 'negotiate', certificate: cert.certificate, key: cert.key }, work);
      try {
        const target = `127.0.0.1:${xrdp.port}`;
        const handshake = () => observeHandshake({ target: { host: '127.0.0.1', port: xrdp.port }, portSource: 'named' });
        let status = 'unknown';
        const connect = async () => { status = (await checkConnection({ target, client: null })).status; };
        for (let i = 0; i < 2; i += 1) { await handshake(); await connect(); }
        const handshakeTimes: number[] = [];
        const connectTimes: number[] = [];
        for (let i = 0; i < ITERATIONS; i += 1) {
          handshakeTimes.push(await time(handshake));
          connectTimes.push(await time(connect));
        }
        const ratio = median(connectTimes) / median(handshakeTimes);
        return {
          rows: [
            { label: 'handshake engine alone', ms: median(handshakeTimes), note: `median of ${ITERATIONS}` },
            { label: 'connect (resolve, link, handshake, verdict)', ms: median(connectTimes), note: `ratio ${round(ratio, 2)} (target <= 1.5), verdict ${status}` },
          ],
          numbers: { connectMedianMs: round(median(connectTimes)), connectHandshakeMedianMs: round(median(handshakeTimes)), connectRatio: round(ratio, 2) },
        };
      } finally {
        await xrdp.stop();
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  },
};
