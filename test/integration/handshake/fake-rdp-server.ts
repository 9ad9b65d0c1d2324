/**
 * A small TCP peer for what xrdp cannot be made to do: reply garbage, close early, stall, send a
 * chosen RDP_NEG_FAILURE code, or pick TLS and then misbehave. Replies are written byte by byte
 * here (not with the probe's own encoder), so the decoder is checked against an independent source.
 */
import net from 'node:net';
import tls from 'node:tls';

export type FakeBehaviour =
  | { kind: 'garbage' }
  | { kind: 'close-at-once' }
  | { kind: 'close-after-request' }
  | { kind: 'truncated-reply' }
  | { kind: 'stall' }
  | { kind: 'trickle' }
  | { kind: 'failure'; code: number }
  | { kind: 'no-negotiation' }
  | { kind: 'tls-then-garbage' }
  | { kind: 'tls-then-stall' }
  | { kind: 'tls-then-close' }
  /** 10 MB of bytes that are not RDP, as fast as the peer reads. */
  | { kind: 'flood' }
  /** A working TLS-only listener (security layer TLS): Confirm selecting TLS, then a real TLS server. */
  | { kind: 'tls'; key: string; cert: string; maxVersion?: tls.SecureVersion };

export interface FakeRdpServer {
  host: '127.0.0.1';
  port: number;
  /** Every requestedProtocols value the fake received, in order. */
  requests: number[];
  /** TCP connections accepted. */
  connections(): number;
  stop(): Promise<void>;
}

/** TPKT + X.224 Connection Confirm, optionally with an 8-byte negotiation structure. */
export function connectionConfirm(negotiation?: { type: number; flags: number; value: number }): Buffer {
  const neg = negotiation
    ? [negotiation.type, negotiation.flags, 0x08, 0x00, ...[0, 8, 16, 24].map((shift) => (negotiation.value >>> shift) & 0xff)]
    : [];
  const x224 = [6 + neg.length, 0xd0, 0x00, 0x00, 0x12, 0x34, 0x00, ...neg];
  const total = 4 + x224.length;
  return Buffer.from([0x03, 0x00, total >> 8, total & 0xff, ...x224]);
}

function requestedProtocols(request: Buffer): number {
  // The RDP_NEG_REQ is the last 8 bytes of the Connection Request; its value is little-endian.
  return request.length >= 8 ? request.readUInt32LE(request.length - 4) : -1;
}

const serverContexts = new WeakMap<object, tls.SecureContext>();

/** One context per listener, as a real server holds its credentials (not one key parse per connection). */
function serverContext(behaviour: { key: string; cert: string; maxVersion?: tls.SecureVersion }): tls.SecureContext {
  let context = serverContexts.get(behaviour);
  if (!context) {
    context = tls.createSecureContext({ key: behaviour.key, cert: behaviour.cert, ...(behaviour.maxVersion ? { maxVersion: behaviour.maxVersion } : {}) });
    serverContexts.set(behaviour, context);
  }
  return context;
}

function behave(socket: net.Socket, behaviour: FakeBehaviour, requests: number[]): void {
  if (behaviour.kind === 'close-at-once') {
    socket.destroy();
    return;
  }
  socket.once('data', (request: Buffer) => {
    const requested = requestedProtocols(request);
    requests.push(requested);
    switch (behaviour.kind) {
      case 'garbage':
        socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
        return;
      case 'close-after-request':
        socket.end();
        return;
      case 'truncated-reply':
        socket.end(connectionConfirm({ type: 0x02, flags: 0, value: 1 }).subarray(0, 9));
        return;
      case 'stall':
        return;
      case 'trickle': {
        // A peer that answers, one byte at a time, far too slowly.
        const reply = connectionConfirm({ type: 0x02, flags: 0, value: 0 });
        let sent = 0;
        const timer = setInterval(() => (sent < reply.length && !socket.destroyed ? socket.write(reply.subarray(sent, ++sent)) : clearInterval(timer)), 100);
        socket.once('close', () => clearInterval(timer));
        return;
      }
      case 'failure':
        socket.end(connectionConfirm({ type: 0x03, flags: 0, value: behaviour.code }));
        return;
      case 'no-negotiation':
        socket.write(connectionConfirm());
        return;
      case 'tls-then-garbage':
        socket.write(connectionConfirm({ type: 0x02, flags: 0, value: requested & 1 }));
        socket.once('data', () => socket.end(Buffer.from('not a TLS ServerHello at all\r\n')));
        return;
      case 'tls-then-stall':
        socket.write(connectionConfirm({ type: 0x02, flags: 0, value: requested & 1 }));
        return;
      case 'tls-then-close':
        socket.write(connectionConfirm({ type: 0x02, flags: 0, value: requested & 1 }));
        socket.once('data', () => socket.destroy());
        return;
      case 'flood':
        socket.end(Buffer.alloc(10 * 1024 * 1024, 0x41));
        return;
      case 'tls':
        if ((requested & 1) === 0) {
          socket.end(connectionConfirm({ type: 0x03, flags: 0, value: 1 })); // SSL_REQUIRED_BY_SERVER
          return;
        }
        socket.write(connectionConfirm({ type: 0x02, flags: 0, value: 1 }));
        new tls.TLSSocket(socket, { isServer: true, secureContext: serverContext(behaviour) }).on('error', () => socket.destroy());
        return;
    }
  });
}

export function startFakeRdpServer(behaviour: FakeBehaviour): Promise<FakeRdpServer> {
  const sockets = new Set<net.Socket>();
  const requests: number[] = [];
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    behave(socket, behaviour, requests);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (typeof address !== 'object' || !address) {
        reject(new Error('fake server has no address'));
        return;
      }
      resolve({
        host: '127.0.0.1',
        port: address.port,
        requests,
        connections: () => connections,
        stop: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
