// The demo's HTTP bridge, served for real on 127.0.0.1 and driven by the renderer's own HTTP
// bridge (renderer/demo/bridge-http.ts) through fetch: the token, host and origin checks, payload
// validation, and the event stream. The agent behind it is a recording handler table.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpBridge as createServerBridge, tokenMatches, type HttpBridge } from '../../../electron/demo/http-bridge.js';
import { RepairRequestError } from '../../../electron/agent/repair/repair-service.js';
import { DEMO_TOKEN_HEADER } from '../../../electron/demo-token.js';
import { agentActions, type AgentPort } from '../../../electron/shell/actions.js';
import { createHttpBridge as createPageBridge } from '../../../renderer/demo/bridge-http.js';
import { finding, snapshot } from './snapshots.js';

const TOKEN = 'test-token-0123456789';
const current = snapshot([finding('certificate', 'fail')]);

let server: Server;
let bridge: HttpBridge;
let base: string;
let calls: string[];

function recordingAgent(): AgentPort {
  let settings = { checkIntervalMinutes: 30, warnDays: [30], notifications: true, startAtLogin: false, historyCheckMinutes: null as number | null };
  return {
    getSnapshot: () => (calls.push('getSnapshot'), current),
    getStatus: () => ({ checking: false }),
    checkNow: async () => (calls.push('checkNow'), current),
    getHistory: async (o) => (calls.push(`getHistory:${o?.limit}`), [current]),
    getLogs: async () => [],
    getSettings: () => settings,
    getLockedSettings: () => ['warnDays'],
    setSettings: async (patch) => {
      calls.push(`setSettings:${JSON.stringify(patch)}`);
      settings = { ...settings, ...patch };
      return settings;
    },
    repairs: {
      preview: async (fixId) => (calls.push(`preview:${fixId}`), { fixId, previewId: 'p1', changes: [], lowersSecurity: false, disruptsSessions: false }),
      apply: async (fixId, previewId) => {
        calls.push(`apply:${fixId}:${previewId}`);
        if (previewId === 'used') throw new RepairRequestError('Preview this fix first: a fix is applied only after its preview.');
        return { outcome: 'cancelled', message: 'Declined.' };
      },
      undo: async () => ({ outcome: 'fixed', message: '' }),
      repairAllSafe: async () => [],
    },
    client: { history: async () => ({ ok: false, problem: 'not read' }), check: async (target) => { throw new Error(`no network in this test: ${target}`); } },
  };
}

/** A raw request, for what the page bridge would never send. */
function raw(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method: options.method ?? 'POST', headers: options.headers ?? {} }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

