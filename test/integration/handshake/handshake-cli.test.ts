/**
 * `rdp-health handshake` as a monitoring system runs it: the command function the CLI dispatches
 * to, against a real xrdp (ok), a peer without negotiation (warn), a closed port (fail), and
 * arguments it cannot use (unknown). Exit codes follow the monitoring-plugin convention.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findingSchema } from '../../../probes/common/finding.js';
import { runHandshakeCommand } from '../../../electron/cli/handshake-command.js';
import { main } from '../../../electron/cli.js';
import { selfSignedCertificate, type CertificateFiles } from './openssl-certificates.js';
import { startFakeRdpServer, type FakeRdpServer } from './fake-rdp-server.js';
import { freePort, startXrdp, type XrdpServer } from './xrdp-server.js';

let work: string;
let cert: CertificateFiles;
let xrdp: XrdpServer;
let legacy: FakeRdpServer;

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runHandshakeCommand(argv, { out: (text) => (stdout += text), err: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'rdp-health-cli-'));
  cert = await selfSignedCertificate(work, 'cli', 365);
  [xrdp, legacy] = await Promise.all([
    startXrdp({ name: 'cli', securityLayer: 'negotiate', certificate: cert.certificate, key: cert.key }, work),
    startFakeRdpServer({ kind: 'no-negotiation' }),
  ]);
});

afterAll(async () => {
  await Promise.all([xrdp?.stop(), legacy?.stop()]);
  if (work) await rm(work, { recursive: true, force: true });
});

describe('rdp-health handshake', () => {
  it('prints a status line and the evidence, and exits 0 for a healthy listener', async () => {
    const { code, stdout, stderr } = await run(`127.0.0.1:${xrdp.port}`);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.split('\n')[0]).toMatch(/^Remote Desktop handshake: OK - /);
    expect(stdout).toContain(`  Certificate thumbprint: ${cert.thumbprint}\n`);
    expect(stdout).toContain(`  Port: ${xrdp.port} (as named)\n`);
    expect(stdout).toMatch(/ {2}TLS versions:\n {6}TLS 1\.0: refused by the server/);
  });

  it('prints the finding as JSON that passes the Finding schema', async () => {
    const { code, stdout } = await run('--json', `127.0.0.1:${xrdp.port}`);
    expect(code).toBe(0);
    const finding = findingSchema.parse(JSON.parse(stdout));
    expect(finding).toMatchObject({ probeId: 'handshake', status: 'ok', fixes: [] });
    expect(finding.evidence['Certificate thumbprint']).toBe(cert.thumbprint);
  });

  it('exits 1 for a warning (a server without TLS)', async () => {
    const { code, stdout } = await run(`127.0.0.1:${legacy.port}`, '--json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout).status).toBe('warn');
  });

  it('exits 2 when nothing listens', async () => {
    const port = await freePort();
    const { code, stdout } = await run(`127.0.0.1:${port}`);
    expect(code).toBe(2);
    expect(stdout).toMatch(/^Remote Desktop handshake: FAIL - Nothing is accepting/);
  });

  it.each([
    [['127.0.0.1:99999'], /not a port number/],
    [['--verbose'], /unknown option --verbose/],
    [['a', 'b'], /one host at most/],
    [['[not-v6]:3389'], /not an IPv6 address/],
  ])('exits 3 with the usage for %j, connecting nowhere', async (argv, problem) => {
    const { code, stdout, stderr } = await run(...argv);
    expect(code).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toMatch(problem);
    expect(stderr).toContain('Usage: rdp-health handshake [host[:port]] [--json]');
  });

  it('prints the usage for --help and exits 0', async () => {
    const { code, stdout } = await run('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Exit codes: 0 ok, 1 warn, 2 fail, 3 unknown.');
  });

  it('is dispatched by the rdp-health command line', async () => {
    let stdout = '';
    const code = await main(['handshake', '--json', `127.0.0.1:${xrdp.port}`], { out: (text) => (stdout += text), err: () => undefined });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ probeId: 'handshake', status: 'ok' });
  });

  it('gives a monitoring system the exit code as a real process (bin/rdp-health.mjs)', async () => {
    const port = await freePort();
    const bin = path.resolve(import.meta.dirname, '../../../bin/rdp-health.mjs');
    const code = await new Promise<number | null>((resolve) => {
      const child = execFile(process.execPath, [bin, 'handshake', `127.0.0.1:${port}`], () => resolve(child.exitCode));
    });
    expect(code).toBe(2);
  });
});
