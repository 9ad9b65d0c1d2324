/**
 * The probe's connections against a short listen backlog (xrdp listens with 2): never more than
 * three waiting for the server's answer at once, and the fourth starts as soon as one is answered,
 * not when one has finished. A peer that answers each request only after a pause shows both.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { observeHandshake } from '../../../probes/handshake/handshake.js';
import { connectionConfirm } from './fake-rdp-server.js';

let server: net.Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('handshake probe connections', () => {
  it('keeps at most three unanswered, and opens the fourth once one is answered', async () => {
    let unanswered = 0;
    let mostUnanswered = 0;
    let connections = 0;
    let openWhenFourthArrived = -1;
    const open = new Set<net.Socket>();
    server = net.createServer((socket) => {
      connections += 1;
      unanswered += 1;
      mostUnanswered = Math.max(mostUnanswered, unanswered);
      if (connections === 4) openWhenFourthArrived = open.size;
      open.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => open.delete(socket));
      socket.once('data', () => {
        // Answer after a pause (TLS selected), then keep the connection open as a slow TLS server would.
        setTimeout(() => {
          unanswered -= 1;
          socket.write(connectionConfirm({ type: 0x02, flags: 0, value: 1 }));
          setTimeout(() => socket.destroy(), 400);
        }, 100);
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const observation = await observeHandshake({ target: { host: '127.0.0.1', port }, portSource: 'named', timeouts: { tlsMs: 5000 } });
    expect(observation.attempts.map((attempt) => attempt.result?.reply?.kind)).toEqual(['selected', 'selected', 'selected']);
    expect(connections).toBe(4);
    expect(mostUnanswered).toBeLessThanOrEqual(3);
    // The three first were answered and still open (their TLS step under way) when the fourth came.
    expect(openWhenFourthArrived).toBe(3);
  }, 30_000);
});
