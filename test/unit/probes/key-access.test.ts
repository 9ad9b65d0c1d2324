import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isSafeFix } from '../../../probes/common/fixes.js';
import { findingFromOutput } from '../../../probes/common/probe.js';
import { evaluateKeyAccess, keyAccessProbe, type KeyAccessData } from '../../../probes/key-access/key-access.js';
import { fixIds, loadRecorded, recordedContext, recordedData, recordedFinding } from './recorded-fixture.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/envelopes/key-access');
const SELF_SIGNED_FILE = 'C:\\ProgramData\\Microsoft\\Crypto\\RSA\\MachineKeys\\f686aace6942fb7f7ceb231212eef4a4_3f1e2d4c-5b6a-4789-9abc-def012345678';
const data = (scenario: string): KeyAccessData => recordedData<KeyAccessData>(keyAccessProbe, scenario);

describe('key-access probe on recorded envelopes', () => {
  it('is ok on a healthy host, with the key file and its rules by SID as evidence', () => {
    const finding = recordedFinding(keyAccessProbe, 'healthy');
    expect(finding.status).toBe('ok');
    expect(finding.fixes).toEqual([]);
    expect(finding.evidence).toMatchObject({
      'Key file': SELF_SIGNED_FILE,
      'File found': true,
      'NETWORK SERVICE can read': true,
      'SYSTEM full control': true,
      'Access rules': [
        'Allow S-1-5-18 (SYSTEM): FullControl',
        'Allow S-1-5-32-544 (Administrators): FullControl',
        'Allow S-1-5-20 (NETWORK SERVICE): Read, Synchronize',
      ],
    });
  });

  it('fails without a NETWORK SERVICE rule and offers the grant fix, which drops sessions (key-missing-network-service)', () => {
    const finding = recordedFinding(keyAccessProbe, 'key-missing-network-service');
    expect(finding.status).toBe('fail');
    expect(finding.summary).toMatch(/not allowed to read its certificate key/);
    expect(fixIds(finding)).toEqual(['key-access.grant-network-service']);
    expect(finding.fixes[0]).toMatchObject({ disruptsSessions: true, lowersSecurity: false, needsElevation: true });
    expect(isSafeFix(finding.fixes[0]!)).toBe(false);
    expect(data('key-missing-network-service').keyFile).toBe(SELF_SIGNED_FILE);
  });

  it('is unknown, needing elevation, when the ACL cannot be read (key-acl-unreadable)', () => {
    const finding = recordedFinding(keyAccessProbe, 'key-acl-unreadable');
    expect(finding.status).toBe('unknown');
    expect(finding.summary).toMatch(/administrator rights/);
    expect(finding.evidence).toMatchObject({ errorKind: 'access-denied' });
    expect(String(finding.evidence.message)).toMatch(/needs elevation to read/);
  });

  it('is ok with a CA-issued certificate whose CNG key is in Crypto\\Keys (cert-ca-issued)', () => {
    const finding = recordedFinding(keyAccessProbe, 'cert-ca-issued');
    expect(finding.status).toBe('ok');
    expect(finding.evidence['Key found by']).toBe('cng');
    expect(String(finding.evidence['Key file'])).toMatch(/^C:\\ProgramData\\Microsoft\\Crypto\\Keys\\9b2e4c6a/);
  });

  it('is unknown, pointing at the certificate, when the bound certificate is missing (cert-bound-missing)', () => {
    const finding = recordedFinding(keyAccessProbe, 'cert-bound-missing');
    expect(finding.status).toBe('unknown');
    expect(finding.summary).toMatch(/not on this computer/);
    expect(finding.fixes).toEqual([]);
  });

  it.each(readdirSync(FIXTURES).map((file) => file.replace(/\.json$/, '')))('understands what was recorded for %s', (scenario) => {
    const recorded = loadRecorded('key-access', scenario);
    const finding = recordedFinding(keyAccessProbe, scenario);
    if (recorded.envelope?.ok) expect(finding.evidence).toHaveProperty('Key file');
    else expect(finding.evidence).toHaveProperty('errorKind');
  });
});

describe('key-access evaluate: edge cases', () => {
  const ctx = recordedContext(loadRecorded('key-access', 'healthy'));

  it('fails on a Deny rule and offers no grant (a grant cannot beat a deny)', () => {
    const verdict = evaluateKeyAccess({ ...data('healthy'), networkServiceRead: false, readDeniedBy: ['S-1-5-11'] });
    expect(verdict.status).toBe('fail');
    expect(verdict.fixes).toEqual([]);
    expect(verdict.evidence['Read denied by']).toEqual(['S-1-5-11 (Authenticated Users)']);
  });

  it('warns when SYSTEM lacks full control', () => {
    const verdict = evaluateKeyAccess({ ...data('healthy'), systemFullControl: false });
    expect(verdict.status).toBe('warn');
    expect(verdict.fixes).toEqual([]);
  });

  it('fails when the self-signed key file is missing, and is unknown when a CNG key file is not found', () => {
    const healthy = data('healthy');
    const missing = { ...healthy, fileFound: false, rules: [], networkServiceRead: false, reason: 'key-file-missing' as const };
    expect(evaluateKeyAccess(missing).status).toBe('fail');
    expect(evaluateKeyAccess({ ...missing, keySource: 'cng' }).status).toBe('unknown');
  });

  it('is unknown when there is no binding or no private key', () => {
    const healthy = data('healthy');
    expect(evaluateKeyAccess({ ...healthy, reason: 'no-binding' }).status).toBe('unknown');
    expect(evaluateKeyAccess({ ...healthy, reason: 'no-private-key' }).status).toBe('unknown');
  });

  it('reports a rule type it does not know as unknown (schema), never ok', () => {
    const recorded = loadRecorded('key-access', 'healthy');
    const envelope = structuredClone(recorded.envelope) as { data: { rules: { type: string }[] } };
    envelope.data.rules[0]!.type = 'Audit';
    const finding = findingFromOutput(keyAccessProbe, JSON.stringify(envelope), ctx);
    expect(finding.status).toBe('unknown');
    expect(String(finding.evidence.problem)).toMatch(/rules\.0\.type/);
  });

  it('reports output that is not an envelope as unknown', () => {
    const finding = findingFromOutput(keyAccessProbe, 'Get-Acl : Attempted to perform an unauthorized operation.', ctx);
    expect(finding.status).toBe('unknown');
    expect(finding.summary).toMatch(/not JSON/);
  });
});