beforeEach(async () => {
  calls = [];
  const rendererDir = mkdtempSync(join(tmpdir(), 'renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  let port = 0;
  bridge = createServerBridge({ handlers: agentActions(recordingAgent()), token: TOKEN, rendererDir, port: () => port, initialEvents: () => [{ event: 'checking', value: true }] });
  server = createServer((req, res) => bridge.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterEach(async () => {
  bridge.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const pageBridge = (token = TOKEN) => createPageBridge(token, (url, init) => fetch(`${base}${String(url)}`, init));

describe('demo HTTP bridge', () => {
  it('compares tokens in constant time and exactly', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'abd')).toBe(false);
    expect(tokenMatches('abc', 'abcd')).toBe(false);
    expect(tokenMatches('abc', undefined)).toBe(false);
  });

  it('runs the page bridge’s calls as the contract’s actions', async () => {
    const page = pageBridge();
    await expect(page.getSnapshot()).resolves.toEqual(current);
    await expect(page.previewFix('certificate.renew')).resolves.toMatchObject({ previewId: 'p1' });
    await expect(page.applyFix('certificate.renew', 'p1', true)).resolves.toEqual({ outcome: 'cancelled', message: 'Declined.' });
    await expect(page.getHistory(5)).resolves.toHaveLength(1);
    await expect(page.setSettings({ notifications: false })).resolves.toEqual({ checkIntervalMinutes: 30, warnDays: [30], notifications: false, startAtLogin: false, historyCheckMinutes: null, locked: ['warnDays'] });
    expect(calls).toEqual(['getSnapshot', 'preview:certificate.renew', 'apply:certificate.renew:p1', 'getHistory:5', 'setSettings:{"notifications":false}']);
  });

  it('answers a used or unknown preview with 409 and what happened, not 500', async () => {
    await expect(pageBridge().applyFix('certificate.renew', 'used', false)).rejects.toThrow('Preview this fix first: a fix is applied only after its preview.');
    const response = await raw('/api/applyFix', { headers: { 'x-rdp-health-token': TOKEN, 'content-type': 'application/json' }, body: JSON.stringify({ payload: { fixId: 'certificate.renew', previewId: 'used' } }) });
    expect(response).toEqual({ status: 409, body: JSON.stringify({ error: 'Preview this fix first: a fix is applied only after its preview.' }) });
  });

  it('refuses a wrong token with 403 and runs nothing', async () => {
    await expect(pageBridge('guess').checkNow()).rejects.toThrow('Forbidden');
    expect((await raw('/api/checkNow')).status).toBe(403);
    expect((await raw('/api/checkNow', { headers: { [DEMO_TOKEN_HEADER]: `${TOKEN}x` } })).status).toBe(403);
    expect((await raw('/api/events', { method: 'GET' })).status).toBe(403);
    expect(calls).toEqual([]);
  });

  it('refuses another Host (DNS rebinding) and a cross-site Origin, even with the token', async () => {
    const token = { [DEMO_TOKEN_HEADER]: TOKEN };
    expect((await raw('/api/checkNow', { headers: { ...token, Host: 'attacker.example:80' } })).status).toBe(421);
    expect((await raw('/api/checkNow', { headers: { ...token, Origin: 'http://attacker.example' } })).status).toBe(403);
    expect(calls).toEqual([]);
  });

  it('rejects an invalid payload, an unknown action and a wrong method, and runs nothing', async () => {
    const headers = { [DEMO_TOKEN_HEADER]: TOKEN, 'Content-Type': 'application/json' };
    expect((await raw('/api/previewFix', { headers, body: JSON.stringify({ payload: { fixId: 'x; rm -rf /' } }) })).status).toBe(400);
    expect((await raw('/api/previewFix', { headers, body: JSON.stringify({ payload: { fixId: 'certificate.renew' }, extra: 1 }) })).status).toBe(400);
    expect((await raw('/api/previewFix', { headers, body: '{not json' })).status).toBe(400);
    expect((await raw('/api/previewFix', { headers, body: 'x'.repeat(70 * 1024) })).status).toBe(400);
    expect((await raw('/api/runScript', { headers, body: '{}' })).status).toBe(404);
    expect((await raw('/api/constructor', { headers, body: '{}' })).status).toBe(404);
    expect((await raw('/api/checkNow', { method: 'GET', headers })).status).toBe(405);
    expect(calls).toEqual([]);
  });

  it('serves the page without the token, with its CSP, and nothing outside it', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await raw('/..%2f..%2fetc%2fpasswd', { method: 'GET' })).status).toBe(404);
    expect((await raw('/', { method: 'POST' })).status).toBe(405);
  });

  it('streams the current state on connect, then every push', async () => {
    const page = pageBridge();
    const seen: unknown[] = [];
    const offChecking = page.onChecking((value) => seen.push(['checking', value]));
    const offSnapshot = page.onSnapshot((value) => seen.push(['snapshot', value.overall]));
    await expect.poll(() => seen).toEqual([['checking', true]]);
    bridge.push('checking', false);
    bridge.push('snapshot', current);
    await expect.poll(() => seen).toEqual([['checking', true], ['checking', false], ['snapshot', 'fail']]);
    offChecking();
    offSnapshot();
  });
});
