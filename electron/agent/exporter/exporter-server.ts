/**
 * `rdp-health exporter`: the blackbox-exporter pattern for RDP. GET /probe?target=host:port runs
 * one handshake and answers its Prometheus text; GET /metrics is the exporter's own counters.
 * An allowlist (a targets file) limits what /probe may connect to: a target outside it gets a 403
 * before any connection. Probes are bounded in number; each target's answer is kept for a few
 * seconds (and shared while in flight), so several scrapers cost one handshake.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Target } from '../../../probes/handshake/attempt.js';
import type { TargetReport } from '../../../probes/handshake/target-report.js';
import { DEFAULT_RDP_PORT, formatTarget, parseTarget } from '../../../probes/handshake/target.js';
import { probeTarget } from '../scan/probe-target.js';
import { MetricText, probeMetrics } from './probe-metrics.js';

export interface ExporterOptions {
  host: string;
  port: number;
  /** Keys as targetKey(); null = any target (only allowed on loopback, checked by the command). */
  allowlist: ReadonlySet<string> | null;
  concurrency: number;
  cacheMs: number;
  deadlineMs: number;
  warnDays: number;
  probe?: (target: Target, options: { deadlineMs: number; warnDays: number }) => Promise<TargetReport>;
  /** Told the own time (ms, request in to answer written) of each /probe answered from the cache. */
  onCachedAnswer?: (ms: number) => void;
}

export interface RunningExporter {
  url: string;
  close(): Promise<void>;
}

const MAX_CACHED_TARGETS = 1024;
const BUSY = Symbol('busy');
const TEXT_FORMAT = 'text/plain; version=0.0.4; charset=utf-8';

export function targetKey(target: Target): string {
  return formatTarget(target).toLowerCase();
}

interface CacheEntry {
  expires: number;
  body: Promise<string | typeof BUSY>;
  /** The finished answer, rendered once: a cached /probe does no asynchronous work and no rendering. */
  answer?: Buffer;
}

class Counters {
  probes = 0;
  cacheHits = 0;
  refused = 0;
  badRequests = 0;
  busy = 0;
  inFlight = 0;
  cachedSeconds = 0;
  cachedRequests = 0;

  text(cacheSize: number): string {
    return new MetricText()
      .counter('rdp_exporter_probes_total', 'Handshake probes run.', [[{}, this.probes]])
      .counter('rdp_exporter_cache_hits_total', '/probe requests answered from the cache (or a probe already in flight).', [[{}, this.cacheHits]])
      .counter('rdp_exporter_cached_request_seconds_total', 'Own time spent answering /probe from the cache.', [[{}, this.cachedSeconds]])
      .counter('rdp_exporter_cached_requests_total', '/probe requests answered from a finished cache entry.', [[{}, this.cachedRequests]])
      .counter('rdp_exporter_refused_targets_total', '/probe requests for a target outside the allowlist (403, no connection).', [[{}, this.refused]])
      .counter('rdp_exporter_bad_requests_total', 'Requests that were not understood (400, 404, 405).', [[{}, this.badRequests]])
      .counter('rdp_exporter_busy_total', '/probe requests turned away because too many probes were waiting (503).', [[{}, this.busy]])
      .gauge('rdp_exporter_probes_in_flight', 'Handshake probes running now.', [[{}, this.inFlight]])
      .gauge('rdp_exporter_cached_targets', 'Targets with an answer kept in the cache.', [[{}, cacheSize]])
      .toString();
  }
}

