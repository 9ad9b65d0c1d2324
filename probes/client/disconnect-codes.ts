/**
 * The Remote Desktop client's disconnect codes in plain words. The tables are Microsoft's:
 * - reason (discReason, Event 1026 "Reason="): IMsTscAxEvents::OnDisconnected,
 *   https://learn.microsoft.com/windows/win32/termserv/imstscaxevents-ondisconnected
 * - extended reason: the ExtendedDisconnectReasonCode enumeration,
 *   https://learn.microsoft.com/windows/win32/termserv/extendeddisconnectreasoncode
 * The names are Microsoft's; the plain words and the `side` (where such a code usually points) are
 * ours. A code is a hint, never a verdict: 0x904 only says the socket closed, which a host fault,
 * a client setting and a broken network all end in.
 */

export type Side = 'this-pc' | 'host' | 'network' | 'either' | 'none';

export interface CodeMeaning {
  name: string;
  words: string;
  side: Side;
}

const R = (name: string, words: string, side: Side): CodeMeaning => ({ name, words, side });

export const DISCONNECT_REASONS: Readonly<Record<number, CodeMeaning>> = {
  0x0: R('disconnectReasonNoInfo', 'no information was given', 'none'),
  0x1: R('disconnectReasonLocalNotError', 'you closed the connection on this PC (not an error)', 'none'),
  0x2: R('disconnectReasonRemoteByUser', 'the remote user disconnected (not an error)', 'none'),
  0x3: R('disconnectReasonByServer', 'the remote computer ended the session (not an error)', 'none'),
  0x104: R('disconnectReasonDNSLookupFailed', 'the computer name could not be found in DNS', 'network'),
  0x106: R('disconnectReasonOutOfMemory', 'this PC ran out of memory', 'this-pc'),
  0x108: R('disconnectReasonConnectionTimedOut', 'the connection timed out', 'network'),
  0x204: R('disconnectReasonSocketConnectFailed', 'nothing answered on the Remote Desktop port (refused or unreachable)', 'either'),
  0x206: R('disconnectReasonOutOfMemory2', 'this PC ran out of memory', 'this-pc'),
  0x208: R('disconnectReasonHostNotFound', 'the computer was not found', 'network'),
  0x304: R('disconnectReasonWinsockSendFailed', 'sending to the remote computer failed (the connection broke)', 'network'),
  0x306: R('disconnectReasonOutOfMemory3', 'this PC ran out of memory', 'this-pc'),
  0x308: R('disconnectReasonInvalidIPAddr', 'the IP address is not valid', 'this-pc'),
  0x404: R('disconnectReasonSocketRecvFailed', 'receiving from the remote computer failed (the connection broke)', 'network'),
  0x406: R('disconnectReasonInvalidSecurityData', 'the security data was not valid', 'either'),
  0x408: R('disconnectReasonInternalError', 'an internal error in the client', 'this-pc'),
  0x506: R('disconnectReasonInvalidEncryption', 'the encryption method is not valid', 'either'),
  0x508: R('disconnectReasonDNSLookupFailed2', 'the DNS lookup failed', 'network'),
  0x604: R('disconnectReasonGetHostByNameFailed', 'the computer name could not be resolved', 'network'),
  0x606: R('disconnectReasonInvalidServerSecurityInfo', 'the remote computer sent security data that is not valid', 'host'),
  0x608: R('disconnectReasonTimerError', 'an internal timer error in the client', 'this-pc'),
  0x704: R('disconnectReasonTimeoutOccurred', 'a time-out occurred', 'network'),
  0x706: R('disconnectReasonServerCertificateUnpackErr', 'the remote computer\'s certificate could not be read', 'host'),
  0x804: R('disconnectReasonInvalidIP', 'a bad IP address was given', 'this-pc'),
  0x807: R('SSL_ERR_LOGON_FAILURE', 'the sign-in failed (user name or password)', 'none'),
  0x808: R('disconnectReasonLicensingFailed', 'Remote Desktop licensing failed on the remote computer', 'host'),
  0x904: R('disconnectReasonAtClientWinsockFDCLOSE', 'the connection was closed (socket closed) before the session started', 'either'),
  0x906: R('disconnectReasonInternalSecurityError', 'an internal security error (often the TLS handshake failed)', 'either'),
  0x908: R('disconnectReasonLicensingTimeout', 'Remote Desktop licensing timed out on the remote computer', 'host'),
  0xa06: R('disconnectReasonInternalSecurityError2', 'an internal security error', 'either'),
  0xa07: R('SSL_ERR_NO_SUCH_USER', 'the user has no account there', 'none'),
  0xb06: R('disconnectReasonEncryptionError', 'an encryption error', 'either'),
  0xb07: R('SSL_ERR_ACCOUNT_DISABLED', 'the account is disabled', 'none'),
  0xc06: R('disconnectReasonDecryptionError', 'a decryption error', 'either'),
  0xc07: R('SSL_ERR_ACCOUNT_RESTRICTION', 'the account is restricted', 'none'),
  0xc08: R('disconnectReasonClientDecompressionError', 'a decompression error in the client', 'this-pc'),
  0xd07: R('SSL_ERR_ACCOUNT_LOCKED_OUT', 'the account is locked out', 'none'),
  0xe07: R('SSL_ERR_ACCOUNT_EXPIRED', 'the account has expired', 'none'),
  0xf07: R('SSL_ERR_PASSWORD_EXPIRED', 'the password has expired', 'none'),
  0x1207: R('SSL_ERR_PASSWORD_MUST_CHANGE', 'the password must be changed before the first sign-in', 'none'),
  0x1607: R('SSL_ERR_DELEGATION_POLICY', 'policy does not allow handing the credentials to this host (CredSSP delegation)', 'this-pc'),
  0x1707: R('SSL_ERR_POLICY_NTLM_ONLY', 'credentials may only be handed over after mutual authentication (connect by name, so Kerberos can be used)', 'this-pc'),
  0x1807: R('SSL_ERR_NO_AUTHENTICATING_AUTHORITY', 'no domain controller could be reached to check the sign-in', 'network'),
  0x1b07: R('SSL_ERR_CERT_EXPIRED', 'the remote computer\'s certificate has expired', 'host'),
  0x1c07: R('SSL_ERR_SMARTCARD_WRONG_PIN', 'a wrong smart card PIN was entered', 'none'),
  0x2107: R('SSL_ERR_FRESH_CRED_REQUIRED_BY_SERVER', 'the host does not accept saved credentials: type them in', 'host'),
  0x2207: R('SSL_ERR_SMARTCARD_CARD_BLOCKED', 'the smart card is blocked', 'none'),
};

