/**
 * Reads what probes/common/Test-RdpFixRecord.ps1 says about an undo record: one RDPHEALTH:RECORD
 * line. The script runs unelevated (the fix folder is readable by Users), so an undo of a record
 * that is missing, already undone or not admin-owned is refused before any UAC prompt. Anything
 * that does not parse is "unreadable", never "trusted".
 */
import { z } from 'zod';
import { parseJsonText } from '../json-text.js';
import { isRecordId } from './fix-result.js';
import type { RecordInspection } from './elevator.js';
import type { ProcessOutcome } from './windows-elevator.js';

const RECORD_LINE = 'RDPHEALTH:RECORD ';

const recordLineSchema = z.object({
  recordId: z.string(),
  status: z.enum(['trusted', 'missing', 'undone', 'untrusted']),
  message: z.string(),
});

/** The arguments after `-File <script>`: the record id only, checked against its pattern first. */
export function recordCheckArguments(recordId: string): string[] {
  if (!isRecordId(recordId)) throw new Error(`Not a record id: ${JSON.stringify(recordId)}.`);
  return ['-RecordId', recordId];
}

export function parseRecordInspection(recordId: string, exit: ProcessOutcome): RecordInspection {
  const line = exit.stdout
    .split(/\r?\n/)
    .map((raw) => raw.trim())
    .find((raw) => raw.startsWith(RECORD_LINE));
  const parsed = line === undefined ? undefined : recordLineSchema.safeParse(parseJsonText(line.slice(RECORD_LINE.length)));
  if (!parsed?.success || parsed.data.recordId !== recordId) {
    const said = (exit.stderr || exit.stdout).trim().slice(0, 300);
    return { status: 'unreadable', message: `The undo record ${recordId} could not be checked${said ? `: ${said}` : '.'} Nothing was changed.` };
  }
  if (parsed.data.status === 'trusted') return { status: 'trusted' };
  return { status: parsed.data.status, message: parsed.data.message };
}
