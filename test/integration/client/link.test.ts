/**
 * Link measurements against a local server that misbehaves on purpose: one that accepts only
 * after a delay (its listen queue is full, so the kernel drops SYNs until it accepts), and one that
 * refuses every other connection (it closes its listener between accepts).
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { linkProblem, measureLink, summarizeLink, tcpConnect } from '../../../electron/agent/client/link.js';

const SLOW_ACCEPT = [
  'import socket, sys, time',
  's = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(0)',
  'print(s.getsockname()[1], flush=True)',
  'while True:',
  '    time.sleep(float(sys.argv[1])); c, _ = s.accept(); c.close()',
].join('\n');

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

function listen(server: net.Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

/** A server that goes away for DOWN_MS after each connection it takes, then comes back on the same port. */
const DOWN_MS = 700;
async function flappingServer(): Promise<number> {
  let server: net.Server | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const up = async (port: number): Promise<number> => {
    const next = net.createServer((socket) => {
      socket.destroy();
      next.close();
      server = null;
      if (!stopped) timer = setTimeout(() => void up(port), DOWN_MS);
    });
    server = next;
    return listen(next, port);
  };
  const port = await up(0);
  closers.push(async () => {
    stopped = true;
    clearTimeout(timer);
    const open = server as net.Server | null;
    if (open) await new Promise<void>((done) => open.close(() => done()));
  });
  return port;
}

describe('the link to one address', () => {
  it('reports the connects a flapping server refuses, as failures of some tries', async () => {
    const port = await flappingServer();
    // Tries 450 ms apart: the second and fourth fall into a down time (margins of 250 ms for a busy machine).
    const stats = await measureLink('127.0.0.1', port, { tries: 4, timeoutMs: 2000, gapMs: 450 });
    expect(stats.tries).toBe(4);
    expect(stats.failures).toBeGreaterThan(0);
    expect(stats.failures).toBeLessThan(4);
    expect(stats.outcomes.filter((outcome) => !outcome.ok).every((outcome) => !outcome.ok && outcome.kind === 'refused')).toBe(true);
    expect(linkProblem(stats)).toMatch(/of 4 connection attempts to 127\.0\.0\.1 failed/);
  }, 30_000);

  it('times connects that a server with a full listen queue accepts only after a delay', async () => {
    // Python, not Node: Node accepts every connection at once. listen(0) + one accept every 0.5 s
    // keeps the queue full, so the kernel drops further SYNs and the client retries after ~1 s.
    const server = spawn('python3', ['-c', SLOW_ACCEPT, '0.5'], { stdio: ['ignore', 'pipe', 'inherit'] });
    closers.push(async () => { server.kill('SIGKILL'); });
    const port = await new Promise<number>((resolve, reject) => {
      server.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      server.once('exit', () => reject(new Error('the slow-accept server exited')));
    });
    // Fill the queue, then measure: the first tries wait for a SYN retransmission.
    const held = await Promise.all([0, 1].map(() => tcpConnect('127.0.0.1', port, 5000)));
    expect(held.every((outcome) => outcome.ok)).toBe(true);
    const stats = await measureLink('127.0.0.1', port, { tries: 3, timeoutMs: 8000, gapMs: 0 });
    expect(stats.failures).toBe(0);
    expect(stats.medianMs).toBeGreaterThan(400);
    expect(linkProblem(stats)).toMatch(/^connecting to 127\.0\.0\.1 takes \d+ ms \(median of 3\)$|vary by/);
  }, 60_000);

  it('says slow and unstable from the numbers, never from one fast connect', () => {
    const ok = (ms: number) => ({ ok: true as const, ms });
    expect(linkProblem(summarizeLink('10.0.0.5', [ok(2), ok(3), ok(2)]))).toBeNull();
    expect(linkProblem(summarizeLink('10.0.0.5', [ok(900), ok(950), ok(1000)]))).toBe('connecting to 10.0.0.5 takes 950 ms (median of 3)');
    expect(linkProblem(summarizeLink('10.0.0.5', [ok(5), ok(1500), ok(6)]))).toBe('connect times to 10.0.0.5 vary by 1495 ms');
    const all = summarizeLink('10.0.0.5', [{ ok: false, ms: 3000, kind: 'timeout', code: null }]);
    expect(all.medianMs).toBeNull();
    expect(linkProblem(all)).toBeNull();
  });
});
