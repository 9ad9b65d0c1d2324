/**
 * The real client the connect verdicts are compared with: Debian's FreeRDP 2 (`xfreerdp
 * +auth-only`) under a private Xvfb. xrdp has no NLA, so +auth-only never ends in a session; what
 * counts is whether FreeRDP gets past the security layer (X.224 negotiation, TLS, certificate
 * check) into MCS: its debug log says so ("--> CONNECTION_STATE_MCS_CONNECT").
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

export interface Xvfb {
  display: string;
  stop(): Promise<void>;
}

/** Xvfb on a display it picks itself (-displayfd), so parallel helpers never collide. */
export function startXvfb(): Promise<Xvfb> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn('Xvfb', ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '640x480x24'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
    let text = '';
    const timer = setTimeout(() => reject(new Error('Xvfb did not report a display in 15 s')), 15_000);
    child.once('error', reject);
    child.stdio[3]?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /^(\d+)\n/.exec(text);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        display: `:${match[1]}`,
        stop: () => new Promise((done) => {
          if (child.exitCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
      });
    });
  });
}

export interface FreerdpRun {
  /** FreeRDP got past negotiation, TLS and the certificate check. */
  connected: boolean;
  log: string;
}

export interface FreerdpOptions {
  display: string;
  /** host:port or [v6]:port as /v: takes it. */
  server: string;
  args?: string[];
  env?: Record<string, string>;
}

export function runFreerdp(options: FreerdpOptions): Promise<FreerdpRun> {
  // FreeRDP 2 reads no port from /v:[v6]:port: the port goes in /port.
  const [, host, port] = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(options.server) ?? [undefined, options.server, '3389'];
  return new Promise((resolve) => {
    const child = spawn('xfreerdp', ['+auth-only', `/v:${host}`, `/port:${port}`, '/u:test', '/p:test', '/log-level:DEBUG', '/timeout:5000', ...(options.args ?? [])], {
      env: { ...process.env, DISPLAY: options.display, HOME: process.env.FREERDP_TEST_HOME ?? process.env.HOME ?? '/tmp', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    const keep = (chunk: Buffer) => { log = (log + chunk.toString()).slice(-200_000); };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve({ connected: log.includes('--> CONNECTION_STATE_MCS_CONNECT'), log: log.split('\n').filter((line) => /ERROR|nego|TLS|certificate/i.test(line)).slice(-20).join('\n') });
    });
  });
}

/** An OpenSSL config that caps the versions FreeRDP may offer, as "TLS 1.2/1.3 off" on a Windows client. */
export async function opensslMaxProtocol(dir: string, max: 'TLSv1.1' | 'TLSv1.2'): Promise<string> {
  const file = path.join(dir, `openssl-max-${max}.cnf`);
  await writeFile(file, ['openssl_conf = default_conf', '[default_conf]', 'ssl_conf = ssl_sect', '[ssl_sect]', 'system_default = system_default_sect', '[system_default_sect]', `MaxProtocol = ${max}`, 'CipherString = DEFAULT@SECLEVEL=0', ''].join('\n'));
  return file;
}

/** Waits for a listener on host:port (xrdp has no readiness signal). */
export async function waitForListener(host: string, port: number, ms = 15_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const up = await new Promise<boolean>((done) => {
      const socket = net.connect({ host, port });
      socket.once('connect', () => { socket.destroy(); done(true); });
      socket.once('error', () => done(false));
    });
    if (up) return true;
    await new Promise((done) => setTimeout(done, 50));
  }
  return false;
}
