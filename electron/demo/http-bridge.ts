/**
 * The bridge API over HTTP, for the demo: POST /api/<action> runs the same validated actions as
 * Electron's IPC (shell/actions.ts), GET /api/events streams the same pushes as server-sent
 * events, everything else is the built renderer. Bound to loopback by the caller; every API
 * request must carry the per-run token (compared in constant time), the Host must be ours (no DNS
 * rebinding) and a cross-site Origin is refused, so another local user or a web page cannot
 * drive repairs.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contract, events, type Action, type EventName, type EventOf } from '../contract.js';
import { DEMO_TOKEN_HEADER } from '../demo-token.js';
import { RepairRequestError } from '../agent/repair/repair-service.js';
import { RejectedRequest, runAction, type ActionHandlers } from '../shell/actions.js';
import { SECURITY_HEADERS } from '../shell/content-security-policy.js';
import { mimeType, resolveStaticFile } from '../shell/static-files.js';

const MAX_BODY = 64 * 1024;
const KEEPALIVE_MS = 15_000;

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Constant-time: both sides hashed to the same length first, so neither length nor prefix leaks. */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  return given !== undefined && timingSafeEqual(digest(expected), digest(given));
}

export interface HttpBridgeOptions {
  handlers: ActionHandlers;
  token: string;
  rendererDir: string;
  /** The port we listen on, for the Host/Origin checks (set once listening). */
  port: () => number;
  /** Current values sent to a new event stream, so a (re)connecting page is up to date at once. */
  initialEvents: () => Array<{ [E in EventName]: { event: E; value: EventOf<E> } }[EventName]>;
  log?: (message: string) => void;
}

export interface HttpBridge {
  handle(request: IncomingMessage, response: ServerResponse): void;
  push<E extends EventName>(event: E, value: EventOf<E>): void;
  /** Ends every event stream (before the server closes). */
  close(): void;
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new RejectedRequest('invalid-payload');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function createHttpBridge(options: HttpBridgeOptions): HttpBridge {
  const streams = new Set<ServerResponse>();
  const frame = (event: string, value: unknown) => `event: ${event}\ndata: ${JSON.stringify(value)}\n\n`;

  const hostIsOurs = (host: string | undefined) => host === `127.0.0.1:${options.port()}` || host === `localhost:${options.port()}`;
  const originIsOurs = (origin: string | undefined) => origin === undefined || origin === `http://127.0.0.1:${options.port()}` || origin === `http://localhost:${options.port()}`;

  async function serveStatic(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<void> {
    const file = resolveStaticFile(options.rendererDir, pathname);
    const body = file ? await readFile(file).catch(() => undefined) : undefined;
    if (!file || !body) {
      response.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('Not found');
      return;
    }
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': mimeType(file)!, 'Cache-Control': file.endsWith('.html') ? 'no-store' : 'max-age=3600' });
    response.end(request.method === 'HEAD' ? undefined : body);
  }

  async function serveAction(request: IncomingMessage, response: ServerResponse, action: string): Promise<void> {
    if (!Object.hasOwn(contract, action)) return send(response, 404, { error: 'No such action.' });
    let args: unknown[];
    try {
      const text = await readBody(request);
      const body: unknown = text.trim() === '' ? {} : JSON.parse(text);
      if (typeof body !== 'object' || body === null || Array.isArray(body) || Object.keys(body).some((key) => key !== 'payload')) throw new RejectedRequest('invalid-payload');
      args = 'payload' in body ? [body.payload] : [];
    } catch {
      return send(response, 400, { error: 'The request is not valid.' });
    }
    try {
      const value = await runAction(options.handlers, action as Action, args);
      send(response, 200, { value });
    } catch (error) {
      if (error instanceof RejectedRequest) return send(response, 400, { error: 'The request is not valid.' });
      // A refused repair request (a preview already used or too old, an unknown record) is a conflict the page can explain.
      if (error instanceof RepairRequestError) return send(response, 409, { error: error.message });
      options.log?.(`action ${action} failed: ${String(error)}`);
      send(response, 500, { error: error instanceof Error ? error.message : String(error) });
    }
  }

  function serveEvents(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    for (const { event, value } of options.initialEvents()) response.write(frame(event, value));
    streams.add(response);
    const keepalive = setInterval(() => response.write(': keep-alive\n\n'), KEEPALIVE_MS);
    request.on('close', () => {
      clearInterval(keepalive);
      streams.delete(response);
    });
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!hostIsOurs(request.headers.host)) return send(response, 421, { error: 'Wrong host.' });
    const { pathname } = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (!pathname.startsWith('/api/')) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, { error: 'Method not allowed.' }, { Allow: 'GET, HEAD' });
      return serveStatic(request, response, pathname);
    }
    const token = request.headers[DEMO_TOKEN_HEADER.toLowerCase()];
    if (!originIsOurs(request.headers.origin) || !tokenMatches(options.token, typeof token === 'string' ? token : undefined)) {
      return send(response, 403, { error: 'Forbidden.' });
    }
    if (pathname === '/api/events') {
      return request.method === 'GET' ? serveEvents(request, response) : send(response, 405, { error: 'Method not allowed.' }, { Allow: 'GET' });
    }
    if (request.method !== 'POST') return send(response, 405, { error: 'Method not allowed.' }, { Allow: 'POST' });
    return serveAction(request, response, pathname.slice('/api/'.length));
  }

  return {
    handle(request, response) {
      route(request, response).catch((error: unknown) => {
        options.log?.(`request failed: ${String(error)}`);
        if (!response.headersSent) send(response, 500, { error: 'Internal error.' });
        else response.end();
      });
    },
    push(event, value) {
      const text = frame(event, events[event].parse(value));
      for (const stream of streams) stream.write(text);
    },
    close() {
      for (const stream of streams) stream.end();
      streams.clear();
    },
  };
}