class Semaphore {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly size: number, private readonly maxWaiting: number) {}

  /** false when the queue is full. */
  async run<T>(task: () => Promise<T>): Promise<T | typeof BUSY> {
    if (this.running < this.size) this.running += 1;
    else if (this.waiting.length >= this.maxWaiting) return BUSY;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

function reply(response: http.ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8'): void {
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  response.end(body);
}

/** The deadline Prometheus allows (its scrape timeout header), less a margin; never above ours. */
function deadlineFor(request: http.IncomingMessage, ours: number): number {
  const header = Number(request.headers['x-prometheus-scrape-timeout-seconds']);
  if (!Number.isFinite(header) || header <= 0) return ours;
  return Math.max(1000, Math.min(ours, header * 1000 - 500));
}

export async function startExporter(options: ExporterOptions): Promise<RunningExporter> {
  const counters = new Counters();
  const cache = new Map<string, CacheEntry>();
  const semaphore = new Semaphore(options.concurrency, options.concurrency * 4);
  const probe = options.probe ?? probeTarget;

  const evict = (now: number): void => {
    for (const [key, entry] of cache) if (entry.expires <= now) cache.delete(key);
    while (cache.size >= MAX_CACHED_TARGETS) cache.delete(cache.keys().next().value as string);
  };

  const runProbe = async (target: Target, deadlineMs: number): Promise<string | typeof BUSY> => {
    const result = await semaphore.run(async () => {
      counters.probes += 1;
      counters.inFlight += 1;
      try {
        return probeMetrics(await probe(target, { deadlineMs, warnDays: options.warnDays }));
      } finally {
        counters.inFlight -= 1;
      }
    });
    return result;
  };

  const handleProbe = async (url: URL, request: http.IncomingMessage, response: http.ServerResponse, started: number): Promise<void> => {
    const values = url.searchParams.getAll('target');
    if (values.length !== 1) {
      counters.badRequests += 1;
      reply(response, 400, 'Give exactly one target: /probe?target=host:port\n');
      return;
    }
    const parsed = parseTarget(values[0]!);
    if (!parsed.ok) {
      counters.badRequests += 1;
      reply(response, 400, `Bad target: ${parsed.problem}\n`);
      return;
    }
    const target: Target = { host: parsed.host, port: parsed.port ?? DEFAULT_RDP_PORT };
    const key = targetKey(target);
    if (options.allowlist && !options.allowlist.has(key)) {
      counters.refused += 1;
      reply(response, 403, `${formatTarget(target)} is not in the targets file; this exporter probes only the targets listed there.\n`);
      return;
    }
    const now = Date.now();
    let entry = cache.get(key);
    if (entry && entry.expires > now) {
      counters.cacheHits += 1;
    } else {
      evict(now);
      const fresh: CacheEntry = { expires: Number.POSITIVE_INFINITY, body: runProbe(target, deadlineFor(request, options.deadlineMs)) };
      // Kept from the start, so scrapes arriving meanwhile wait for the same handshake.
      cache.set(key, fresh);
      void fresh.body.then((text) => {
        // A busy answer is not kept: the next scrape tries again.
        if (text === BUSY) cache.delete(key);
        else {
          fresh.answer = Buffer.from(text);
          fresh.expires = Date.now() + options.cacheMs;
        }
      });
      entry = fresh;
    }
    if (entry.answer !== undefined) {
      reply(response, 200, entry.answer, TEXT_FORMAT);
      const ms = performance.now() - started;
      counters.cachedRequests += 1;
      counters.cachedSeconds += ms / 1000;
      options.onCachedAnswer?.(ms);
      return;
    }
    const text = await entry.body;
    if (text === BUSY) {
      counters.busy += 1;
      reply(response, 503, 'Too many probes are waiting; try again.\n');
      return;
    }
    reply(response, 200, text, TEXT_FORMAT);
  };

  const server = http.createServer((request, response) => {
    const started = performance.now();
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://exporter.invalid');
    } catch {
      counters.badRequests += 1;
      reply(response, 400, 'Bad request\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      counters.badRequests += 1;
      reply(response, 405, 'Only GET\n');
      return;
    }
    if (url.pathname === '/probe') {
      handleProbe(url, request, response, started).catch((error: unknown) => {
        if (!response.headersSent) reply(response, 500, `The probe failed: ${error instanceof Error ? error.message : String(error)}\n`);
      });
    } else if (url.pathname === '/metrics') {
      reply(response, 200, counters.text(cache.size), TEXT_FORMAT);
    } else if (url.pathname === '/') {
      reply(response, 200, 'RDP Health exporter: /probe?target=host:port for a target, /metrics for the exporter itself.\n');
    } else {
      counters.badRequests += 1;
      reply(response, 404, 'Not found: /probe?target=host:port or /metrics\n');
    }
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const hostText = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostText}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
