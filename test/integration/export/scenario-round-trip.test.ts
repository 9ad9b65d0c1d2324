/**
 * The export round trip (issue 11): Export-RdpHealthScenario.ps1, run on the simulated host of every
 * shipped scenario (against the sim's shadows, as the probes run), writes a scenario whose simulated
 * host gives the same findings. The raw export (-NoRedact) gives the very same findings; a redacted
 * one the same statuses and fixes, with none of the host's names or thumbprints left in the file.
 * One pwsh runs every scenario (see round-trip.ps1).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../probes/common/finding.js';
import { findingFromOutput, type PowerShellProbe } from '../../../probes/common/probe.js';
import { PROBES } from '../../../probes/index.js';
import { resolveShellExecutable } from '../../../electron/agent/powershell-executable.js';
import { shippedScenarios } from '../../../electron/agent/simulated-host.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const MARK = '@@ROUNDTRIP ';
const workDir = mkdtempSync(join(tmpdir(), 'round-trip-'));
// Besides every shipped scenario: a standard user refused the TerminalServices namespace and the
// Remote Desktop store (host.identity, host.adminOnly), which the export must record as refused.
const REFUSED = join(workDir, 'standard-user-refused.json');
writeFileSync(REFUSED, JSON.stringify({
  description: 'A standard user, refused root/cimv2/TerminalServices and the Remote Desktop store',
  extends: 'healthy',
  patch: { host: { identity: 'standard-user', adminOnly: { cimNamespaces: ['root/cimv2/TerminalServices'], certificateStores: ['LocalMachine\\Remote Desktop'] } } },
}));
const SCENARIOS = [...shippedScenarios(), REFUSED];
const label = (scenario: string): string => basename(scenario, '.json');
const REDACTED = ['healthy', 'cert-ca-issued', 'german-host'];
const POWERSHELL = PROBES.filter((probe): probe is PowerShellProbe => probe.kind === 'powershell');

interface RunRecord { scenario: string; side: 'original' | 'raw' | 'redacted'; probe: string; recordedAt: string; stdout: string | null; error: string | null }

let records: RunRecord[] = [];

function runDriver(): Promise<RunRecord[]> {
  return new Promise((done, fail) => {
    const child = spawn(resolveShellExecutable('pwsh'), ['-NoProfile', '-NonInteractive', '-File', join(import.meta.dirname, 'round-trip.ps1'), '-Root', ROOT, '-WorkDir', workDir], {
      env: {
        ...process.env,
        RDP_HEALTH_ROUND_TRIP_SCENARIOS: JSON.stringify(SCENARIOS),
        RDP_HEALTH_ROUND_TRIP_REDACTED: JSON.stringify(REDACTED),
        RDP_HEALTH_ROUND_TRIP_PROBES: JSON.stringify(POWERSHELL.map((probe) => ({ id: probe.id, script: probe.script }))),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', fail);
    child.on('close', (code) => {
      const lines = stdout.split(/\r?\n/).filter((line) => line.startsWith(MARK));
      if (code !== 0) fail(new Error(`round-trip.ps1 exited ${String(code)}: ${stderr.slice(0, 3000)}`));
      else done(lines.map((line) => JSON.parse(line.slice(MARK.length)) as RunRecord));
    });
  });
}

/** Every probe's finding for one side of one scenario, evaluated at the original run's time. */
function findings(scenario: string, side: RunRecord['side']): Map<string, Finding> {
  const now = new Date(records.find((r) => r.scenario === scenario && r.side === 'original')!.recordedAt);
  const result = new Map<string, Finding>();
  for (const record of records.filter((r) => r.scenario === scenario && r.side === side)) {
    expect(record.error, `${side} ${record.probe}/${scenario}`).toBeNull();
    const probe = POWERSHELL.find((p) => p.id === record.probe)!;
    result.set(record.probe, findingFromOutput(probe, record.stdout ?? '', { now, warnDays: 30 }));
  }
  expect([...result.keys()]).toEqual(POWERSHELL.map((p) => p.id));
  return result;
}

const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g;

/**
 * A finding with its timestamps taken out: scenario dates are relative ('now+64d'), so the original
 * run and the export read them seconds apart. The timestamps are returned to be compared within minutes.
 */
function comparable(f: Finding): { finding: unknown; times: number[] } {
  const text = JSON.stringify({ status: f.status, summary: f.summary, evidence: f.evidence, fixes: f.fixes.map((fix) => fix.id) });
  return { finding: JSON.parse(text.replace(ISO, '<time>')) as unknown, times: [...text.matchAll(ISO)].map((m) => Date.parse(m[0])) };
}

function expectSameFinding(after: Finding, before: Finding, label: string): void {
  const a = comparable(after);
  const b = comparable(before);
  expect(a.finding, label).toEqual(b.finding);
  expect(a.times.length, label).toBe(b.times.length);
  a.times.forEach((time, i) => expect(Math.abs(time - b.times[i]!), `${label}: timestamp ${i}`).toBeLessThan(10 * 60_000));
}

beforeAll(async () => {
  records = await runDriver();
}, 900_000);
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('Export-RdpHealthScenario.ps1 round trip on every shipped scenario', () => {
  it.each(SCENARIOS.map((scenario) => [label(scenario), scenario]))('%s: the raw export gives the same findings', (_name, scenario) => {
    const original = findings(scenario, 'original');
    const exported = findings(scenario, 'raw');
    for (const [id, finding] of original) expectSameFinding(exported.get(id)!, finding, `${id} on ${scenario}`);
  });

  it('records what a standard user is refused as refused (host.identity, host.adminOnly)', () => {
    const exported = JSON.parse(readFileSync(join(workDir, 'standard-user-refused.raw.json'), 'utf8')) as { host: unknown };
    expect(exported.host).toMatchObject({
      identity: 'standard-user',
      adminOnly: { cimNamespaces: ['root/cimv2/TerminalServices'], certificateStores: ['LocalMachine\\Remote Desktop'] },
    });
  });

  it.each(REDACTED)('%s: the redacted export gives the same statuses and fixes and keeps no host name, user name or thumbprint', (scenario) => {
    const original = findings(scenario, 'original');
    const exported = findings(scenario, 'redacted');
    for (const [id, finding] of original) {
      const after = exported.get(id)!;
      expect({ status: after.status, fixes: after.fixes.map((f) => f.id) }, `${id} on ${scenario}`).toEqual({ status: finding.status, fixes: finding.fixes.map((f) => f.id) });
    }
    const raw = readFileSync(join(workDir, `${scenario}.raw.json`), 'utf8');
    const redacted = readFileSync(join(workDir, `${scenario}.redacted.json`), 'utf8');
    const state = JSON.parse(raw) as { env: { COMPUTERNAME: string }; sessions: Record<string, { UserName: string }>; certificates: Record<string, Record<string, unknown>> };
    const secrets = [
      state.env.COMPUTERNAME,
      ...Object.values(state.sessions).flatMap((s) => s.UserName.split('\\')).filter(Boolean),
      ...Object.values(state.certificates).flatMap((store) => Object.keys(store)),
    ];
    expect(secrets.length).toBeGreaterThan(1);
    for (const secret of secrets) expect(redacted.toLowerCase(), secret).not.toContain(secret.toLowerCase());
  });
});
