/** The targets of a scan: exactly what was listed; bad lines by number; CSV cells made harmless. */
import { describe, expect, it } from 'vitest';
import { csvCell, printable } from '../../../electron/agent/scan/scan-output.js';
import { TargetCollector } from '../../../electron/agent/scan/scan-targets.js';

describe('TargetCollector', () => {
  it('reads a file: comments and blank lines skipped, bad lines by number, duplicates once', () => {
    const collector = new TargetCollector();
    collector.addFile('\uFEFF# fleet\r\nhost1\nhost2:3390  # old port\n\n10.0.0.0/24\nHOST1:3389\n[::1]:3389\n10.0.0.1-10.0.0.9\nweb*\n', 'hosts.txt');
    expect(collector.list.targets).toEqual([
      { host: 'host1', port: 3389 },
      { host: 'host2', port: 3390 },
      { host: '::1', port: 3389 },
    ]);
    expect(collector.list.invalid.map((bad) => bad.source)).toEqual(['hosts.txt line 5', 'hosts.txt line 8', 'hosts.txt line 9']);
    for (const bad of collector.list.invalid) expect(bad.problem).toMatch(/range/);
  });
});

describe('outputs', () => {
  it('never lets a certificate name start a formula or reach the terminal as an escape', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('CN=a, O=b')).toBe('"CN=a, O=b"');
    expect(csvCell(-3)).toBe('-3');
    expect(printable('evil\u001b[2Jname')).toBe('evil?[2Jname');
  });
});
