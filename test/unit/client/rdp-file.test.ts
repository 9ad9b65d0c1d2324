import { describe, expect, it } from 'vitest';
import { parseRdpFile, RDP_FILE_DEFAULTS } from '../../../probes/client/rdp-file.js';
import { historyTargets } from '../../../probes/client/client-history.js';

describe('parseRdpFile', () => {
  it('reads name:type:value lines as mstsc does, keeping colons in the value', () => {
    const file = parseRdpFile('\uFEFFFull Address:s:host.example:3390\r\nauthentication level:i:1\r\nEnableCredSspSupport:i:0\r\nnegotiate security layer:i:0\r\ngatewayhostname:s:gw.example\r\n');
    expect(file.fullAddress).toBe('host.example:3390');
    expect(file.gatewayHostname).toBe('gw.example');
    expect(file.security).toEqual({ authenticationLevel: 1, enableCredSsp: false, negotiateSecurityLayer: false });
    expect(file.problems).toEqual([]);
    expect(file.malformed).toBe(false);
  });

  it('uses the documented defaults for settings the file leaves out, and an empty gateway is none', () => {
    const file = parseRdpFile('full address:s:pc1\ngatewayhostname:s:\n');
    expect(file.security).toEqual(RDP_FILE_DEFAULTS);
    expect(file.gatewayHostname).toBeNull();
  });

  it('reports lines it cannot read and a file with no computer, without throwing', () => {
    const file = parseRdpFile('hello\nauthentication level:i:two\nfull address=pc1\n');
    expect(file.malformed).toBe(true);
    expect(file.problems[0]).toMatch(/no "full address/);
    expect(file.problems).toContain('line 2: "authentication level" is an integer setting with the value "two"');
    expect(parseRdpFile('\0\0\0').malformed).toBe(true);
  });

  it('reads a UTF-16 file decoded as 8-bit text (NUL bytes between the letters)', () => {
    const utf16 = Buffer.from('full address:s:pc2\r\n', 'utf16le').toString('latin1');
    expect(parseRdpFile(utf16).fullAddress).toBe('pc2');
  });
});

describe('historyTargets', () => {
  it('merges one computer seen in several places and keeps unusable files apart', () => {
    const history = historyTargets({
      mru: [{ slot: 'MRU0', target: 'PC1' }, { slot: 'MRU1', target: 'not a host/x' }],
      servers: [{ host: 'pc1', usernameHint: 'bob', certHash: null }],
      documents: 'C:\\Users\\bob\\Documents',
      rdpFiles: [
        { path: 'C:\\d\\a.rdp', name: 'a.rdp', sizeBytes: 10, text: 'full address:s:pc1\n', problem: null },
        { path: 'C:\\d\\b.rdp', name: 'b.rdp', sizeBytes: 10, text: 'full address:s:http://x\n', problem: null },
        { path: 'C:\\d\\c.rdp', name: 'c.rdp', sizeBytes: 99999, text: null, problem: 'too large' },
      ],
    });
    expect(history.targets).toHaveLength(1);
    expect(history.targets[0]?.sources).toEqual(['MRU0', 'Servers key', 'file a.rdp']);
    expect(history.targets[0]?.usernameHint).toBe('bob');
    expect(history.unusableFiles.map((file) => [file.name, file.problem])).toEqual([
      ['b.rdp', '"full address" is not a computer name or address: http://x'],
      ['c.rdp', 'too large'],
    ]);
  });
});
