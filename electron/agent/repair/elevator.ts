/**
 * The Elevator (a seam, DESIGN.md "Elevation"): runs one fix or undo script with administrator
 * rights and hands back its result. WindowsElevator asks UAC through the shipped launcher;
 * SimulatedElevator runs the same scripts in pwsh against the simulated host and can decline.
 * Both check every request against the same allowlist the launcher applies, so a request that
 * would be refused on Windows is refused everywhere: the fix catalog's own requests, and undo.
 */
import { FIX_CATALOG, type FixCatalog } from './fix-catalog.js';
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

/*
 * The launcher's rules. probes/common/Start-RdpElevatedFix.ps1 holds each as a PowerShell literal (it
 * runs without Node, on 5.1); test/integration/repair/launcher-allowlist.test.ts fails when one differs.
 */
/** A parameter name and value are plain tokens: nothing in them can become command text. */
export const PARAMETER_NAME_PATTERN = /^[A-Z][A-Za-z0-9]{0,39}$/;
export const PARAMETER_VALUE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Parameters the launcher sets itself, or that would change what an elevated run means (the common parameters). */
export const RESERVED_PARAMETER_NAMES: readonly string[] = [
  'RecordId', 'WhatIf', 'Confirm', 'Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction',
  'ErrorVariable', 'WarningVariable', 'InformationVariable', 'OutVariable', 'OutBuffer', 'PipelineVariable',
];

/** A request as one line, "<script> -<Name> <value>..." with the parameters by name: how the launcher's allowlist spells it. */
export function requestLine(script: string, parameters: Readonly<Record<string, string>>): string {
  return [script, ...Object.keys(parameters).sort().map((name) => `-${name} ${parameters[name]!}`)].join(' ');
}

/** What the launcher starts: each catalog fix that needs elevation with its fixed parameters, and undo. */
export function launcherAllowlist(catalog: FixCatalog = FIX_CATALOG): string[] {
  const fixes = catalog.entries.filter((entry) => entry.descriptor.needsElevation).map((entry) => requestLine(entry.script, entry.parameters));
  return [...fixes, requestLine(UNDO_SCRIPT, {})];
}

export class ElevationRequestError extends Error {
  override name = 'ElevationRequestError';
}

/**
 * Throws unless the request is one the catalog makes: its fix's script with that fix's parameters
 * (plus, for a fix of one computer's .rdp file, that computer), or undo; every parameter a plain token.
 */
export function checkElevationRequest(request: ElevationRequest, catalog: FixCatalog = FIX_CATALOG): void {
  if (!isRecordId(request.recordId)) throw new ElevationRequestError(`Not a record id: ${JSON.stringify(request.recordId)}.`);
  for (const [name, value] of Object.entries(request.parameters)) {
    if (!PARAMETER_NAME_PATTERN.test(name) || RESERVED_PARAMETER_NAMES.includes(name)) throw new ElevationRequestError(`Parameter ${JSON.stringify(name)} is not allowed.`);
    if (typeof value !== 'string' || !PARAMETER_VALUE_PATTERN.test(value)) throw new ElevationRequestError(`The value of ${name} is not allowed.`);
  }
  if (!madeByCatalog(request, catalog)) throw new ElevationRequestError(`Not a fix request the catalog makes: ${JSON.stringify(requestLine(request.script, request.parameters))}.`);
}

function madeByCatalog(request: ElevationRequest, catalog: FixCatalog): boolean {
  if (request.kind === 'undo') return requestLine(request.script, request.parameters) === requestLine(UNDO_SCRIPT, {});
  const entry = catalog.get(request.fixId);
  if (!entry) return false;
  const { targetParameter } = entry;
  if (targetParameter !== undefined && !Object.hasOwn(request.parameters, targetParameter)) return false;
  const fixed = Object.fromEntries(Object.entries(request.parameters).filter(([name]) => name !== targetParameter));
  return requestLine(request.script, fixed) === requestLine(entry.script, entry.parameters);
}

/** The request file the launcher reads: nothing in it becomes command text. */
export function requestDocument(request: ElevationRequest): string {
  return JSON.stringify({ schema: 1, script: request.script, parameters: request.parameters, recordId: request.recordId });
}
