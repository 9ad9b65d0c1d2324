/**
 * `rdp-health scan` against a small fleet on loopback: two real xrdp servers, a TLS-only fake,
 * and peers that misbehave (garbage, 10 MB, stall, close at once, close mid-TLS), a refused port
 * and a name that does not resolve. Targets come from a file with comments and bad lines, and from
 * arguments. Each bad peer must be its own finding; the scan goes on and ends.
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../../probes/common/finding.js';
import { runScanCommand } from '../../../electron/cli/scan-command.js';
import type { ScanDocument } from '../../../electron/agent/scan/scan-output.js';
import { startFakeRdpServer, type FakeBehaviour, type FakeRdpServer } from '../handshake/fake-rdp-server.js';
import { selfSignedCertificate, TestCertificateAuthority, type CertificateFiles } from '../handshake/openssl-certificates.js';
import { freePort, startXrdp, type XrdpServer } from '../handshake/xrdp-server.js';

let work: string;
let healthyCert: CertificateFiles;
const xrdps: XrdpServer[] = [];
const fakes = new Map<string, FakeRdpServer>();
let refusedPort: number;

function capture(): { io: { out: (text: string) => void; err: (text: string) => void }; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { out: (text) => (out += text), err: (text) => (err += `${text}\n`) }, out: () => out, err: () => err };
}

const at = (port: number): string => `127.0.0.1:${port}`;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'rdp-health-scan-'));
  healthyCert = await selfSignedCertificate(work, 'healthy', 365, 'DNS:localhost,IP:127.0.0.1');
  const ca = await TestCertificateAuthority.create(path.join(work, 'ca'));
  const expired = await ca.issue('expired', new Date('2020-01-01T00:00:00Z'), new Date('2021-01-01T00:00:00Z'));
  xrdps.push(
    await startXrdp({ name: 'healthy', securityLayer: 'negotiate', certificate: healthyCert.certificate, key: healthyCert.key }, work),
    await startXrdp({ name: 'expired', securityLayer: 'tls', certificate: expired.certificate, key: expired.key }, work),
  );
  const key = await readFile(healthyCert.key, 'utf8');
  const cert = await readFile(healthyCert.certificate, 'utf8');
  const behaviours: Record<string, FakeBehaviour> = {
    tls: { kind: 'tls', key, cert },
    garbage: { kind: 'garbage' },
    flood: { kind: 'flood' },
    stall: { kind: 'stall' },
    'close-at-once': { kind: 'close-at-once' },
    'tls-then-close': { kind: 'tls-then-close' },
  };
  for (const [name, behaviour] of Object.entries(behaviours)) fakes.set(name, await startFakeRdpServer(behaviour));
  refusedPort = await freePort();
}, 60_000);

afterAll(async () => {
  await Promise.all([...xrdps.map((server) => server.stop()), ...[...fakes.values()].map((fake) => fake.stop())]);
  if (work) await rm(work, { recursive: true, force: true });
});

function fake(name: string): FakeRdpServer {
  const found = fakes.get(name);
  if (!found) throw new Error(`no fake ${name}`);
  return found;
}

describe('rdp-health scan', () => {
  it('scans every listed target, each bad peer its own finding, worst first, bad lines by number', async () => {
    const [healthy, expired] = xrdps;
    const file = [
      '# the fleet',
      at(healthy!.port),
      `${at(expired!.port)}   # expired certificate`,
      '',
      at(fake('tls').port),
      '10.0.0.0/24',
      at(fake('garbage').port),
      at(fake('flood').port),
      'not a host',
      at(fake('stall').port),
      at(fake('close-at-once').port),
      at(fake('tls-then-close').port),
      at(healthy!.port), // listed twice: scanned once
    ].join('\n');
    const files: Record<string, string> = { '/fleet/targets.txt': file };
    const { io, out, err } = capture();
    const code = await runScanCommand(
      ['--file', '/fleet/targets.txt', at(refusedPort), 'no-such-host.invalid', '--json', '--timeout', '4', '--concurrency', '4'],
      io,
      { readTextFile: async (name) => files[name] ?? Promise.reject(new Error('missing')) },
    );
    expect(code).toBe(EXIT_CODES.fail);
    const document = JSON.parse(out()) as ScanDocument;
    expect(document.targets).toHaveLength(10);
    expect(document.invalidTargets.map((bad) => bad.source)).toEqual(['targets.txt line 6', 'targets.txt line 9']);
    expect(document.invalidTargets[0]?.problem).toMatch(/address ranges are not scanned/);
    expect(err()).toMatch(/targets\.txt line 9/);

    const byTarget = new Map(document.targets.map((report) => [report.target, report]));
    const ok = byTarget.get(at(healthy!.port))!;
    expect(ok).toMatchObject({
      status: 'ok',
      reachable: true,
      handshakeCompleted: true,
      securityProtocols: { rdp: true, tls: true, credssp: false },
      nlaRequired: false,
      tlsVersions: { 'TLS 1.0': 'refused', 'TLS 1.1': 'refused', 'TLS 1.2': 'accepted', 'TLS 1.3': 'accepted' },
    });
    expect(ok.certificate).toMatchObject({
      subject: 'CN=healthy.rdp-health.test',
      issuer: 'CN=healthy.rdp-health.test',
      thumbprint: healthyCert.thumbprint,
      selfSigned: true,
      nameMatches: true,
      subjectAltNames: ['DNS:localhost', 'IP Address:127.0.0.1'],
    });
    expect(ok.certificate?.daysLeft).toBeGreaterThanOrEqual(363);
    expect(byTarget.get(at(expired!.port))).toMatchObject({ status: 'fail', securityProtocols: { rdp: false, tls: true }, certificate: { selfSigned: false, nameMatches: false } });
    expect(byTarget.get(at(fake('tls').port))).toMatchObject({ status: 'ok', securityProtocols: { rdp: false, tls: true }, certificate: { thumbprint: healthyCert.thumbprint } });
    for (const name of ['garbage', 'flood', 'stall', 'close-at-once', 'tls-then-close']) {
      expect(byTarget.get(at(fake(name).port)), name).toMatchObject({ status: 'fail', reachable: true, handshakeCompleted: false });
    }
    expect(byTarget.get(at(refusedPort))).toMatchObject({ status: 'fail', reachable: false });
    expect(byTarget.get('no-such-host.invalid:3389')).toMatchObject({ status: 'unknown', reachable: false });
    // Worst first: every fail before the unknown, the unknown before the oks.
    const statuses = document.targets.map((report) => report.status);
    expect(statuses.lastIndexOf('fail')).toBeLessThan(statuses.indexOf('unknown'));
    expect(statuses.indexOf('unknown')).toBeLessThan(statuses.indexOf('ok'));
    // Within the deadline, with room for a busy machine.
    for (const report of document.targets) expect(report.durationMs, report.target).toBeLessThan(8000);
  }, 60_000);

  it('prints a table by default and CSV on request, draws progress only on a terminal', async () => {
    const [healthy] = xrdps;
    const args = [at(healthy!.port), at(fake('garbage').port)];
    const table = capture();
    const drawn: string[] = [];
    expect(await runScanCommand(args, table.io, { writeProgress: (text) => drawn.push(text) })).toBe(EXIT_CODES.fail);
    expect(table.out().split('\n')[0]).toMatch(/^STATUS\s+TARGET\s+DAYS\s+TLS\s+PROTOCOLS\s+NLA\s+NAME\s+SUMMARY$/);
    expect(table.out().split('\n')[1]).toMatch(new RegExp(`^FAIL\\s+127\\.0\\.0\\.1:${fake('garbage').port}`));
    expect(drawn.join('')).toMatch(/\[2\/2\]\s+[\d.]+\/s\s+1 failed/);

    const csv = capture();
    await runScanCommand([...args, '--csv'], csv.io);
    const lines = csv.out().trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^target,host,port,status,reachable,/);
    expect(lines.find((line) => line.startsWith(at(healthy!.port)))).toContain(`,${healthyCert.thumbprint},true,`);
  }, 60_000);

  it('refuses nothing silently: no targets, both formats, a range', async () => {
    const none = capture();
    expect(await runScanCommand([], none.io)).toBe(EXIT_CODES.unknown);
    expect(none.err()).toMatch(/no targets given/);
    const both = capture();
    expect(await runScanCommand(['h', '--json', '--csv'], both.io)).toBe(EXIT_CODES.unknown);
    const range = capture();
    expect(await runScanCommand(['192.168.1.*'], range.io)).toBe(EXIT_CODES.unknown);
    expect(range.err()).toMatch(/address range/);
  });
});
