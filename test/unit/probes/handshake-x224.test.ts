import { describe, expect, it } from 'vitest';
import {
  decodeConnectionConfirm,
  encodeConnectionRequest,
  failureCodeName,
  protocolNames,
  startsTls,
  tpktLength,
} from '../../../probes/handshake/x224.js';

describe('encodeConnectionRequest', () => {
  it('builds TPKT + X.224 CR + RDP_NEG_REQ byte for byte (MS-RDPBCGR 4.1.1 without cookie)', () => {
    // 03 00 00 13 | 0e e0 00 00 00 00 00 | 01 00 08 00 03 00 00 00
    expect(encodeConnectionRequest(3).toString('hex')).toBe('030000130ee0000000000001000800' + '03000000');
    expect([...encodeConnectionRequest(3)]).toEqual([3, 0, 0, 0x13, 0x0e, 0xe0, 0, 0, 0, 0, 0, 0x01, 0, 0x08, 0, 0x03, 0, 0, 0]);
  });

  it.each([0, 1, 3, 8, 0x1b])('writes requestedProtocols %i little-endian in the last four bytes', (value) => {
    const packet = encodeConnectionRequest(value);
    expect(packet.readUInt32LE(packet.length - 4)).toBe(value);
    expect(packet.readUInt16BE(2)).toBe(packet.length);
    expect(packet[4]).toBe(packet.length - 5);
  });

  it('puts the routing cookie before the negotiation request and counts it in both lengths', () => {
    const packet = encodeConnectionRequest(1, 'probe');
    const text = packet.toString('latin1');
    expect(text).toContain('Cookie: mstshash=probe\r\n');
    expect(packet.readUInt16BE(2)).toBe(packet.length);
    expect(packet[4]).toBe(packet.length - 5);
    expect(packet.readUInt32LE(packet.length - 4)).toBe(1);
  });

  it('refuses values that do not fit the field and cookies that would break the line', () => {
    expect(() => encodeConnectionRequest(-1)).toThrow(RangeError);
    expect(() => encodeConnectionRequest(2 ** 32)).toThrow(RangeError);
    expect(() => encodeConnectionRequest(1.5)).toThrow(RangeError);
    expect(() => encodeConnectionRequest(1, 'a b')).toThrow(RangeError);
    expect(() => encodeConnectionRequest(1, 'x\r\nInjected: 1')).toThrow(RangeError);
  });
});

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s/g, ''), 'hex');

describe('decodeConnectionConfirm', () => {
  it('reads RDP_NEG_RSP as xrdp sends it (flags 0x01, TLS selected)', () => {
    expect(decodeConnectionConfirm(hex('03000013 0ed0 0000 1234 00 02 01 0800 01000000'))).toEqual({
      kind: 'selected',
      selectedProtocol: 1,
      flags: 1,
    });
  });

  it('reads CredSSP and standard RDP security selections', () => {
    expect(decodeConnectionConfirm(hex('03000013 0ed0 0000 0000 00 02 1f 0800 02000000'))).toMatchObject({ kind: 'selected', selectedProtocol: 2, flags: 0x1f });
    expect(decodeConnectionConfirm(hex('03000013 0ed0 0000 0000 00 02 00 0800 00000000'))).toMatchObject({ kind: 'selected', selectedProtocol: 0 });
  });

  it.each([
    [1, 'SSL_REQUIRED_BY_SERVER'],
    [2, 'SSL_NOT_ALLOWED_BY_SERVER'],
    [3, 'SSL_CERT_NOT_ON_SERVER'],
    [4, 'INCONSISTENT_FLAGS'],
    [5, 'HYBRID_REQUIRED_BY_SERVER'],
    [6, 'SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER'],
  ])('names RDP_NEG_FAILURE code %i %s', (code, name) => {
    const packet = hex(`03000013 0ed0 0000 1234 00 03 00 0800 0${code}000000`);
    expect(decodeConnectionConfirm(packet)).toEqual({ kind: 'failure', code, name });
  });

  it('keeps an unknown failure code as a number', () => {
    expect(decodeConnectionConfirm(hex('03000013 0ed0 0000 0000 00 03 00 0800 63000000'))).toEqual({
      kind: 'failure',
      code: 0x63,
      name: 'unknown failure code 99',
    });
    expect(failureCodeName(7)).toBe('unknown failure code 7');
  });

  it('reports a Connection Confirm without negotiation data as an older server', () => {
    expect(decodeConnectionConfirm(hex('0300000b 06d0 0000 1234 00'))).toEqual({ kind: 'no-negotiation' });
  });

  it.each([
    ['not a TPKT', '48545450 2f312e31 20343030', /TPKT/],
    ['a TPKT too short for X.224', '03000006 0102', /TPKT length 6/],
    ['a TPKT length over the limit', '0300ffff 0ed0', /TPKT length 65535/],
    ['a Connection Request instead of a Confirm', '03000013 0ee0 0000 0000 00 01 00 0800 01000000', /not a Connection Confirm/],
    ['a length indicator that disagrees', '03000013 0fd0 0000 0000 00 02 00 0800 01000000', /length indicator/],
    ['negotiation data cut short', '0300000f 0ad0 0000 0000 00 02 00 0800', /too short/],
    ['a negotiation structure of the wrong length', '03000013 0ed0 0000 0000 00 02 00 0900 01000000', /length 9/],
    ['an unknown negotiation type', '03000013 0ed0 0000 0000 00 07 00 0800 01000000', /type 0x7/],
    ['fewer bytes than the TPKT says', '03000013 0ed0 0000', /says 19 bytes, got 8/],
  ])('reports %s as malformed, with the bytes', (_label, bytes, problem) => {
    const reply = decodeConnectionConfirm(hex(bytes));
    expect(reply.kind).toBe('malformed');
    if (reply.kind === 'malformed') {
      expect(reply.problem).toMatch(problem);
      expect(reply.problem).toContain(hex(bytes).subarray(0, 4).toString('hex'));
    }
  });
});

describe('tpktLength', () => {
  it('asks for more until the header is in, then gives the length', () => {
    expect(tpktLength(Buffer.alloc(0))).toBe('need-more');
    expect(tpktLength(hex('0300'))).toBe('need-more');
    expect(tpktLength(hex('03000013'))).toBe(19);
  });

  it('recognises garbage from the first byte', () => {
    expect(tpktLength(hex('48'))).toEqual({ problem: expect.stringMatching(/first byte 0x48/) });
  });
});

describe('protocol names', () => {
  it('names flag sets as MS-RDPBCGR does, and keeps unknown bits visible', () => {
    expect(protocolNames(0)).toBe('RDP');
    expect(protocolNames(3)).toBe('SSL|HYBRID');
    expect(protocolNames(8)).toBe('HYBRID_EX');
    expect(protocolNames(0x41)).toBe('SSL|0x40');
  });

  it('knows which selections continue with TLS on the same socket', () => {
    expect(startsTls(0)).toBe(false);
    expect(startsTls(1)).toBe(true);
    expect(startsTls(2)).toBe(true);
    expect(startsTls(8)).toBe(true);
  });
});
