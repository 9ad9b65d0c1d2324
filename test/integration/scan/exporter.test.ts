/**
 * `rdp-health exporter` over real HTTP against a TLS-only fake RDP server: the metrics (checked by
 * promtool itself), one handshake for several scrapes, a 403 with no connection for a target
 * outside the allowlist, and query strings that must never crash it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExporter, targetKey, type RunningExporter } from '../../../electron/agent/exporter/exporter-server.js';
import { exporterOptionsFrom } from '../../../electron/cli/exporter-command.js';
import { startFakeRdpServer, type FakeRdpServer } from '../handshake/fake-rdp-server.js';
import { selfSignedCertificate, type CertificateFiles } from '../handshake/openssl-certificates.js';

let work: string;
let cert: CertificateFiles;
let listed: FakeRdpServer;
let unlisted: FakeRdpServer;
let exporter: RunningExporter;
const cachedAnswerMs: number[] = [];

function promtoolCheckMetrics(text: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile('promtool', ['check', 'metrics'], (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
    child.stdin?.end(text);
  });
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'rdp-health-exporter-'));
  cert = await selfSignedCertificate(work, 'exported', 200, 'DNS:localhost');
  const tlsFake = { kind: 'tls', key: await readFile(cert.key, 'utf8'), cert: await readFile(cert.certificate, 'utf8') } as const;
  listed = await startFakeRdpServer(tlsFake);
  unlisted = await startFakeRdpServer(tlsFake);
  exporter = await startExporter({
    host: '127.0.0.1',
    port: 0,
    allowlist: new Set([targetKey({ host: 'localhost', port: listed.port })]),
    concurrency: 2,
    cacheMs: 60_000,
    deadlineMs: 10_000,
    warnDays: 30,
    onCachedAnswer: (ms) => cachedAnswerMs.push(ms),
  });
}, 30_000);

afterAll(async () => {
  await exporter?.close();
  await Promise.all([listed?.stop(), unlisted?.stop()]);
  if (work) await rm(work, { recursive: true, force: true });
});

const get = async (pathAndQuery: string, init?: RequestInit): Promise<{ status: number; text: string }> => {
  const response = await fetch(`${exporter.url}${pathAndQuery}`, init);
  return { status: response.status, text: await response.text() };
};

describe('rdp-health exporter', () => {
  it('answers /probe with Prometheus text that promtool accepts, one handshake for several scrapes', async () => {
    const query = `/probe?target=localhost:${listed.port}`;
    const scrapes = await Promise.all([get(query), get(query), get(query)]);
    const afterFirst = listed.connections();
    const cachedBefore = cachedAnswerMs.length;
    const again = await get(query);
    expect(listed.connections()).toBe(afterFirst);
    // Answered from the finished entry, its own time told (what the bench takes the median of).
    expect(cachedAnswerMs.length).toBe(cachedBefore + 1);
    expect(cachedAnswerMs.at(-1)).toBeGreaterThanOrEqual(0);
    for (const scrape of [...scrapes, again]) expect(scrape.status).toBe(200);
    const { text } = again;
    expect(text).toBe(scrapes[0]?.text);
    expect(text).toMatch(/^rdp_probe_success 1$/m);
    expect(text).toMatch(/^rdp_probe_duration_seconds [\d.e-]+$/m);
    expect(text).toMatch(/^rdp_security_protocol_accepted\{protocol="rdp"\} 0$/m);
    expect(text).toMatch(/^rdp_security_protocol_accepted\{protocol="tls"\} 1$/m);
    expect(text).toMatch(/^rdp_nla_required 0$/m);
    expect(text).toMatch(/^rdp_tls_version_accepted\{version="1\.0"\} 0$/m);
    expect(text).toMatch(/^rdp_tls_version_accepted\{version="1\.2"\} 1$/m);
    expect(text).toMatch(/^rdp_certificate_name_matches 1$/m);
    expect(text).toContain(`thumbprint="${cert.thumbprint}"`);
    const expiry = Number(/^rdp_certificate_expiry_timestamp_seconds (\S+)$/m.exec(text)?.[1]);
    expect(expiry).toBe(cert.notAfter.getTime() / 1000);
    const check = await promtoolCheckMetrics(text);
    expect(check, check.output).toMatchObject({ code: 0 });
  }, 30_000);

  it('refuses a target outside the targets file with 403, and never connects to it', async () => {
    const refused = await get(`/probe?target=127.0.0.1:${unlisted.port}`);
    expect(refused.status).toBe(403);
    expect(refused.text).toMatch(/not in the targets file/);
    // The same listener by another name is another target: the allowlist is what was listed.
    expect((await get(`/probe?target=127.0.0.1:${listed.port}`)).status).toBe(403);
    expect(unlisted.connections()).toBe(0);
  });

  it('never crashes on a query string or a method, and keeps answering', async () => {
    const bad = [
      '/probe',
      '/probe?target=',
      '/probe?target=a&target=b',
      '/probe?target=%ZZ',
      '/probe?target=http://evil.example/x',
      '/probe?target=[::1',
      '/probe?target=host:99999',
      `/probe?target=${'a'.repeat(5000)}`,
      '/probe?target=%00%0a',
      '/nothing-here',
    ];
    for (const query of bad) expect([400, 403, 404], query).toContain((await get(query)).status);
    expect((await get('/metrics', { method: 'POST' })).status).toBe(405);
    const own = await get('/metrics');
    expect(own.status).toBe(200);
    expect(own.text).toMatch(/^rdp_exporter_probes_total 1$/m);
    expect(own.text).toMatch(/^rdp_exporter_cache_hits_total 3$/m);
    // Two refusals above, and "%ZZ" (kept as the text it is: a name, not listed).
    expect(own.text).toMatch(/^rdp_exporter_refused_targets_total 3$/m);
    expect((await promtoolCheckMetrics(own.text)).code).toBe(0);
  });

  it('listens beyond loopback only with a targets file, which then is the allowlist', async () => {
    const io = { out: () => {}, err: () => {} };
    await expect(exporterOptionsFrom(['--listen', '0.0.0.0:9775'], io)).rejects.toThrow(/needs --targets-file/);
    const file = path.join(work, 'targets.txt');
    await writeFile(file, '# hosts\nrdp1.example:3390\nbad host line\n');
    const errors: string[] = [];
    const options = await exporterOptionsFrom(['--listen', '0.0.0.0:9775', '--targets-file', file], { out: () => {}, err: (text) => errors.push(text) });
    expect(options).toMatchObject({ host: '0.0.0.0', port: 9775 });
    expect(options !== 'help' && [...(options.allowlist ?? [])]).toEqual(['rdp1.example:3390']);
    expect(errors.join('\n')).toMatch(/targets\.txt line 3/);
  });
});
