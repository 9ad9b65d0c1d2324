/**
 * What xrdp can't be made to do: a peer that sends garbage, closes early, stalls, answers with a
 * failure code, or picks TLS and then breaks it; and nothing listening at all. Each must give a
 * clear finding; none may hang or crash. Stalls get a short timeout so they end quickly; nothing
 * here asserts on time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Verdict } from '../../../probes/common/probe.js';
import type { StepTimeouts } from '../../../probes/handshake/attempt.js';
import { createHandshakeProbe } from '../../../probes/handshake/handshake.js';
import { startFakeRdpServer, type FakeBehaviour, type FakeRdpServer } from './fake-rdp-server.js';
import { freePort } from './xrdp-server.js';

// Only the step that is meant to stall gets a short timeout; the others keep the defaults, so a
// busy machine cannot turn a slow answer into a false stall.
const STALLED_REPLY = { replyMs: 300 };
const STALLED_TLS = { tlsMs: 300 };
let running: FakeRdpServer | undefined;

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function checkPort(port: number, timeouts?: Partial<StepTimeouts>): Promise<Verdict> {
  return createHandshakeProbe({ port, ...(timeouts ? { timeouts } : {}) }).run({
    now: new Date(),
    warnDays: 30,
    signal: new AbortController().signal,
    dataOf: () => undefined,
  });
}

async function checkFake(behaviour: FakeBehaviour, timeouts?: Partial<StepTimeouts>): Promise<{ verdict: Verdict; fake: FakeRdpServer }> {
  running = await startFakeRdpServer(behaviour);
  return { verdict: await checkPort(running.port, timeouts), fake: running };
}

describe('handshake probe against misbehaving peers', () => {
  it('fails when nothing listens, and says so for every request (they start together)', async () => {
    const port = await freePort();
    const verdict = await checkPort(port);
    expect(verdict.status).toBe('fail');
    expect(verdict.summary).toBe(`Nothing is accepting Remote Desktop connections on 127.0.0.1:${port}.`);
    expect(verdict.evidence['Standard RDP security, requestedProtocols 0']).toMatch(/broke at connect: connect ECONNREFUSED/);
    expect(verdict.evidence['TLS, requestedProtocols 1']).toMatch(/broke at connect: connect ECONNREFUSED/);
  });

  it('fails on a reply that is not RDP, and shows its first bytes', async () => {
    const { verdict, fake } = await checkFake({ kind: 'garbage' });
    expect(verdict.status).toBe('fail');
    expect(verdict.summary).toMatch(/not with a Remote Desktop handshake/);
    expect(verdict.evidence['TLS, requestedProtocols 1']).toMatch(/first byte 0x48.*bytes: 48545450/);
    expect([...new Set(fake.requests)].sort()).toEqual([0, 1, 3]);
  });

  it.each([
    ['closes as soon as it accepts', { kind: 'close-at-once' } as const],
    ['closes after reading the request', { kind: 'close-after-request' } as const],
  ])('fails when the peer %s', async (_label, behaviour) => {
    const { verdict } = await checkFake(behaviour);
    expect(verdict.status).toBe('fail');
    expect(verdict.summary).toBe('The Remote Desktop service drops connections at the first handshake message.');
    expect(verdict.evidence['Standard RDP security, requestedProtocols 0']).toMatch(/^broke at the X\.224 reply: /);
  });

  it('fails when the reply is cut short, and says how much came', async () => {
    const { verdict } = await checkFake({ kind: 'truncated-reply' });
    expect(verdict.status).toBe('fail');
    expect(verdict.evidence['TLS, requestedProtocols 1']).toMatch(/closed the connection after 9 bytes \(030000130ed0/);
  });

  it('says a peer that answers a byte at a time answers too slowly, not that it never answers', async () => {
    const { verdict } = await checkFake({ kind: 'trickle' }, { replyMs: 1000 });
    expect(verdict.status).toBe('fail');
    expect(verdict.summary).toMatch(/^The Remote Desktop service answers the first handshake message too slowly \(only \d+ bytes of the answer within 1000 ms\), so clients give up\.$/);
  });

  it('fails, without hanging, when the peer accepts and never answers', async () => {
    const { verdict, fake } = await checkFake({ kind: 'stall' }, STALLED_REPLY);
    expect(verdict.status).toBe('fail');
    expect(verdict.summary).toBe('The Remote Desktop service accepts connections but never answers the first handshake message.');
    expect(verdict.evidence['CredSSP (NLA), requestedProtocols 3']).toBe('broke at the X.224 reply: no answer within 300 ms');
    expect([...new Set(fake.requests)].sort()).toEqual([0, 1, 3]);
  });

  it('names the failure code when every request is refused', async () => {
    const { verdict } = await checkFake({ kind: 'failure', code: 4 });
    expect(verdict.status).toBe('fail');
    expect(verdict.summary).toBe('Remote Desktop refused every kind of connection this check offered.');
    expect(verdict.evidence['CredSSP (NLA), requestedProtocols 3']).toBe('RDP_NEG_FAILURE INCONSISTENT_FLAGS (4)');
  });

  it('warns about an older server that answers without negotiation data', async () => {
    const { verdict } = await checkFake({ kind: 'no-negotiation' });
    expect(verdict.status).toBe('warn');
    expect(verdict.summary).toMatch(/only offers its old standard security/);
    expect(verdict.evidence['TLS, requestedProtocols 1']).toMatch(/without negotiation data/);
  });

  it('fails when TLS is selected and the peer then sends something that is not TLS', async () => {
    const { verdict } = await checkFake({ kind: 'tls-then-garbage' });
    expect(verdict.status).toBe('fail');
    expect(verdict.summary).toMatch(/secure \(TLS\) part of the Remote Desktop handshake fails/);
    expect(verdict.evidence['TLS, requestedProtocols 1']).toMatch(/^server selected TLS .*; broke at the TLS handshake: /);
    expect(verdict.evidence['TLS versions']).toBeUndefined();
  });

  it('fails, without hanging, when TLS is selected and the peer stalls in the TLS handshake', async () => {
    const { verdict } = await checkFake({ kind: 'tls-then-stall' }, STALLED_TLS);
    expect(verdict.status).toBe('fail');
    expect(verdict.evidence['TLS, requestedProtocols 1']).toMatch(/TLS handshake did not finish within 300 ms/);
  });
});
