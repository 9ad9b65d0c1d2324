import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES, healthSnapshotSchema } from '../../../probes/common/finding.js';
import { main } from '../../../electron/cli.js';
import { formatTable } from '../../../electron/cli/check-command.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
// The simulated hosts' working copies go to a folder of this test, not the user's CLI data folder.
process.env.RDP_HEALTH_DATA_DIR = mkdtempSync(join(tmpdir(), 'rdp-cli-check-'));

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (text) => out.push(text), err: (text) => err.push(text) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('rdp-health check', () => {
  it('--json prints the HealthSnapshot and exits with the overall status', async () => {
    const { code, out } = await cli('check', '--simulate', 'healthy', '--json');
    const snapshot = healthSnapshotSchema.parse(JSON.parse(out));
    expect(snapshot.host).toBe('RDPHOST01');
    expect(code).toBe(EXIT_CODES[snapshot.overall]);
    // The healthy scenario is healthy end to end: nothing on this machine's own port 3389 leaks in.
    expect(snapshot.overall).toBe('ok');
    expect(snapshot.findings.map((finding) => finding.probeId)).not.toContain('handshake');
  });

  it('prints a table; a scenario with a problem gives its exit code (warn = 1)', async () => {
    const { code, out } = await cli('check', '--simulate', 'nla-off-local', '--probe', 'nla');
    expect(code).toBe(EXIT_CODES.warn);
    expect(out).toMatch(/^RDPHOST01: WARN/);
    expect(out).toMatch(/STATUS\s+PROBE\s+SUMMARY/);
    expect(out).toMatch(/WARN\s+nla\s+Network Level Authentication is off/);
  });

  it('--nagios prints one plugin line with the certificate days as performance data', async () => {
    const { code, out } = await cli('check', '--simulate', 'cert-expiring-5-days', '--probe', 'certificate', '--nagios');
    expect(code).toBe(EXIT_CODES.warn);
    expect(out.split('\n')).toHaveLength(1);
    expect(out).toMatch(/^RDP HEALTH WARNING - .*\| .*cert_days_left=[45];30:;0:/);
  });

  it('without --simulate off Windows says to use it, exit 3', async () => {
    const { code, err } = await cli('check');
    expect(code).toBe(3);
    expect(err).toContain('rdp-health check --simulate healthy');
    expect(err).toMatch(/Shipped scenarios: .*healthy/);
  });

  it('an unknown scenario, probe, option or command is exit 3 with a message', async () => {
    expect(await cli('check', '--simulate', 'no-such-scenario')).toMatchObject({ code: 3, err: expect.stringContaining("Unknown scenario 'no-such-scenario'") });
    expect(await cli('check', '--simulate', 'healthy', '--probe', 'nope')).toMatchObject({ code: 3, err: expect.stringContaining('Unknown check "nope"') });
    expect(await cli('check', '--bogus')).toMatchObject({ code: 3 });
    expect(await cli('frobnicate')).toMatchObject({ code: 3, err: expect.stringContaining('Unknown command') });
    expect((await cli('--help')).out).toMatch(/^ {2}check \[--json/m);
  });

  it('bin/rdp-health.mjs runs from the sources (tsx), as `npm run rdp-health` does', async () => {
    const run = await promisify(execFile)(process.execPath, ['bin/rdp-health.mjs', 'check', '--simulate', 'healthy', '--probe', 'nla'], { cwd: repoRoot }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );
    expect(run.stdout).toMatch(/OK\s+nla/);
    expect(run.code).toBe(EXIT_CODES[run.stdout.match(/^RDPHOST01: (\w+)/)![1]!.toLowerCase() as keyof typeof EXIT_CODES]);
  });
});

describe('formatTable', () => {
  const finding = (probeId: string, status: 'ok' | 'warn' | 'fail', summary: string) => ({ probeId, status, summary, title: probeId, evidence: {}, fixes: [], checkedAt: '' });
  it('lines up status, probe and summary; all passed: every row', () => {
    const table = formatTable({ overall: 'ok', host: 'H', startedAt: '', durationMs: 1234, findings: [finding('nla', 'ok', 'Fine.'), finding('certificate', 'ok', 'Valid.')] });
    expect(table.split('\n')).toEqual(['H: OK (2 checks in 1.2 s)', '', 'STATUS  PROBE        SUMMARY', 'OK      nla          Fine.', 'OK      certificate  Valid.']);
  });

  it('leads with the worst problem; problems first, the passed checks folded into one line', () => {
    const findings = [finding('nla', 'ok', 'Fine.'), finding('tls', 'warn', 'Old TLS.'), finding('listener', 'fail', 'Port held.'), finding('firewall', 'ok', 'Open.')];
    const table = formatTable({ overall: 'fail', host: 'H', startedAt: '', durationMs: 1234, findings });
    expect(table.split('\n')).toEqual([
      'H: FAIL (4 checks in 1.2 s) - listener: Port held.',
      '',
      'STATUS  PROBE     SUMMARY',
      'FAIL    listener  Port held.',
      'WARN    tls       Old TLS.',
      '2 checks passed: nla, firewall.',
    ]);
  });
});
