/**
 * The connect verdict against real xrdp servers, each case compared with what FreeRDP does under
 * the same settings: a verdict of ok or warn says a client with these settings connects, fail that
 * it cannot. This PC's settings come from the simulated host (client scenarios), the .rdp settings
 * from .rdp text parsed as mstsc does; authentication level 0/1/2 map to FreeRDP's
 * /cert:ignore, /cert:deny and /cert:tofu.
 * FreeRDP 2.11 ignores OPENSSL_CONF version caps, so "this PC has TLS 1.3 off" is played by
 * FreeRDP's +enforce-tlsv1_2 (TLS 1.2 only) against a TLS 1.3-only host.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyTargets, type HistoryTarget } from '../../../probes/client/client-history.js';
import type { ClientSettings } from '../../../probes/client/client-settings.js';
import { readClientSettings } from '../../../electron/agent/client/client-settings-reader.js';
import { checkConnection, type ConnectReport } from '../../../electron/agent/client/connect.js';
import type { LookupFn } from '../../../electron/agent/client/resolve.js';
import { PowerShellSession } from '../../../electron/agent/powershell-session.js';
import { resolveProbesDir, simModulePath } from '../../../electron/agent/script-paths.js';
import { prepareSimulatedHost } from '../../../electron/agent/simulated-host.js';
import { freePort, startXrdp, xrdpIni, XRDP_BINARY, type XrdpConfig, type XrdpServer } from '../handshake/xrdp-server.js';
import { TestCertificateAuthority, selfSignedCertificate, type CertificateFiles } from '../handshake/openssl-certificates.js';
import { runFreerdp, startXvfb, waitForListener, type Xvfb } from './freerdp.js';

const DAY = 86_400_000;
const names: Record<string, string[]> = {};
const lookup: LookupFn = async (host) => {
  const found = names[host.toLowerCase()];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

/** A history entry with one .rdp file, as the history reader builds it. */
function withRdpFile(host: string, text: string): HistoryTarget {
  const entry = historyTargets({ mru: [], servers: [], documents: 'C:\\Users\\alice\\Documents', rdpFiles: [{ path: 'C:\\Users\\alice\\Documents\\case.rdp', name: 'case.rdp', sizeBytes: text.length, text: `full address:s:${host}\r\n${text}`, problem: null }] }).targets[0];
  if (!entry) throw new Error('the .rdp text names no computer');
  return entry;
}

/** The machine is shared and busy: connect times here say nothing about a link (link.test.ts judges links). */
const linkLimits = { slowMedianMs: 60_000, unstableSpreadMs: 60_000 };
const predictsConnect = (report: ConnectReport) => report.status === 'ok' || report.status === 'warn';

async function startXrdpOnIpv6Loopback(config: XrdpConfig, workDir: string): Promise<{ port: number; stop(): Promise<void> }> {
  const dir = path.join(workDir, config.name);
  const port = await freePort();
  const ini = path.join(dir, 'xrdp.ini');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  // xrdp.ini: tcp6://.:port listens on ::1 only.
  await writeFile(ini, xrdpIni(config, port, path.join(dir, 'xrdp.log')).replace(/^port=.*$/m, `port=tcp6://.:${port}`));
  const child = spawn(XRDP_BINARY, ['--nodaemon', '--config', ini], { stdio: 'ignore' });
  if (!(await waitForListener('::1', port))) { child.kill('SIGKILL'); throw new Error('xrdp did not listen on ::1'); }
  return { port, stop: () => new Promise((done) => { if (child.exitCode !== null) return done(); child.once('exit', () => done()); child.kill('SIGTERM'); }) };
}

