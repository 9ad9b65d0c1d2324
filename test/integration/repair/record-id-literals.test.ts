/**
 * The record id pattern exists once (electron/domain/repair.ts). PowerShell cannot import it (the
 * scripts run on Windows without Node, and an attribute argument must be a literal), so every copy in
 * a shipped .ps1/.psm1 is read here and must be the same text; no TypeScript file may hold its own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RECORD_ID_PATTERN } from '../../../electron/domain/repair.js';
import { RECORD_CHECK_SCRIPT, UNDO_SCRIPT } from '../../../electron/agent/repair/elevator.js';
import { FIX_CATALOG } from '../../../electron/agent/repair/fix-catalog.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const PROBES = join(ROOT, 'probes');
/** What every copy of the pattern contains: the time stamp part. */
const STAMP = 'T[0-9]{6}Z';

function filesUnder(dir: string, extensions: readonly string[]): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && extensions.some((ext) => entry.name.endsWith(ext)))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The single-quoted PowerShell literals of a file that spell a record id pattern. */
function recordIdLiterals(text: string): string[] {
  return [...text.matchAll(/'([^'\r\n]*)'/g)].map((m) => m[1]!).filter((literal) => literal.includes(STAMP));
}

describe('the record id pattern', () => {
  it('is the same text in every PowerShell file that spells it', () => {
    let copies = 0;
    for (const file of filesUnder(PROBES, ['.ps1', '.psm1'])) {
      for (const literal of recordIdLiterals(readFileSync(file, 'utf8'))) {
        expect(literal, relative(ROOT, file)).toBe(RECORD_ID_PATTERN.source);
        copies += 1;
      }
    }
    expect(copies).toBeGreaterThan(10);
  });

  it('guards -RecordId of every script the agent runs with one', () => {
    const scripts = new Set([...FIX_CATALOG.entries.map((entry) => entry.script), UNDO_SCRIPT, RECORD_CHECK_SCRIPT]);
    for (const script of scripts) {
      const text = readFileSync(join(PROBES, script), 'utf8');
      const declared = /\[ValidatePattern\('([^']*)'\)\]\[string\]\$RecordId\b/.exec(text);
      expect(declared?.[1], `${script} -RecordId`).toBe(RECORD_ID_PATTERN.source);
    }
  });

  it('is defined by no TypeScript file but the domain', () => {
    const own = join(ROOT, 'electron/domain/repair.ts');
    for (const file of [...filesUnder(join(ROOT, 'electron'), ['.ts']), ...filesUnder(PROBES, ['.ts']), ...filesUnder(join(ROOT, 'renderer'), ['.ts', '.tsx'])]) {
      if (file === own) continue;
      expect(readFileSync(file, 'utf8').includes(STAMP), `${relative(ROOT, file)} spells the record id pattern: import RECORD_ID_PATTERN`).toBe(false);
    }
  });
});