export const EXTENDED_REASONS: Readonly<Record<number, CodeMeaning>> = {
  0: R('exDiscReasonNoInfo', 'no further information', 'none'),
  1: R('exDiscReasonAPIInitiatedDisconnect', 'a program on the remote computer disconnected the session', 'none'),
  2: R('exDiscReasonAPIInitiatedLogoff', 'a program on the remote computer signed the session out', 'none'),
  3: R('exDiscReasonServerIdleTimeout', 'the session was idle for longer than the host allows', 'host'),
  4: R('exDiscReasonServerLogonTimeout', 'the sign-in took longer than the host allows', 'host'),
  5: R('exDiscReasonReplacedByOtherConnection', 'someone else connected to the same session', 'none'),
  6: R('exDiscReasonOutOfMemory', 'the remote computer ran out of memory', 'host'),
  7: R('exDiscReasonServerDeniedConnection', 'the remote computer refused the connection', 'either'),
  8: R('exDiscReasonServerDeniedConnectionFips', 'the remote computer refused the connection because of its FIPS setting', 'host'),
  9: R('exDiscReasonServerInsufficientPrivileges', 'the user is not allowed to sign in through Remote Desktop there', 'host'),
  10: R('exDiscReasonServerFreshCredsRequired', 'the host wants credentials typed in, not saved ones', 'host'),
  11: R('exDiscReasonRpcInitiatedDisconnectByUser', 'an administrator disconnected the session', 'none'),
  12: R('exDiscReasonLogoffByUser', 'the user signed out', 'none'),
};

export interface Translation {
  code: string;
  words: string;
  side: Side;
}

const hex = (value: number): string => `0x${value.toString(16).toUpperCase()}`;

/** "0x904 / extended 0x7" → plain words. Unknown codes are said to be unknown, never guessed. */
export function translateDisconnect(reason: number, extended?: number | null): Translation {
  const main = DISCONNECT_REASONS[reason];
  const ext = extended === undefined || extended === null ? undefined : EXTENDED_REASONS[extended];
  const code = extended === undefined || extended === null ? hex(reason) : `${hex(reason)} / extended ${hex(extended)}`;
  let words = main ? `${main.words} (${main.name})` : `an unlisted disconnect code (${reason})`;
  if (ext && extended !== 0) words += `; ${ext.words} (${ext.name})`;
  else if (extended !== undefined && extended !== null && extended !== 0 && !ext) words += `; an unlisted extended code (${extended})`;
  const side: Side = ext && ext.side !== 'none' && ext.side !== 'either' ? ext.side : (main?.side ?? 'either');
  if (side === 'either') words += '. This code alone does not say which end is at fault';
  return { code, words, side };
}
