/** The one address the handshake probe may talk to: the host the user named, or this computer. */
import net from 'node:net';
import type { Target } from './attempt.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_RDP_PORT = 3389;

export type ParsedTarget = { ok: true; host: string; port: number | null } | { ok: false; problem: string };

function parsePort(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

/** "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6 address. Port null = not named. */
export function parseTarget(text: string): ParsedTarget {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, problem: 'no host given' };
  if (/[\s/@?#]/.test(trimmed)) return { ok: false, problem: `"${trimmed}" is not a host name or address (give host or host:port, not a URL)` };
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(trimmed);
  let host: string;
  let portText: string | undefined;
  if (bracketed) {
    host = bracketed[1] ?? '';
    portText = bracketed[2];
    if (net.isIPv6(host) === false) return { ok: false, problem: `"${host}" in brackets is not an IPv6 address` };
  } else if (net.isIPv6(trimmed)) {
    host = trimmed;
  } else {
    const colon = trimmed.lastIndexOf(':');
    host = colon === -1 ? trimmed : trimmed.slice(0, colon);
    portText = colon === -1 ? undefined : trimmed.slice(colon + 1);
  }
  if (host.length > 253) return { ok: false, problem: 'the host name is longer than a DNS name can be (253 characters)' };
  if (!/^[A-Za-z0-9._:%-]+$/.test(host)) return { ok: false, problem: `"${host}" is not a host name or address` };
  if (portText === undefined) return { ok: true, host, port: null };
  const port = parsePort(portText);
  if (port === null) return { ok: false, problem: `"${portText}" is not a port number (1-65535)` };
  return { ok: true, host, port };
}

export function formatTarget(target: Target): string {
  return net.isIPv6(target.host) ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
}
