/**
 * What a fix script says, read without trusting it: the RDPHEALTH:PLANNED / RDPHEALTH:RESULT lines
 * it prints (probes/common/RdpHealth.Fix.psm1), the result file it writes into the fix folder, and
 * the record ids that name both. Anything that does not parse is a problem to report, not data.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { RECORD_ID_PATTERN } from '../../domain/repair.js';
import { parseJsonText } from '../json-text.js';

const stepSchema = z.object({ target: z.string(), action: z.string() });
export type FixStep = z.infer<typeof stepSchema>;

const restoredSchema = stepSchema.extend({ ok: z.boolean(), error: z.string().optional() });
export type RestoredStep = z.infer<typeof restoredSchema>;

export const FIX_RUN_OUTCOMES = ['applied', 'already-done', 'planned', 'blocked', 'failed', 'undone'] as const;

/** A fix (or undo) run's result: the RESULT line, and the same document in <record>.result.json. */
export const fixRunResultSchema = z.object({
  schema: z.literal(1),
  fixId: z.string(),
  recordId: z.string(),
  undo: z.boolean().optional(),
  ok: z.boolean(),
  whatIf: z.boolean(),
  outcome: z.enum(FIX_RUN_OUTCOMES),
  changes: z.array(stepSchema),
  planned: z.array(stepSchema),
  restored: z.array(restoredSchema),
  notes: z.array(z.string()),
  // Windows PowerShell writes an empty ordered dictionary as {} but an empty array as [] or {}.
  details: z.union([z.record(z.string(), z.unknown()), z.array(z.never()).transform((): Record<string, unknown> => ({}))]),
  rebootRequired: z.boolean(),
  undoAvailable: z.boolean(),
  finishedAt: z.string(),
  policy: z.object({ path: z.string(), name: z.string(), value: z.unknown(), message: z.string() }).optional(),
  error: z.object({ kind: z.string(), message: z.string() }).optional(),
});
export type FixRunResult = z.infer<typeof fixRunResultSchema>;

export interface FixOutput {
  planned: FixStep[];
  result?: FixRunResult;
  /** Why there is no result: no RESULT line, or one that does not match the schema. */
  problem?: string;
}

const PLANNED = 'RDPHEALTH:PLANNED ';
const RESULT = 'RDPHEALTH:RESULT ';

/** The structured lines of a script's stdout; host text ("What if: ...", in any language) is ignored. */
export function parseFixOutput(stdout: string): FixOutput {
  const planned: FixStep[] = [];
  let resultLine: string | undefined;
  for (const raw of stdout.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith(PLANNED)) {
      const step = stepSchema.safeParse(parseJsonText(line.slice(PLANNED.length)));
      if (step.success) planned.push(step.data);
    } else if (line.startsWith(RESULT)) {
      resultLine = line.slice(RESULT.length);
    }
  }
  if (resultLine === undefined) return { planned, problem: 'The fix script printed no result.' };
  const parsed = fixRunResultSchema.safeParse(parseJsonText(resultLine));
  if (!parsed.success) return { planned, problem: `The fix script's result could not be read: ${parsed.error.issues[0]?.message ?? 'invalid'}.` };
  return { planned, result: parsed.data };
}

// ---------------------------------------------------------------- records

export function isRecordId(value: unknown): value is string {
  return typeof value === 'string' && RECORD_ID_PATTERN.test(value);
}

export function newRecordId(fixId: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${fixId.replace('.', '_')}-${randomBytes(4).toString('hex')}`;
}

/**
 * The fix id a record id names (the scripts write the same into the record): the time stamp and the
 * hex suffix hold no '-', so it lies between the first and the last one (Get-RdpFixIdOfRecord in PowerShell).
 */
export function fixIdOfRecord(recordId: string): string {
  return recordId.slice(recordId.indexOf('-') + 1, recordId.lastIndexOf('-')).replace('_', '.');
}

export type FixFileKind = 'result' | 'undo' | 'undo-result';

export function fixFilePath(fixRoot: string, recordId: string, kind: FixFileKind): string {
  if (!isRecordId(recordId)) throw new Error(`Not a record id: ${JSON.stringify(recordId)}`);
  return join(fixRoot, `${recordId}.${kind}.json`);
}

/** A result file the fix wrote, checked against the schema; undefined when it is missing or malformed. */
export async function readFixResultFile(path: string): Promise<FixRunResult | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  const parsed = fixRunResultSchema.safeParse(parseJsonText(text));
  return parsed.success ? parsed.data : undefined;
}
