/**
 * `npm run bench`: runs every section in BENCH_SECTIONS (or those named on the command line), prints
 * one table, and as the very last line one JSON object merging every section's numbers.
 * Add a section: a bench/<name>-section.ts exporting a BenchSection, and one entry below.
 */
import { agentSection } from './agent-section.js';
import type { BenchSection } from './bench-section.js';
import { connectSection } from './connect-section.js';
import { handshakeSection } from './handshake.js';
import { rendererSection } from './renderer.js';
import { scanSection } from './scan.js';
import { soakSection } from './soak-section.js';

export const BENCH_SECTIONS: readonly BenchSection[] = [agentSection, handshakeSection, connectSection, scanSection, rendererSection, soakSection];

function table(rows: Array<[string, string, string, string]>): string {
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => [row[0].padEnd(widths[0]!), row[1].padEnd(widths[1]!), row[2].padStart(widths[2]!), row[3]].join('  ').trimEnd()).join('\n');
}

async function main(names: readonly string[]): Promise<number> {
  const sections = names.length === 0 ? BENCH_SECTIONS : BENCH_SECTIONS.filter((section) => names.includes(section.name));
  const rows: Array<[string, string, string, string]> = [['SECTION', 'MEASURE', 'MS', 'NOTE']];
  const numbers: Record<string, number> = {};
  let failed = 0;
  for (const section of sections) {
    try {
      const result = await section.run();
      for (const row of result.rows) rows.push([section.name, row.label, row.ms.toFixed(1), row.note ?? '']);
      for (const [key, value] of Object.entries(result.numbers)) {
        if (key in numbers) throw new Error(`number "${key}" is reported by two sections`);
        numbers[key] = value;
      }
    } catch (error) {
      failed += 1;
      rows.push([section.name, `FAILED: ${error instanceof Error ? error.message : String(error)}`, '', '']);
    }
  }
  console.log(table(rows));
  console.log(JSON.stringify(numbers));
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
