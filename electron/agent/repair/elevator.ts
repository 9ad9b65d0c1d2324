/**
 * The Elevator (a seam, DESIGN.md "Elevation"): runs one fix or undo script with administrator
 * rights and hands back its result. WindowsElevator asks UAC through the shipped launcher;
 * SimulatedElevator runs the same scripts in pwsh against the simulated host and can decline.
 * Both check every request against the same allowlist the launcher applies, so a request that
 * would be refused on Windows is refused everywhere.
 */
import { isRecordId, type FixRunResult } from './fix-result.js';

export interface ElevationRequest {
  kind: 'fix' | 'undo';
  fixId: string;
  /** Script relative to the probes folder (from the catalog, or common/Undo-RdpFix.ps1). */
  script: string;
  /** Catalog parameters; the record id is passed separately. */
  parameters: Readonly<Record<string, string>>;
  recordId: string;
}

export type ElevationResult =
  | { status: 'completed'; exitCode: number; message: string; result: FixRunResult }
  | { status: 'cancelled'; exitCode: number | null; message: string }
  | { status: 'failed'; exitCode: number | null; message: string };

/**
 * What an undo record is, read unelevated before any prompt (probes/common/Test-RdpFixRecord.ps1):
 * trusted = it exists, has not been undone, and it and the fix folder are admin-owned real files.
 */
export type RecordInspection = { status: 'trusted' } | { status: 'missing' | 'undone' | 'untrusted' | 'unreadable'; message: string };

export interface Elevator {
  run(request: ElevationRequest): Promise<ElevationResult>;
  /** Looks at an undo record without elevation (the fix folder is readable by Users). */
  inspectRecord(recordId: string): Promise<RecordInspection>;
}

/** Win32 ERROR_CANCELLED: the UAC prompt was declined. The launcher exits with it. */
export const UAC_CANCELLED_EXIT_CODE = 1223;
export const CANCELLED_MESSAGE = 'Cancelled — nothing was changed.';
export const UNDO_SCRIPT = 'common/Undo-RdpFix.ps1';
export const RECORD_CHECK_SCRIPT = 'common/Test-RdpFixRecord.ps1';

// The same patterns as probes/common/Start-RdpElevatedFix.ps1.
const SCRIPT_PATTERN = /^(?:[a-z0-9-]+\/Repair-Rdp[A-Za-z0-9]+|common\/Undo-RdpFix)\.ps1$/;
const NAME_PATTERN = /^[A-Z][A-Za-z0-9]{0,39}$/;
const VALUE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const RESERVED = new Set(['RecordId', 'WhatIf', 'Confirm', 'Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction']);

export class ElevationRequestError extends Error {
  override name = 'ElevationRequestError';
}

/** Throws unless the request names an allowed script with plain-token parameters. */
export function checkElevationRequest(request: ElevationRequest): void {
  if (!SCRIPT_PATTERN.test(request.script)) throw new ElevationRequestError(`Not a fix script: ${JSON.stringify(request.script)}.`);
  if (request.kind === 'undo' ? request.script !== UNDO_SCRIPT : request.script === UNDO_SCRIPT) {
    throw new ElevationRequestError('The script does not match the kind of request.');
  }
  if (!isRecordId(request.recordId)) throw new ElevationRequestError(`Not a record id: ${JSON.stringify(request.recordId)}.`);
  for (const [name, value] of Object.entries(request.parameters)) {
    if (!NAME_PATTERN.test(name) || RESERVED.has(name)) throw new ElevationRequestError(`Parameter ${JSON.stringify(name)} is not allowed.`);
    if (typeof value !== 'string' || !VALUE_PATTERN.test(value)) throw new ElevationRequestError(`The value of ${name} is not allowed.`);
  }
}

/** The request file the launcher reads: nothing in it becomes command text. */
export function requestDocument(request: ElevationRequest): string {
  return JSON.stringify({ schema: 1, script: request.script, parameters: request.parameters, recordId: request.recordId });
}
