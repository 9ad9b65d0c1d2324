// Electronegativity over electron/ and renderer/ together (so its global checks see the CSP in the
// page and the navigation and permission limits in main), its online check excluded. Any finding
// fails the test; the few accepted ones are justified where they occur (`eng-disable` comments).
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

interface Issue { id: string; file: string; location: { line: number; column: number }; description: string; manualReview: boolean }
type Run = (options: Record<string, unknown>) => Promise<{ issues: Issue[]; errors: Array<{ file: string; message: string; tolerable: boolean }>; atomicChecks: number; globalChecks: number }>;

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '../../..');
const scanDir = mkdtempSync(join(tmpdir(), 'electronegativity-'));

afterAll(() => rmSync(scanDir, { recursive: true, force: true }));

describe('electronegativity', () => {
  it('finds nothing in electron/ and renderer/', async () => {
    cpSync(join(root, 'electron'), join(scanDir, 'electron'), { recursive: true });
    cpSync(join(root, 'renderer'), join(scanDir, 'renderer'), { recursive: true });
    const run = require('@doyensec/electronegativity') as Run;
    const result = await run({
      input: scanDir,
      // The only check that goes online (it asks GitHub which Electron releases have fixes).
      excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
      electronVersionOverride: (require('electron/package.json') as { version: string }).version,
      isRelative: true,
    });
    expect(result.atomicChecks).toBeGreaterThan(30);
    expect(result.errors.filter((e) => !e.tolerable)).toEqual([]);
    expect(result.issues.map((i) => `${i.id} ${i.file}:${i.location.line} ${i.description}`)).toEqual([]);
  });
});
