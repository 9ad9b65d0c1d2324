/**
 * The first RDP packets (MS-RDPBCGR 2.2.1.1 / 2.2.1.2): TPKT + X.224 Connection Request carrying
 * RDP_NEG_REQ, and the server's Connection Confirm with RDP_NEG_RSP or RDP_NEG_FAILURE.
 * Pure byte work: no sockets here, so every odd reply can be tested directly.
 */

/** requestedProtocols / selectedProtocol flags (MS-RDPBCGR 2.2.1.1.1). */
export const PROTOCOL = {
  RDP: 0x0,
  SSL: 0x1,
  HYBRID: 0x2,
  RDSTLS: 0x4,
  HYBRID_EX: 0x8,
  RDSAAD: 0x10,
} as const;

/** RDP_NEG_FAILURE failureCode values (MS-RDPBCGR 2.2.1.2.2). */
export const FAILURE_CODES: Record<number, string> = {
  1: 'SSL_REQUIRED_BY_SERVER',
  2: 'SSL_NOT_ALLOWED_BY_SERVER',
  3: 'SSL_CERT_NOT_ON_SERVER',
  4: 'INCONSISTENT_FLAGS',
  5: 'HYBRID_REQUIRED_BY_SERVER',
  6: 'SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER',
};

const TPKT_VERSION = 3;
const TPKT_HEADER_LENGTH = 4;
const X224_CONNECTION_REQUEST = 0xe0;
const X224_CONNECTION_CONFIRM = 0xd0;
const X224_FIXED_LENGTH = 7; // LI, code, DST-REF(2), SRC-REF(2), class
const NEG_LENGTH = 8;
const TYPE_RDP_NEG_REQ = 0x01;
const TYPE_RDP_NEG_RSP = 0x02;
const TYPE_RDP_NEG_FAILURE = 0x03;
/** A Connection Confirm is 11 or 19 bytes; anything far larger is not one. */
export const MAX_CONFIRM_LENGTH = 512;

/** Names of the flags set in a protocol value, e.g. 3 → "SSL|HYBRID", 0 → "RDP". */
export function protocolNames(value: number): string {
  if (value === 0) return 'RDP';
  const names = Object.entries(PROTOCOL)
    .filter(([, flag]) => flag !== 0 && (value & flag) === flag)
    .map(([name]) => name);
  const known = Object.values(PROTOCOL).reduce<number>((all, flag) => all | flag, 0);
  const unknown = value & ~known;
  if (unknown !== 0) names.push(`0x${unknown.toString(16)}`);
  return names.join('|');
}

export function failureCodeName(code: number): string {
  return FAILURE_CODES[code] ?? `unknown failure code ${code}`;
}

/** Selected protocols whose next step is a TLS handshake on the same socket. */
export function startsTls(selectedProtocol: number): boolean {
  return (selectedProtocol & (PROTOCOL.SSL | PROTOCOL.HYBRID | PROTOCOL.RDSTLS | PROTOCOL.HYBRID_EX)) !== 0;
}

/**
 * TPKT + X.224 Connection Request + RDP_NEG_REQ. The optional cookie is the
 * "Cookie: mstshash=" routing token; this probe sends none by default.
 */
export function encodeConnectionRequest(requestedProtocols: number, cookie?: string): Buffer {
  if (!Number.isInteger(requestedProtocols) || requestedProtocols < 0 || requestedProtocols > 0xffffffff) {
    throw new RangeError(`requestedProtocols out of range: ${requestedProtocols}`);
  }
  if (cookie !== undefined && !/^[\x21-\x7e]{1,100}$/.test(cookie)) {
    throw new RangeError('cookie must be 1-100 printable ASCII characters without spaces');
  }
  const token = cookie === undefined ? Buffer.alloc(0) : Buffer.from(`Cookie: mstshash=${cookie}\r\n`, 'ascii');
  const neg = Buffer.alloc(NEG_LENGTH);
  neg.writeUInt8(TYPE_RDP_NEG_REQ, 0);
  neg.writeUInt8(0, 1);
  neg.writeUInt16LE(NEG_LENGTH, 2);
  neg.writeUInt32LE(requestedProtocols, 4);
  const x224 = Buffer.alloc(X224_FIXED_LENGTH);
  x224.writeUInt8(X224_FIXED_LENGTH - 1 + token.length + NEG_LENGTH, 0); // LI excludes itself
  x224.writeUInt8(X224_CONNECTION_REQUEST, 1);
  // DST-REF, SRC-REF and class option stay 0.
  const tpkt = Buffer.alloc(TPKT_HEADER_LENGTH);
  const total = TPKT_HEADER_LENGTH + x224.length + token.length + neg.length;
  tpkt.writeUInt8(TPKT_VERSION, 0);
  tpkt.writeUInt16BE(total, 2);
  return Buffer.concat([tpkt, x224, token, neg]);
}