describe('connect verdicts agree with FreeRDP against real xrdp servers', () => {
  let work: string;
  let xvfb: Xvfb;
  let session: PowerShellSession;
  let settings: ClientSettings;
  let noTls13: ClientSettings;
  const servers: { stop(): Promise<void> }[] = [];
  let tls13Only: XrdpServer;
  let rdpOnly: XrdpServer;
  let v6Port: number;
  let good: XrdpServer;
  let expired: XrdpServer;
  let ca: string;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'rdp-health-connect-'));
    const probesDir = resolveProbesDir({ isPackaged: false });
    const statePath = await prepareSimulatedHost('client-windows11-home', path.join(work, 'sim'));
    // The machine may be busy: a generous start.
    session = new PowerShellSession({ simulate: { statePath, modulePath: simModulePath() }, startTimeoutMs: 120_000, timeoutMs: 120_000 });
    const read = async () => {
      const result = await readClientSettings(session, probesDir);
      if (!result.ok) throw new Error(result.problem);
      return result.settings;
    };
    const settingsRead = read().then(async (first) => {
      settings = first;
      // The same PC after a hardening script turned TLS 1.0, 1.1 and 1.3 off for the client.
      const state = JSON.parse(await readFile(statePath, 'utf8')) as { registry: Record<string, unknown> };
      const clientKey = (version: string) => `HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS ${version}\\Client`;
      Object.assign(state.registry, { [clientKey('1.0')]: { Enabled: 0 }, [clientKey('1.1')]: { Enabled: 0 }, [clientKey('1.3')]: { Enabled: 0, DisabledByDefault: 1 } });
      await writeFile(statePath, JSON.stringify(state));
      noTls13 = await read();
    });
    const authority = await TestCertificateAuthority.create(path.join(work, 'ca'));
    ca = path.join(work, 'ca', 'ca.pem');
    const [goodCert, expiredCert, selfSigned]: CertificateFiles[] = await Promise.all([
      authority.issue('good', new Date(Date.now() - DAY), new Date(Date.now() + 90 * DAY)),
      authority.issue('expired', new Date(Date.now() - 400 * DAY), new Date(Date.now() - 30 * DAY)),
      selfSignedCertificate(path.join(work, 'self'), 'plain', 30),
    ]);
    const tls = (name: string, cert: CertificateFiles, extra: Partial<XrdpConfig> = {}): XrdpConfig => ({ name, securityLayer: 'tls', certificate: cert.certificate, key: cert.key, ...extra });
    [xvfb, tls13Only, rdpOnly, good, expired] = await Promise.all([
      startXvfb(),
      startXrdp(tls('tls13-only', selfSigned!, { sslProtocols: 'TLSv1.3' }), work),
      startXrdp({ ...tls('rdp-only', selfSigned!), securityLayer: 'rdp' }, work),
      startXrdp(tls('good', goodCert!), work),
      startXrdp(tls('expired', expiredCert!), work),
    ]);
    const v6 = await startXrdpOnIpv6Loopback(tls('v6-only', selfSigned!), work);
    v6Port = v6.port;
    servers.push(xvfb, tls13Only, rdpOnly, good, expired, v6);
    await settingsRead;
    names['dual.rdp-health.test'] = ['127.0.0.1', '::1'];
    for (const name of ['good', 'expired', 'other']) names[`${name}.rdp-health.test`] = ['127.0.0.1'];
  }, 120_000);

  afterAll(async () => {
    await Promise.all([...servers.map((server) => server.stop()), session?.dispose()]);
    if (work) await rm(work, { recursive: true, force: true });
  }, 30_000);

  const freerdp = (server: string, args: string[], env: Record<string, string> = {}) => runFreerdp({ display: xvfb.display, server, args, env: { HOME: work, ...env } });
  const level0 = (host: string) => withRdpFile(host, 'authentication level:i:0\r\n');

  it('TLS 1.3-only host: this PC with TLS 1.3 off cannot connect (this PC at fault); with the defaults it can', async () => {
    const target = `127.0.0.1:${tls13Only.port}`;
    const blocked = await checkConnection({ target, client: noTls13, history: level0('127.0.0.1'), lookup, linkLimits });
    const open = await checkConnection({ target, client: settings, history: level0('127.0.0.1'), lookup, linkLimits });
    const [blockedRdp, openRdp] = [await freerdp(target, ['/cert:ignore', '+enforce-tlsv1_2']), await freerdp(target, ['/cert:ignore'])];
    expect(blocked.status, blocked.summary).toBe('fail');
    expect(blocked.side).toBe('this-pc');
    expect(blocked.summary).toMatch(/accepts only TLS 1\.3, which this PC has turned off \(TLS 1\.3 off \(SCHANNEL\\Protocols\\TLS 1\.3\\Client Enabled=0/);
    expect(predictsConnect(blocked), blockedRdp.log).toBe(blockedRdp.connected);
    expect(predictsConnect(open), `${open.summary}\n${openRdp.log}`).toBe(openRdp.connected);
    expect(openRdp.connected).toBe(true);
  }, 60_000);

  it('RDP-security-only host: a client that requires NLA cannot connect (the host at fault); a negotiating one can', async () => {
    const target = `127.0.0.1:${rdpOnly.port}`;
    const nla = await checkConnection({ target, client: settings, history: withRdpFile('127.0.0.1', 'authentication level:i:0\r\nenablecredsspsupport:i:1\r\nnegotiate security layer:i:0\r\n'), lookup, linkLimits });
    const negotiating = await checkConnection({ target, client: settings, history: level0('127.0.0.1'), lookup, linkLimits });
    const [nlaRdp, rdpRdp] = [await freerdp(target, ['/cert:ignore', '/sec:nla']), await freerdp(target, ['/cert:ignore'])];
    expect(nla.status, nla.summary).toBe('fail');
    expect(nla.side).toBe('host');
    expect(nla.summary).toMatch(/only standard RDP security .* insists on NLA/);
    expect(predictsConnect(nla), nlaRdp.log).toBe(nlaRdp.connected);
    expect(negotiating.status, negotiating.summary).toBe('warn');
    expect(predictsConnect(negotiating), rdpRdp.log).toBe(rdpRdp.connected);
  }, 60_000);

  it('a host on ::1 only, by a name that resolves to 127.0.0.1 first: the name-vs-address case, with both addresses', async () => {
    const report = await checkConnection({ target: `dual.rdp-health.test:${v6Port}`, client: settings, history: null, lookup, linkLimits });
    expect(report.status, report.summary).toBe('warn');
    expect(report.side).toBe('network');
    expect(report.summary).toContain('resolves first to 127.0.0.1 (IPv4), which refuses the connection; ::1 (IPv6) works');
    const [first, second] = [await freerdp(`127.0.0.1:${v6Port}`, ['/cert:ignore']), await freerdp(`[::1]:${v6Port}`, ['/cert:ignore'])];
    expect(first.connected, first.log).toBe(false);
    expect(second.connected, second.log).toBe(true);
  }, 60_000);

  it.each([
    { server: 'good', name: 'good', level: 1, args: ['/cert:deny'], status: 'ok' },
    { server: 'expired', name: 'expired', level: 1, args: ['/cert:deny'], status: 'fail' },
    { server: 'expired', name: 'expired', level: 0, args: ['/cert:ignore'], status: 'warn' },
    { server: 'expired', name: 'expired', level: 2, args: ['/cert:tofu'], status: 'warn' },
    { server: 'good', name: 'other', level: 1, args: ['/cert:deny'], status: 'fail' },
  ])('certificate of $server by the name $name, authentication level $level: $status, as FreeRDP $args', async ({ server, name, level, args, status }) => {
    const port = (server === 'good' ? good : expired).port;
    const host = `${name}.rdp-health.test`;
    const report = await checkConnection({ target: `${host}:${port}`, client: settings, history: withRdpFile(host, `authentication level:i:${level}\r\n`), lookup, linkLimits });
    const run = await freerdp(`127.0.0.1:${port}`, [...args, `/cert-name:${host}`], { SSL_CERT_FILE: ca, HOME: await mkdtemp(path.join(work, 'home-')) });
    expect(report.status, report.summary).toBe(status);
    expect(predictsConnect(report), `${report.summary}\n${run.log}`).toBe(run.connected);
  }, 60_000);
});
