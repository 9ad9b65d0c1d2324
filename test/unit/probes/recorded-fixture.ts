/**
 * Envelopes recorded from real pwsh runs of the probe scripts on the simulated host
 * (`npm run fixtures` → test/fixtures/envelopes/<probe>/<scenario>.json). Tests evaluate them
 * with ctx.now = recordedAt, so relative scenario dates mean what they meant when recorded.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../../../probes/common/finding.js';
import { findingFromOutput, type EvaluateContext, type PowerShellProbe } from '../../../probes/common/probe.js';

const ENVELOPES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/envelopes');

export interface RecordedEnvelope {
  probe: string;
  scenario: string;
  recordedAt: string;
  envelope?: { ok: boolean; data?: unknown };
  stdout?: string;
}

export function loadRecorded(probeId: string, scenario: string): RecordedEnvelope {
  return JSON.parse(readFileSync(join(ENVELOPES, probeId, `${scenario}.json`), 'utf8')) as RecordedEnvelope;
}

export function recordedContext(recorded: RecordedEnvelope): EvaluateContext {
  return { now: new Date(recorded.recordedAt), warnDays: 30 };
}

/** The recorded output as the runner would see it, turned into a finding. */
export function recordedFinding(probe: PowerShellProbe, scenario: string): Finding {
  const recorded = loadRecorded(probe.id, scenario);
  const stdout = recorded.envelope !== undefined ? JSON.stringify(recorded.envelope) : (recorded.stdout ?? '');
  return findingFromOutput(probe, stdout, recordedContext(recorded));
}

/** The recorded data, parsed with the probe's schema: the base for edge cases. */
export function recordedData<T>(probe: PowerShellProbe, scenario: string): T {
  const recorded = loadRecorded(probe.id, scenario);
  if (!recorded.envelope?.ok) throw new Error(`${probe.id}/${scenario} was not recorded as an ok envelope`);
  return probe.dataSchema.parse(recorded.envelope.data) as T;
}

export function fixIds(finding: { fixes: { id: string }[] }): string[] {
  return finding.fixes.map((fix) => fix.id);
}
