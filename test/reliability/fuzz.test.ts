/**
 * A small fuzz suite (issue 17): random and mutated probe envelopes, X.224 replies (parsed, and
 * served by a hostile peer on 127.0.0.1 that answers with them, then with garbage in place of TLS),
 * settings files, IPC payloads and scenario files. A fixed seed and bounded iterations, so a failure
 * repeats exactly; what each must do is end in a clear result, never throw or hang.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../electron/agent/settings.js';
import { resolveShellExecutable } from '../../electron/agent/powershell-executable.js';
import { simModulePath } from '../../electron/agent/script-paths.js';
import { shippedScenarioPath } from '../../electron/agent/simulated-host.js';
import { contract } from '../../electron/contract.js';
import { parseEnvelope } from '../../probes/common/envelope.js';
import { findingFromNodeProbe, findingFromOutput } from '../../probes/common/probe.js';
import { createHandshakeProbe } from '../../probes/handshake/handshake.js';
import { decodeConnectionConfirm, tpktLength } from '../../probes/handshake/x224.js';
import { PROBES } from '../../probes/index.js';
import { tempDir } from '../integration/agent/helpers.js';

const SEED = 0x17_2026;
const STATUSES = ['ok', 'warn', 'fail', 'unknown'];

/** mulberry32: small, fast, and the same sequence on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const rng = random(SEED);
const int = (n: number): number => Math.floor(rng() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
const WEIRD = ['', 'null', '[]', '{}', '-1', '1e309', '"\u0000"', '{"__proto__":{"x":1}}', '\uFFFD', '9'.repeat(400), 'true', '{"ok":"yes"}'];

/** A JSON value of random shape. */
function randomValue(depth = 0): unknown {
  switch (int(depth > 3 ? 5 : 8)) {
    case 0: return null;
    case 1: return rng() < 0.5;
    case 2: return pick([0, -1, 1.5, 2 ** 53, -0, 1e308, 5, 30]);
    case 3: return pick(['', 'x', 'ok', 'fail', '\u202e', 'C:\\Windows', '../..', 'a'.repeat(300)]);
    case 4: return pick(WEIRD);
    case 5: return Array.from({ length: int(4) }, () => randomValue(depth + 1));
    default: return Object.fromEntries(Array.from({ length: int(5) }, () => [pick(['ok', 'data', 'error', 'kind', 'probe', 'schema', 'message', 'x', '__proto__', 'constructor']), randomValue(depth + 1)]));
  }
}

/** A text with bytes flipped, cut, repeated or replaced, or a value inside it swapped. */
function mutate(text: string): string {
  switch (int(6)) {
    case 0: return text.slice(0, int(text.length + 1));
    case 1: {
      const at = int(text.length + 1);
      return text.slice(0, at) + String.fromCharCode(int(0x3000)) + text.slice(at + 1);
    }
    case 2: return text + text.slice(int(text.length));
    case 3: return pick(WEIRD);
    case 4: {
      try {
        const json = JSON.parse(text) as Record<string, unknown>;
        const keys = Object.keys(json);
        if (keys.length > 0) json[pick(keys)] = randomValue();
        return JSON.stringify(json);
      } catch {
        return text;
      }
    }
    default: return JSON.stringify(randomValue());
  }
}

const seedsFor = (probeId: string): string[] => {
  const dir = resolve(import.meta.dirname, '../fixtures/envelopes', probeId);
  try {
    return readdirSync(dir).filter((name) => name.endsWith('.json')).map((name) => readFileSync(join(dir, name), 'utf8'));
  } catch {
    return [];
  }
};