/**
 * How many bytes the TPKT at the start of `buffer` spans: a number once the header is in,
 * 'need-more' before that, or a problem when the header cannot be the start of a reply.
 */
export function tpktLength(buffer: Buffer): number | 'need-more' | { problem: string } {
  if (buffer.length === 0) return 'need-more';
  if (buffer[0] !== TPKT_VERSION) {
    return { problem: `reply does not start with a TPKT header (first byte 0x${hex(buffer.subarray(0, 1))})` };
  }
  if (buffer.length < TPKT_HEADER_LENGTH) return 'need-more';
  const length = buffer.readUInt16BE(2);
  if (length < TPKT_HEADER_LENGTH + X224_FIXED_LENGTH || length > MAX_CONFIRM_LENGTH) {
    return { problem: `TPKT length ${length} cannot hold an X.224 Connection Confirm` };
  }
  return length;
}

export type NegotiationReply =
  | { kind: 'selected'; selectedProtocol: number; flags: number }
  | { kind: 'failure'; code: number; name: string }
  /** A Connection Confirm without negotiation data: an older server, standard RDP security. */
  | { kind: 'no-negotiation' }
  | { kind: 'malformed'; problem: string };

/** Decodes one complete TPKT (as delimited by tpktLength) holding the Connection Confirm. */
export function decodeConnectionConfirm(packet: Buffer): NegotiationReply {
  const framed = tpktLength(packet);
  if (framed === 'need-more') return malformed(`reply too short (${packet.length} bytes)`, packet);
  if (typeof framed !== 'number') return malformed(framed.problem, packet);
  if (packet.length !== framed) return malformed(`TPKT says ${framed} bytes, got ${packet.length}`, packet);
  const li = packet.readUInt8(4);
  const code = packet.readUInt8(5) & 0xf0; // low nibble carries CDT credit
  if (code !== X224_CONNECTION_CONFIRM) {
    return malformed(`X.224 TPDU code 0x${code.toString(16)} is not a Connection Confirm (0xd0)`, packet);
  }
  if (TPKT_HEADER_LENGTH + 1 + li !== packet.length) {
    return malformed(`X.224 length indicator ${li} does not match the TPKT length ${packet.length}`, packet);
  }
  const variable = packet.subarray(TPKT_HEADER_LENGTH + X224_FIXED_LENGTH);
  if (variable.length === 0) return { kind: 'no-negotiation' };
  if (variable.length < NEG_LENGTH) return malformed(`negotiation data too short (${variable.length} bytes)`, packet);
  const type = variable.readUInt8(0);
  const flags = variable.readUInt8(1);
  const length = variable.readUInt16LE(2);
  if (length !== NEG_LENGTH) return malformed(`negotiation structure length ${length}, expected 8`, packet);
  const value = variable.readUInt32LE(4);
  if (type === TYPE_RDP_NEG_RSP) return { kind: 'selected', selectedProtocol: value, flags };
  if (type === TYPE_RDP_NEG_FAILURE) return { kind: 'failure', code: value, name: failureCodeName(value) };
  return malformed(`negotiation type 0x${type.toString(16)} is neither RDP_NEG_RSP nor RDP_NEG_FAILURE`, packet);
}

function malformed(problem: string, packet: Buffer): NegotiationReply {
  return { kind: 'malformed', problem: `${problem}; bytes: ${hex(packet.subarray(0, 32))}` };
}

export function hex(bytes: Buffer): string {
  return bytes.toString('hex');
}
