/**
 * The elevated launcher's allowlist has one source: the fix catalog, as electron/agent/repair/elevator.ts
 * derives it. Start-RdpElevatedFix.ps1 keeps it as PowerShell literals (it runs without Node, on 5.1);
 * each literal is read here from the script's text and must be what the agent derives, so a fix
 * declared, changed or removed without the launcher (or the other way round) fails here.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RECORD_ID_PATTERN } from '../../../electron/domain/repair.js';
import {
  checkElevationRequest,
  launcherAllowlist,
  PARAMETER_NAME_PATTERN,
  PARAMETER_VALUE_PATTERN,
  RESERVED_PARAMETER_NAMES,
} from '../../../electron/agent/repair/elevator.js';
import { FIX_CATALOG } from '../../../electron/agent/repair/fix-catalog.js';

const LAUNCHER = resolve(dirname(fileURLToPath(import.meta.url)), '../../../probes/common/Start-RdpElevatedFix.ps1');
const text = readFileSync(LAUNCHER, 'utf8');

/** The single-quoted literal assigned to $script:<name>. */
function stringLiteral(name: string): string | undefined {
  return new RegExp(`^\\$script:${name} = '([^']*)'\\s*$`, 'm').exec(text)?.[1];
}

/** The single-quoted literals of the array assigned to $script:<name> (one line or one a line). */
function arrayLiteral(name: string): string[] | undefined {
  const body = new RegExp(`^\\$script:${name} = @\\(([^)]*)\\)`, 'm').exec(text)?.[1];
  return body === undefined ? undefined : [...body.matchAll(/'([^']*)'/g)].map((m) => m[1]!);
}

describe("the launcher's literals", () => {
  it('allow exactly the requests the catalog makes for fixes that need elevation, and undo', () => {
    const expected = launcherAllowlist();
    expect(arrayLiteral('AllowedRequests'), `Start-RdpElevatedFix.ps1 $script:AllowedRequests should be:\n${expected.map((line) => `    '${line}'`).join('\n')}`).toEqual(expected);
  });

  it('reserve the same parameter names, and spell names, values and record ids with the same patterns', () => {
    expect(arrayLiteral('ReservedNames')).toEqual(RESERVED_PARAMETER_NAMES);
    expect(stringLiteral('NamePattern')).toBe(PARAMETER_NAME_PATTERN.source);
    expect(stringLiteral('ValuePattern')).toBe(PARAMETER_VALUE_PATTERN.source);
    expect(stringLiteral('RecordIdPattern')).toBe(RECORD_ID_PATTERN.source);
  });
});

describe('the catalog against the launcher rules', () => {
  it('makes only requests that pass them: plain-token parameters, no reserved name', () => {
    const recordId = '20250101T120000Z-nla_enable-0000abcd';
    for (const entry of FIX_CATALOG.entries) {
      const parameters = { ...entry.parameters, ...(entry.targetParameter ? { [entry.targetParameter]: 'host1.example' } : {}) };
      expect(() => checkElevationRequest({ kind: 'fix', fixId: entry.descriptor.id, script: entry.script, parameters, recordId }), entry.descriptor.id).not.toThrow();
    }
  });
});
