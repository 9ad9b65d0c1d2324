/** Our own ClientHello and the reading of the server's first record, on bytes built here by hand. */
import { describe, expect, it } from 'vitest';
import { encodeClientHello, readServerAnswer } from '../../../probes/handshake/tls-hello.js';
import { tls10From } from '../../../probes/handshake/tls-versions.js';

function serverHello(version: number, suite: number): Buffer {
  const body = Buffer.concat([Buffer.from([version >> 8, version & 0xff]), Buffer.alloc(32, 7), Buffer.from([0]), Buffer.from([suite >> 8, suite & 0xff, 0])]);
  const handshake = Buffer.concat([Buffer.from([2, 0, 0, body.length]), body]);
  return Buffer.concat([Buffer.from([22, 3, 3, 0, handshake.length]), handshake]);
}

describe('encodeClientHello', () => {
  it('offers the version asked as its highest, in a TLS 1.0 record, with SNI only for names', () => {
    const hello = encodeClientHello('TLSv1.1', 'rdp.example');
    expect([...hello.subarray(0, 3)]).toEqual([22, 3, 1]);
    expect(hello.readUInt16BE(3)).toBe(hello.length - 5);
    expect(hello[5]).toBe(1); // ClientHello
    expect(hello.readUInt16BE(9)).toBe(0x0302);
    expect(hello.includes(Buffer.from('rdp.example'))).toBe(true);
    expect(encodeClientHello('TLSv1.2', '127.0.0.1').includes(Buffer.from('127.0.0.1'))).toBe(false);
  });
});

describe('readServerAnswer', () => {
  it('reads a ServerHello version and cipher, waiting for the bytes it needs', () => {
    const record = serverHello(0x0303, 0xc02f);
    expect(readServerAnswer(record.subarray(0, 20))).toBe('need-more');
    expect(readServerAnswer(record)).toEqual({ kind: 'server-hello', version: 'TLSv1.2', cipher: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' });
  });

  it('reads an alert, and calls anything else not TLS', () => {
    expect(readServerAnswer(Buffer.from([21, 3, 3, 0, 2, 2, 70]))).toEqual({ kind: 'alert', description: 'protocol_version (70)' });
    expect(readServerAnswer(Buffer.from('HTTP/1.1 400 Bad Request\r\n'))).toMatchObject({ kind: 'not-tls' });
    expect(readServerAnswer(Buffer.alloc(10 * 1024 * 1024, 0x41))).toMatchObject({ kind: 'not-tls' });
  });
});

describe('tls10From: TLS 1.0 from the answer to a TLS 1.1 hello', () => {
  const attempt = (hello: ReturnType<typeof readServerAnswer>) => ({ requestedProtocols: 3, helloOffered: 'TLSv1.1' as const, ...(hello === 'need-more' ? {} : { hello }) });
  it('is accepted when the server answers with 1.0, refused with an alert, unknown when 1.1 was accepted', () => {
    expect(tls10From(attempt(readServerAnswer(serverHello(0x0301, 0xc013))))).toMatchObject({ outcome: 'accepted', detail: expect.stringMatching(/^TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, picked from our ClientHello/) });
    expect(tls10From(attempt({ kind: 'alert', description: 'protocol_version (70)' }))).toMatchObject({ outcome: 'refused' });
    expect(tls10From(attempt(readServerAnswer(serverHello(0x0302, 0xc013))))).toBeNull();
  });
});