describe('fuzz (seed 0x172026)', () => {
  it('probe envelopes: 1,000 random and mutated stdouts each end in a finding', () => {
    const ctx = { now: new Date('2026-12-02T12:00:00Z'), warnDays: 30 };
    const powershell = PROBES.filter((probe) => probe.kind === 'powershell');
    for (let i = 0; i < 1000; i += 1) {
      const probe = pick(powershell);
      const seeds = seedsFor(probe.id);
      const text = seeds.length > 0 && rng() < 0.7 ? mutate(pick(seeds)) : JSON.stringify({ probe: probe.id, schema: 1, ok: rng() < 0.8, data: randomValue(), error: randomValue() });
      expect(() => parseEnvelope(probe.id, text)).not.toThrow();
      const finding = findingFromOutput(probe, text, ctx);
      expect(STATUSES, `input: ${text.slice(0, 200)}`).toContain(finding.status);
      expect(typeof finding.summary).toBe('string');
    }
  });

  it('X.224 replies: 2,000 random and mutated packets decode to a reply or "malformed", never a throw', () => {
    const good = Buffer.from('030000130ed000001234000201000000000000', 'hex').subarray(0, 19);
    for (let i = 0; i < 2000; i += 1) {
      const packet = Buffer.from(good);
      if (rng() < 0.3) packet.writeUInt8(int(256), int(packet.length));
      const bytes = rng() < 0.5 ? packet.subarray(0, int(packet.length + 1)) : Buffer.from(Array.from({ length: int(40) }, () => int(256)));
      expect(() => tpktLength(bytes)).not.toThrow();
      expect(['selected', 'failure', 'no-negotiation', 'malformed']).toContain(decodeConnectionConfirm(bytes).kind);
    }
  });

  it('a hostile peer on 127.0.0.1 answering with mutated X.224 and garbage TLS: every handshake ends in a finding', async () => {
    const replies: Buffer[] = [];
    const server: Server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => {
        const reply = replies.shift() ?? Buffer.alloc(0);
        // Some peers answer and close, some keep talking garbage once TLS should start, some go quiet.
        socket.write(reply);
        if (rng() < 0.4) socket.end();
        else socket.once('data', () => socket.end(Buffer.from(Array.from({ length: int(64) }, () => int(256)))));
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as { port: number }).port;
    try {
      for (let i = 0; i < 12; i += 1) {
        const confirm = Buffer.from('030000130ed00000123400020f08000200000000', 'hex').subarray(0, 19);
        for (let flips = int(3); flips > 0; flips -= 1) confirm.writeUInt8(int(256), 5 + int(14));
        for (let n = 0; n < 8; n += 1) replies.push(rng() < 0.7 ? confirm : Buffer.from(Array.from({ length: int(30) }, () => int(256))));
        const probe = createHandshakeProbe({ host: '127.0.0.1', port, timeouts: { connectMs: 2000, replyMs: 1000, tlsMs: 1000 } });
        const finding = await findingFromNodeProbe(probe, { now: new Date(), warnDays: 30, signal: new AbortController().signal, dataOf: () => undefined });
        expect(STATUSES).toContain(finding.status);
        replies.length = 0;
      }
    } finally {
      await new Promise<void>((done) => server.close(() => done()));
    }
  }, 120_000);

  it('settings files: 300 random and mutated files load (defaults where damaged), never throw', async () => {
    const dir = tempDir('fuzz-settings-');
    const valid = JSON.stringify({ checkIntervalMinutes: 30, warnDays: [30, 7], notifications: true, startAtLogin: true, logDir: null, shell: 'auto', probeTimeoutSeconds: 60 });
    for (let i = 0; i < 300; i += 1) {
      const path = join(dir, `settings-${i}.json`);
      writeFileSync(path, rng() < 0.6 ? mutate(valid) : JSON.stringify(randomValue()));
      const loaded = await loadSettings(path, undefined, new Date(0));
      expect(loaded.settings.checkIntervalMinutes).toBeGreaterThanOrEqual(5);
      expect(loaded.settings.warnDays.length).toBeGreaterThan(0);
    }
  });

  it('IPC payloads: 2,000 random requests are accepted or refused by the contract, never throw', () => {
    const actions = Object.keys(contract) as Array<keyof typeof contract>;
    for (let i = 0; i < 2000; i += 1) {
      const action = pick(actions);
      const payload = rng() < 0.3 ? { fixId: pick(['nla.enable', 'x', '../..', 'a'.repeat(70)]), previewId: randomValue(), limit: randomValue() } : randomValue();
      expect(() => contract[action].request.safeParse(payload)).not.toThrow();
    }
  });

  it('scenario files: 25 mutated scenarios are loaded or refused with a message, in one shell', async () => {
    const dir = tempDir('fuzz-scenarios-');
    const healthy = readFileSync(shippedScenarioPath('healthy'), 'utf8');
    const files = Array.from({ length: 25 }, (_, i) => {
      const path = join(dir, `case-${i}.json`);
      writeFileSync(path, rng() < 0.5 ? mutate(healthy) : JSON.stringify({ description: 'fuzz', extends: pick(['healthy', 'nope', '../../etc/passwd', '']), patch: randomValue() }));
      return path;
    });
    const script = [
      `Import-Module '${simModulePath().replace(/'/g, "''")}'`,
      ...files.map((file, i) => `try { $null = Initialize-SimHost -Scenario '${file}' -StatePath '${join(dir, `state-${i}.json`)}'; 'ok' } catch { 'refused: ' + ($_.Exception.Message -replace '\\s+', ' ') }`),
    ].join('\n');
    const { stdout } = await promisify(execFile)(resolveShellExecutable('pwsh'), ['-NoProfile', '-NonInteractive', '-Command', script], { timeout: 120_000, maxBuffer: 4 * 1024 * 1024 });
    const lines = stdout.trim().split('\n').filter((line) => /^(ok|refused: )/.test(line));
    expect(lines).toHaveLength(files.length);
    for (const line of lines.filter((l) => l.startsWith('refused'))) expect(line.length).toBeGreaterThan('refused: '.length + 5);
  }, 180_000);
});
