/**
 * What each of the handshake probe's connections costs, alone, against one xrdp: the wall time and
 * the CPU xrdp spends on it (its /proc counters; fork=false, so one process), next to the bare
 * X.224 + TLS handshake. Tells which connection buys what at which price.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { runAttempt, type AttemptOptions } from '../probes/handshake/attempt.js';
import { encodeConnectionRequest, PROTOCOL } from '../probes/handshake/x224.js';
import { median, round } from './bench-section.js';

export interface ConnectionCost {
  /** A short name for the bench's numbers. */
  key: string;
  label: string;
  wallMs: number;
  /** xrdp's CPU per connection (user + system), ms. */
  serverCpuMs: number;
  /** This process's CPU per connection (the client's share), ms. */
  clientCpuMs: number;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** xrdp's CPU so far (utime + stime), ms; null where /proc cannot tell. */
function cpuMsOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return null;
  }
}

/** X.224 asking TLS, the server's Confirm, then close: what a TLS start costs before any ClientHello. */
function selectedThenClose(port: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(encodeConnectionRequest(PROTOCOL.SSL)));
    socket.once('error', () => resolve());
    socket.once('data', () => {
      socket.destroy();
      resolve();
    });
  });
}

export async function measureConnections(
  port: number,
  pid: number | undefined,
  whole: { bare: () => Promise<void>; probe: () => Promise<void> },
  iterations: number,
): Promise<ConnectionCost[]> {
  const target = { host: '127.0.0.1', port };
  const attempt = (options: Omit<AttemptOptions, 'target'>) => async (): Promise<void> => {
    await runAttempt({ target, ...options });
  };
  const kinds: Array<[string, string, () => Promise<void>]> = [
    ['Bare', 'bare X.224 + TLS handshake', whole.bare],
    ['Probe', 'the whole probe (4 connections, 3 at once)', whole.probe],
    ['Rdp', 'standard RDP request (X.224 only)', attempt({ requestedProtocols: PROTOCOL.RDP })],
    ['Tls', 'TLS request, full handshake (certificate, TLS 1.3)', attempt({ requestedProtocols: PROTOCOL.SSL })],
    ['Hello11', 'CredSSP request + ClientHello ≤ TLS 1.1', attempt({ requestedProtocols: PROTOCOL.SSL | PROTOCOL.HYBRID, hello: 'TLSv1.1' })],
    ['Hello12', 'CredSSP request + ClientHello ≤ TLS 1.2', attempt({ requestedProtocols: PROTOCOL.SSL | PROTOCOL.HYBRID, hello: 'TLSv1.2' })],
    ['TlsStartOnly', 'TLS selected, closed before any ClientHello', () => selectedThenClose(port)],
  ];
  const costs: ConnectionCost[] = [];
  for (const [key, label, run] of kinds) {
    await run();
    const times: number[] = [];
    const cpuBefore = cpuMsOf(pid);
    const clientBefore = process.cpuUsage();
    for (let i = 0; i < iterations; i += 1) {
      const started = performance.now();
      await run();
      times.push(performance.now() - started);
    }
    const cpuAfter = cpuMsOf(pid);
    const client = process.cpuUsage(clientBefore);
    const serverCpuMs = cpuBefore === null || cpuAfter === null ? Number.NaN : (cpuAfter - cpuBefore) / iterations;
    const clientCpuMs = (client.user + client.system) / 1000 / iterations;
    costs.push({ key, label, wallMs: round(median(times), 2), serverCpuMs: round(serverCpuMs, 2), clientCpuMs: round(clientCpuMs, 2) });
  }
  return costs;
}
