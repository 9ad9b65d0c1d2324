import { describe, expect, it } from 'vitest';
import { formatTarget, parseTarget } from '../../../probes/handshake/target.js';

describe('parseTarget', () => {
  it.each([
    ['rdp.example.com', 'rdp.example.com', null],
    ['rdp.example.com:3390', 'rdp.example.com', 3390],
    ['10.0.0.5:3389', '10.0.0.5', 3389],
    ['::1', '::1', null],
    ['fe80::1%eth0', 'fe80::1%eth0', null],
    ['[::1]', '::1', null],
    ['[2001:db8::7]:3391', '2001:db8::7', 3391],
    [' host ', 'host', null],
  ])('reads %j as host %j, port %j', (text, host, port) => {
    expect(parseTarget(text)).toEqual({ ok: true, host, port });
  });

  it.each([
    ['', /no host/],
    ['host:0', /not a port/],
    ['host:65536', /not a port/],
    ['host:', /not a port/],
    ['host:33a', /not a port/],
    ['[host]:3389', /not an IPv6/],
    ['http://host', /not a host name/],
    ['a b', /not a host name/],
  ])('refuses %j', (text, problem) => {
    const parsed = parseTarget(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(problem);
  });

  it('writes IPv6 targets in brackets', () => {
    expect(formatTarget({ host: '::1', port: 3389 })).toBe('[::1]:3389');
    expect(formatTarget({ host: '127.0.0.1', port: 3389 })).toBe('127.0.0.1:3389');
  });
});
