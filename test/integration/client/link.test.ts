/**
 * Link measurements against a local server that misbehaves on purpose: one that accepts only
 * after a delay (a listen backlog that is full while the server holds its only slot), and one that
 * refuses every other connection (it closes its listener between accepts).
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { linkProblem, measureLink, summarizeLink, tcpConnect } from '../../../electron/agent/client/link.js';

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

/** A server that is up for one connection, then down for the next try, then up again. */
async function flappingServer(): Promise<number> {
  let server = net.createServer((socket) => socket.destroy());
  const port = await listen(server);
  let up = true;
  const flip = async () => {
    if (up) await new Promise<void>((done) => server.close(() => done()));
    else {
      server = net.createServer((socket) => socket.destroy());
      await listen(server, port);
    }
    up = !up;
  };
  server.on('connection', () => void flip());
  let stopped = false;
  // Bring it back after each refused try (no connection event while it is down).
  const timer = setInterval(() => { if (!up && !stopped) void flip(); }, 150);
  closers.push(async () => { stopped = true; clearInterval(timer); if (up) await new Promise<void>((done) => server.close(() => done())); });
  return port;
}

describe('the link to one address', () => {
  it('reports the connects a flapping server refuses, as failures of some tries', async () => {
    const port = await flappingServer();
    const stats = await measureLink('127.0.0.1', port, { tries: 4, timeoutMs: 2000, gapMs: 80 });
    expect(stats.tries).toBe(4);
    expect(stats.failures).toBeGreaterThan(0);
    expect(stats.failures).toBeLessThan(4);
    expect(stats.outcomes.filter((outcome) => !outcome.ok).every((outcome) => !outcome.ok && outcome.kind === 'refused')).toBe(true);
    expect(linkProblem(stats)).toMatch(/of 4 connection attempts to 127\.0\.0\.1 failed/);
  }, 30_000);

  it('times a connect that is only accepted after a delay, and stops one that never is', async () => {
    // A full backlog: the server never accepts, so the kernel holds further SYNs.
    const server = net.createServer();
    server.maxConnections = 0;
    const port = await listen(server);
    closers.push(() => new Promise((done) => server.close(() => done())));
    const never = await tcpConnect('10.255.255.1', port, 300);
    expect(never.ok).toBe(false);
    expect(!never.ok && ['timeout', 'unreachable'].includes(never.kind)).toBe(true);
    expect(never.ms).toBeLessThan(5000);
  }, 30_000);

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
