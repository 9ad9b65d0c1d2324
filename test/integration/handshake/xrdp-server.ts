/**
 * A real RDP server for the handshake tests: Debian's xrdp, started in the foreground on a free
 * 127.0.0.1 port with an xrdp.ini written into a temp dir (certificate, key, security_layer,
 * ssl_protocols, log file). xrdp-sesman is not needed: nothing here logs in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

export const XRDP_BINARY = ['/usr/sbin/xrdp', '/usr/local/sbin/xrdp'].find((candidate) => existsSync(candidate)) ?? 'xrdp';

export interface XrdpConfig {
  /** A name for the config's folder and log. */
  name: string;
  securityLayer: 'tls' | 'rdp' | 'negotiate';
  certificate: string;
  key: string;
  /** xrdp.ini ssl_protocols; default "TLSv1.2, TLSv1.3" (the Debian default). */
  sslProtocols?: string;
  /** xrdp.ini tls_ciphers (OpenSSL cipher string), e.g. to let old TLS versions through. */
  tlsCiphers?: string;
}

export interface XrdpServer {
  host: '127.0.0.1';
  port: number;
  config: XrdpConfig;
  /** xrdp's process (one, with fork=false): its CPU time is in /proc/<pid>/stat. */
  pid: number | undefined;
  log(): Promise<string>;
  stop(): Promise<void>;
}

export function xrdpIni(config: XrdpConfig, port: number, logFile: string): string {
  return [
    '[Globals]',
    'ini_version=1',
    // Threads, not processes: one pid to stop.
    'fork=false',
    `port=tcp://127.0.0.1:${port}`,
    'use_vsock=false',
    'tcp_nodelay=true',
    `security_layer=${config.securityLayer}`,
    'crypt_level=high',
    `certificate=${config.certificate}`,
    `key_file=${config.key}`,
    `ssl_protocols=${config.sslProtocols ?? 'TLSv1.2, TLSv1.3'}`,
    ...(config.tlsCiphers ? [`tls_ciphers=${config.tlsCiphers}`] : []),
    '',
    '[Logging]',
    `LogFile=${logFile}`,
    'LogLevel=INFO',
    'EnableSyslog=false',
    'EnableConsole=false',
    '',
    '[Channels]',
    '',
  ].join('\n');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited(child);
  clearTimeout(killer);
}

/** Waits until xrdp listens, or it exits, or 15 s pass; polls because xrdp has no readiness signal. */
async function waitUntilListening(child: ChildProcess, port: number): Promise<boolean> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    if (await accepts(port)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

/** Starts xrdp for `config` under `workDir`; retries on another port if the chosen one was taken meanwhile. */
export async function startXrdp(config: XrdpConfig, workDir: string): Promise<XrdpServer> {
  const dir = path.join(workDir, config.name);
  await mkdir(dir, { recursive: true });
  const logFile = path.join(dir, 'xrdp.log');
  let stderr = '';
  for (let tries = 0; tries < 3; tries += 1) {
    const port = await freePort();
    const ini = path.join(dir, 'xrdp.ini');
    await writeFile(ini, xrdpIni(config, port, logFile));
    const child = spawn(XRDP_BINARY, ['--nodaemon', '--config', ini], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const spawnFailed = new Promise<Error>((resolve) => child.once('error', resolve));
    const ready = await Promise.race([waitUntilListening(child, port), spawnFailed]);
    if (ready instanceof Error) throw new Error(`could not start ${XRDP_BINARY} (is the xrdp package installed?): ${ready.message}`);
    if (ready) {
      return {
        host: '127.0.0.1',
        port,
        config,
        pid: child.pid,
        log: () => readFile(logFile, 'utf8').catch(() => ''),
        stop: () => stopChild(child),
      };
    }
    await stopChild(child);
  }
  const log = await readFile(logFile, 'utf8').catch(() => '');
  throw new Error(`xrdp (${config.name}) did not start listening.\nstderr: ${stderr}\nlog: ${log.slice(-2000)}`);
}
