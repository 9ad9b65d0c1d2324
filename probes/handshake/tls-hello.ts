/**
 * A TLS 1.0–1.2 ClientHello built by hand, and the first record of the server's answer read by
 * hand (RFC 5246 7.4.1.2/7.4.1.3, RFC 8446 6). Asking "does the server accept version X?" needs
 * only the server's first record: a ServerHello with that version, or an alert. Sending our own
 * hello skips building an OpenSSL context and completing a handshake per version, and can offer
 * any version whatever this machine's OpenSSL security level allows. Pure byte work.
 */
import net from 'node:net';
import crypto from 'node:crypto';

export type HelloVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2';

const WIRE_VERSIONS: Record<HelloVersion, number> = { TLSv1: 0x0301, 'TLSv1.1': 0x0302, 'TLSv1.2': 0x0303 };
const VERSION_NAMES: Record<number, string> = { 0x0300: 'SSLv3', 0x0301: 'TLSv1', 0x0302: 'TLSv1.1', 0x0303: 'TLSv1.2', 0x0304: 'TLSv1.3' };

/**
 * What we offer, RSA key exchange first. Only the version is asked, and the set, not its order,
 * decides whether one is shared. A server that follows the client's order (xrdp, OpenSSL's
 * default) then answers with its certificate and no signed key exchange: no private-key operation,
 * which is most of what a ClientHello costs it beyond its TLS start. A server that follows its own
 * order (Windows) picks as it always does.
 */
const OFFERED: ReadonlyArray<readonly [number, string]> = [
  [0x009c, 'TLS_RSA_WITH_AES_128_GCM_SHA256'],
  [0x009d, 'TLS_RSA_WITH_AES_256_GCM_SHA384'],
  [0x003c, 'TLS_RSA_WITH_AES_128_CBC_SHA256'],
  [0x003d, 'TLS_RSA_WITH_AES_256_CBC_SHA256'],
  [0x002f, 'TLS_RSA_WITH_AES_128_CBC_SHA'],
  [0x0035, 'TLS_RSA_WITH_AES_256_CBC_SHA'],
  [0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
  [0xc030, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
  [0xc02b, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
  [0xc02c, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'],
  [0xcca8, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
  [0xcca9, 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'],
  [0xc027, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256'],
  [0xc028, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384'],
  [0xc023, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256'],
  [0xc024, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384'],
  [0xc013, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'],
  [0xc014, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA'],
  [0xc009, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA'],
  [0xc00a, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA'],
  [0x009e, 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256'],
  [0x009f, 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384'],
  [0x0033, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA'],
  [0x0039, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA'],
  [0x000a, 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'],
];
export const OFFERED_SUITES: ReadonlyMap<number, string> = new Map(OFFERED);
const RENEGOTIATION_SCSV = 0x00ff;
const GROUPS = [0x001d, 0x0017, 0x0018, 0x0019]; // x25519, P-256, P-384, P-521
// rsa_pkcs1 sha256/384/512, ecdsa sha256/384/512, rsa_pss_rsae sha256/384/512, then the SHA-1 pair.
const SIGNATURE_ALGORITHMS = [0x0401, 0x0501, 0x0601, 0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0201, 0x0203];

const ALERTS: Record<number, string> = {
  0: 'close_notify',
  10: 'unexpected_message',
  40: 'handshake_failure',
  47: 'illegal_parameter',
  50: 'decode_error',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  112: 'unrecognized_name',
};

const u16 = (value: number): Buffer => Buffer.from([(value >> 8) & 0xff, value & 0xff]);
const u24 = (value: number): Buffer => Buffer.from([(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff]);
const vector16 = (body: Buffer): Buffer => Buffer.concat([u16(body.length), body]);
const extension = (type: number, body: Buffer): Buffer => Buffer.concat([u16(type), vector16(body)]);
const list16 = (values: readonly number[]): Buffer => vector16(Buffer.concat(values.map(u16)));

/** One TLS record holding a ClientHello that offers exactly `version` as its highest. */
export function encodeClientHello(version: HelloVersion, host: string): Buffer {
  const extensions = [
    // SNI only for names: RFC 6066 forbids literal addresses.
    ...(net.isIP(host) === 0 ? [extension(0x0000, vector16(Buffer.concat([Buffer.from([0]), vector16(Buffer.from(host, 'ascii'))])))] : []),
    extension(0x000a, list16(GROUPS)),
    extension(0x000b, Buffer.from([1, 0])),
    ...(version === 'TLSv1.2' ? [extension(0x000d, list16(SIGNATURE_ALGORITHMS))] : []),
  ];
  const body = Buffer.concat([
    u16(WIRE_VERSIONS[version]),
    crypto.randomBytes(32),
    Buffer.from([0]), // no session id
    list16([...OFFERED.map(([code]) => code), RENEGOTIATION_SCSV]),
    Buffer.from([1, 0]), // compression: null only
    vector16(Buffer.concat(extensions)),
  ]);
  const handshake = Buffer.concat([Buffer.from([1]), u24(body.length), body]);
  // Record version 1.0 for the first flight, as OpenSSL does: some servers drop anything newer.
  return Buffer.concat([Buffer.from([22]), u16(0x0301), vector16(handshake)]);
}

export type ServerAnswer =
  | { kind: 'server-hello'; version: string; cipher: string }
  | { kind: 'alert'; description: string }
  | { kind: 'not-tls'; problem: string };

const MAX_RECORD = 16_384 + 2048;

/** The server's answer from its first record, or 'need-more' until that record is in. */
export function readServerAnswer(buffer: Buffer): ServerAnswer | 'need-more' {
  if (buffer.length < 5) return 'need-more';
  const type = buffer[0]!;
  const length = buffer.readUInt16BE(3);
  if ((type !== 21 && type !== 22) || buffer[1] !== 3 || length === 0 || length > MAX_RECORD) {
    return { kind: 'not-tls', problem: `the answer is not a TLS record (first bytes ${buffer.subarray(0, 8).toString('hex')})` };
  }
  if (type === 21) {
    if (buffer.length < 7) return 'need-more';
    const code = buffer[6]!;
    return { kind: 'alert', description: `${ALERTS[code] ?? 'alert'} (${code})` };
  }
  // A ServerHello: type 2, 3-byte length, version, 32 random bytes, session id, cipher suite.
  if (buffer.length < 5 + 4 + 2 + 32 + 1) return buffer.length >= 5 + length ? notHello(buffer) : 'need-more';
  if (buffer[5] !== 2) return notHello(buffer);
  const sessionIdLength = buffer[5 + 4 + 2 + 32]!;
  const cipherAt = 5 + 4 + 2 + 32 + 1 + sessionIdLength;
  if (buffer.length < cipherAt + 2) return buffer.length >= 5 + length ? notHello(buffer) : 'need-more';
  const wire = buffer.readUInt16BE(9);
  const suite = buffer.readUInt16BE(cipherAt);
  return {
    kind: 'server-hello',
    version: VERSION_NAMES[wire] ?? `0x${wire.toString(16)}`,
    cipher: OFFERED_SUITES.get(suite) ?? `cipher suite 0x${suite.toString(16).padStart(4, '0')}`,
  };
}

function notHello(buffer: Buffer): ServerAnswer {
  return { kind: 'not-tls', problem: `the first handshake message is not a ServerHello (type ${buffer[5]})` };
}
