/**
 * A .rdp file read the way mstsc reads it: one setting a line, `name:type:value`, type `i`
 * (integer), `s` (string) or `b` (binary, hex); names are case-insensitive; the value is
 * everything after the second colon (so `full address:s:host:3390` keeps its port). mstsc skips
 * lines it cannot read; we skip them too, but list them, and a file without `full address` is
 * reported as one mstsc cannot connect from. Never throws.
 * Property meanings and defaults: "Supported RDP properties",
 * https://learn.microsoft.com/windows-server/remote/remote-desktop-services/clients/rdp-files (authentication level
 * default 3, enablecredsspsupport default 1, negotiate security layer default 1).
 */

export type RdpValue = { type: 'i'; value: number } | { type: 's'; value: string } | { type: 'b'; value: string };

export interface RdpFileSecurity {
  /** 0 connect without warning, 1 do not connect, 2 warn, 3 no requirement (default 3). */
  authenticationLevel: number;
  /** 1 (default): CredSSP (NLA) may be used; 0: the client never offers it. */
  enableCredSsp: boolean;
  /** 1 (default): negotiate the security layer; 0: the client asks for one protocol only. */
  negotiateSecurityLayer: boolean;
}

export interface ParsedRdpFile {
  /** The computer the file connects to (`full address`), or null when the file names none. */
  fullAddress: string | null;
  /** The RD Gateway, or null when none (an empty value is none). */
  gatewayHostname: string | null;
  security: RdpFileSecurity;
  /** Every setting read, by lower-case name (the last one wins, as in mstsc). */
  settings: Record<string, RdpValue>;
  /** Lines mstsc would skip, and why; empty for a clean file. */
  problems: string[];
  /** True when mstsc could not connect from this file at all. */
  malformed: boolean;
}

export const RDP_FILE_DEFAULTS: RdpFileSecurity = { authenticationLevel: 3, enableCredSsp: true, negotiateSecurityLayer: true };

const LINE = /^([^:]+):([isb]):(.*)$/i;
const MAX_PROBLEMS = 10;

function parseLine(line: string): { name: string; value: RdpValue } | string {
  const match = LINE.exec(line);
  if (!match) return 'not name:type:value';
  const name = (match[1] ?? '').trim().toLowerCase();
  const type = (match[2] ?? '').toLowerCase();
  const raw = match[3] ?? '';
  if (type === 'i') {
    if (!/^\s*-?\d+\s*$/.test(raw)) return `"${name}" is an integer setting with the value "${raw}"`;
    return { name, value: { type: 'i', value: Number.parseInt(raw, 10) } };
  }
  if (type === 'b') return { name, value: { type: 'b', value: raw.trim() } };
  return { name, value: { type: 's', value: raw } };
}

function integer(settings: Record<string, RdpValue>, name: string): number | undefined {
  const setting = settings[name];
  return setting?.type === 'i' ? setting.value : undefined;
}

function text(settings: Record<string, RdpValue>, name: string): string | null {
  const setting = settings[name];
  const value = setting?.type === 's' ? setting.value.trim() : '';
  return value === '' ? null : value;
}

export function parseRdpFile(content: string): ParsedRdpFile {
  const settings: Record<string, RdpValue> = {};
  const problems: string[] = [];
  // A byte-order mark or NUL bytes (a UTF-16 file read as 8-bit) would hide every name.
  const lines = content.replace(/^\uFEFF/, '').replace(/\0/g, '').split(/\r?\n/);
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const parsed = parseLine(line);
    if (typeof parsed === 'string') {
      if (problems.length < MAX_PROBLEMS) problems.push(`line ${index + 1}: ${parsed}`);
      return;
    }
    settings[parsed.name] = parsed.value;
  });
  const fullAddress = text(settings, 'full address');
  if (fullAddress === null) problems.unshift('no "full address:s:<computer>" line: mstsc cannot connect from this file');
  const authenticationLevel = integer(settings, 'authentication level');
  const credSsp = integer(settings, 'enablecredsspsupport');
  const negotiate = integer(settings, 'negotiate security layer');
  return {
    fullAddress,
    gatewayHostname: text(settings, 'gatewayhostname'),
    security: {
      authenticationLevel: authenticationLevel !== undefined && authenticationLevel >= 0 && authenticationLevel <= 3 ? authenticationLevel : RDP_FILE_DEFAULTS.authenticationLevel,
      enableCredSsp: credSsp === undefined ? RDP_FILE_DEFAULTS.enableCredSsp : credSsp !== 0,
      negotiateSecurityLayer: negotiate === undefined ? RDP_FILE_DEFAULTS.negotiateSecurityLayer : negotiate !== 0,
    },
    settings,
    problems,
    malformed: fullAddress === null,
  };
}
