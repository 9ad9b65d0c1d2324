/**
 * RepairService: the orchestration of fixes (DESIGN.md "Elevation").
 *   listFixes(snapshot) → the catalog fixes the findings offer;
 *   preview(fixId)      → the script's -WhatIf run, unelevated, as readable lines + a previewId;
 *   apply(fixId, previewId, { confirmed }) → only after a preview of the same fix that has something
 *                         to do, confirmed when it lowers security or ends sessions: elevation, then
 *                         the affected probes re-run (a fix on this PC: its client settings re-read and
 *                         the connect check re-run) → fixed | still-failing | cancelled | failed | skipped;
 *   undo(recordId, { confirmed }) → through the same policy gate (undoing a fix that raised security
 *                         lowers it), only for a record that exists and is admin-owned, before any prompt;
 *   repairAllSafe(fixIds) (only the confirmed fixes that are still safe and offered).
 * Ids are looked up in the catalog, never built into commands; extra arguments are refused. With
 * `offeredOnly` (the window) a fix runs only while the latest check offers it.
 */
import { randomUUID } from 'node:crypto';
import type { Finding, FixDescriptor, HealthSnapshot } from '../../../probes/common/finding.js';
import { fixIdsSchema, repairAllPlan, type FixOutcome, type FixPreview } from '../../domain/repair.js';
import { silentLogger, type AgentLogger } from '../logging.js';
import type { ClientFixHooks } from '../client/client-fix-check.js';
import type { ScriptSession } from '../powershell-session.js';
import { probeScriptPath } from '../script-paths.js';
import { UNDO_SCRIPT, type ElevationResult, type Elevator } from './elevator.js';
import { FIX_CATALOG, type FixCatalog, type FixCatalogEntry } from './fix-catalog.js';
import { fixIdOfRecord, isRecordId, newRecordId, parseFixOutput, type FixRunResult } from './fix-result.js';
import { appliedMessage, blockedMessage, changeLine, failureMessage, sessionsOf, undoneMessage } from './repair-messages.js';

/** A preview as the window gets it, plus what the script said beyond the changes. */
export interface RepairPreview extends FixPreview {
  title: string;
  /** Sentences to read before confirming: lowers security, needs a restart, ... */
  notes: string[];
  rebootRequired: boolean;
  /** Group policy decides this setting: applying would change nothing. */
  blocked?: string;
  /** Everything is already as the fix would make it. */
  nothingToDo: boolean;
}

/** An outcome as the window gets it, plus the detail a log or the CLI shows. */
export interface RepairOutcome extends FixOutcome {
  fixId: string;
  changes?: string[];
  notes?: string[];
  rebootRequired?: boolean;
}

/** A request the service refuses before anything runs (unknown id, extra arguments, no preview...). */
export class RepairRequestError extends Error {
  override name = 'RepairRequestError';
}

export interface RepairServiceOptions {
  /** The unelevated session the -WhatIf previews run in. */
  session: Pick<ScriptSession, 'invokeScript'>;
  probesDir: string;
  elevator: Elevator;
  /** Runs the fixes that need no elevation (the user's own files) with the user's rights: no UAC prompt. */
  userRunner?: Elevator;
  /** Re-runs some probes (through the agent's pipeline, so history and the tray see the result). */
  recheck(probeIds: readonly string[]): Promise<HealthSnapshot>;
  /** The latest snapshot, or a fresh check when there is none (repair all). */
  snapshot(): Promise<HealthSnapshot>;
  /** Fixes on this PC: what the latest connect verdicts offer, and their verification (client settings + connect re-check). */
  client?: ClientFixHooks;
  catalog?: FixCatalog;
  /** Why a fix is not allowed on this computer (admin policy), or undefined when it is. */
  refuse?: (fix: FixDescriptor) => string | undefined;
  /** Preview and apply only fixes the latest snapshot offers (the window; the CLI names fixes explicitly). */
  offeredOnly?: boolean;
  /** Told every outcome of an apply or an undo (the Event Log records them); must not throw. */
  onOutcome?: (action: 'apply' | 'undo', outcome: RepairOutcome) => void;
  logger?: AgentLogger;
  now?: () => Date;
  previewTtlMs?: number;
  previewTimeoutMs?: number;
}

interface StoredPreview {
  fixId: string;
  /** The parameters the preview ran with (the catalog's, plus the computer a file fix is for): apply runs the same. */
  parameters: Readonly<Record<string, string>>;
  expiresAt: number;
  blocked?: string;
  nothingToDo: boolean;
}

/** What the person confirmed: the preview (or the undo) with its warnings was shown and accepted. */
export interface RepairConfirmation {
  confirmed: boolean;
}

export class RepairService {
  private readonly catalog: FixCatalog;
  private readonly logger: AgentLogger;
  private readonly now: () => Date;
  private readonly previews = new Map<string, StoredPreview>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: RepairServiceOptions) {
    this.catalog = options.catalog ?? FIX_CATALOG;
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? (() => new Date());
  }

  /** The catalog fixes that the findings which are not ok offer (available and allowed only). */
  listFixes(snapshot: HealthSnapshot): FixDescriptor[] {
    const seen = new Map<string, FixDescriptor>();
    for (const finding of snapshot.findings) {
      if (finding.status === 'ok') continue;
      for (const offered of finding.fixes) {
        const entry = this.catalog.get(offered.id);
        if (entry && !seen.has(entry.descriptor.id) && this.catalog.isAvailable(entry) && !this.options.refuse?.(entry.descriptor)) {
          seen.set(entry.descriptor.id, entry.descriptor);
        }
      }
    }
    return [...seen.values()];
  }

  async preview(fixId: string, ...extra: unknown[]): Promise<RepairPreview> {
    noExtra(extra);
    const entry = this.entryFor(fixId);
    await this.assertOffered(entry);
    const scriptPath = probeScriptPath(this.options.probesDir, entry.script);
    const parameters = this.parametersOf(entry);
    const run = await this.options.session.invokeScript(scriptPath, { ...parameters, WhatIf: true }, { timeoutMs: this.options.previewTimeoutMs ?? 60_000 });
    const output = parseFixOutput(run.stdout);
    const result = output.result;
    if (!result || !result.whatIf) {
      this.logger.error('fix preview unreadable', { fixId, problem: output.problem, stderr: run.stderr.slice(0, 1000) });
      throw new Error(`The preview of ${entry.descriptor.title} could not be read. ${output.problem ?? ''}`.trim());
    }
    if (result.outcome === 'failed') throw new Error(failureMessage(result, 'repair'));
    const planned = output.planned.length > 0 ? output.planned : result.planned;
    const previewId = randomUUID();
    const blocked = result.outcome === 'blocked' ? blockedMessage(result) : undefined;
    const nothingToDo = planned.length === 0;
    this.prunePreviews();
    this.previews.set(previewId, { fixId, parameters, expiresAt: this.now().getTime() + (this.options.previewTtlMs ?? 10 * 60_000), nothingToDo, ...(blocked ? { blocked } : {}) });
    const sessions = sessionsOf(result);
    this.logger.info('fix previewed', { fixId, previewId, changes: planned.length, blocked: blocked !== undefined });
    return {
      fixId,
      previewId,
      title: entry.descriptor.title,
      changes: planned.map(changeLine),
      lowersSecurity: entry.descriptor.lowersSecurity,
      disruptsSessions: entry.descriptor.disruptsSessions,
      ...(sessions ? { sessions } : {}),
      notes: result.notes,
      rebootRequired: result.rebootRequired,
      ...(blocked ? { blocked } : {}),
      nothingToDo,
    };
  }

  async apply(fixId: string, previewId: string, confirmation?: RepairConfirmation, ...extra: unknown[]): Promise<RepairOutcome> {
    noExtra(extra);
    const confirmed = confirmedBy(confirmation);
    const entry = this.entryFor(fixId);
    const { lowersSecurity, disruptsSessions } = entry.descriptor;
    if ((lowersSecurity || disruptsSessions) && !confirmed) {
      throw new RepairRequestError(`"${entry.descriptor.title}" ${lowersSecurity ? 'lowers security' : 'ends sessions'}: it runs only after the person confirms it.`);
    }
    await this.assertOffered(entry);
    const preview = this.takePreview(fixId, previewId);
    return this.exclusive(() => this.applyEntry(entry, preview)).then((outcome) => this.reported('apply', outcome));
  }

  async undo(recordId: string, confirmation?: RepairConfirmation, ...extra: unknown[]): Promise<RepairOutcome> {
    noExtra(extra);
    const confirmed = confirmedBy(confirmation);
    if (!isRecordId(recordId)) throw new RepairRequestError('That is not an undo record id.');
    const entry = this.catalog.get(fixIdOfRecord(recordId));
    if (!entry) throw new RepairRequestError('That undo record does not belong to a known fix.');
    const refusal = this.undoRefusal(entry);
    if (refusal) throw new RepairRequestError(refusal);
    return this.exclusive(async () => {
      const fixId = entry.descriptor.id;
      this.logger.info('undo requested', { fixId, recordId });
      // Before any prompt, and before asking for a confirmation: a record that is missing, already
      // undone or not written by an administrator never asks.
      const runner = this.runnerFor(entry);
      const record = await runner.inspectRecord(recordId);
      if (record.status !== 'trusted') throw new RepairRequestError(record.message);
      if (entry.raisesSecurity && !confirmed) throw new RepairRequestError(`Undoing "${entry.descriptor.title}" lowers security: it runs only after the person confirms it.`);
      const elevation = await runner.run({ kind: 'undo', fixId, script: UNDO_SCRIPT, parameters: {}, recordId });
      const early = this.notCompleted(fixId, elevation);
      if (early) return early;
      const result = (elevation as Extract<ElevationResult, { status: 'completed' }>).result;
      if (!result.ok) return this.log({ fixId, outcome: 'failed', message: failureMessage(result, 'undo'), ...(result.undoAvailable ? { recordId } : {}) });
      const finding = await this.primaryFinding(entry).catch(() => undefined);
      return this.log({ fixId, outcome: 'fixed', message: undoneMessage(result), ...(finding ? { finding } : {}) });
    }).then((outcome) => this.reported('undo', outcome));
  }

  private reported(action: 'apply' | 'undo', outcome: RepairOutcome): RepairOutcome {
    try {
      this.options.onOutcome?.(action, outcome);
    } catch (error) {
      this.logger.error('fix outcome listener failed', { error: String(error) });
    }
    return outcome;
  }

  /**
   * Applies, one after another, the fixes the person confirmed (`fixIds`, as the dialog listed
   * them) that are still among the safe fixes the latest snapshot offers (the first safe fix of
   * each failing finding); stops at a declined prompt. Never runs a fix that was not confirmed; a
   * confirmed fix that is no longer offered, or has nothing to do, is reported as skipped.
   */
  async repairAllSafe(fixIds: readonly string[], ...extra: unknown[]): Promise<RepairOutcome[]> {
    noExtra(extra);
    const confirmed = confirmedFixIds(fixIds);
    for (const fixId of confirmed) {
      if (!this.catalog.get(fixId)) throw new RepairRequestError('That is not a fix this agent knows.');
    }
    const snapshot = await this.options.snapshot();
    const safeNow = new Set(this.safeFixes(snapshot).map((fix) => fix.id));
    const outcomes: RepairOutcome[] = [];
    for (const fixId of confirmed) {
      if (!safeNow.has(fixId)) {
        outcomes.push(this.log({ fixId, outcome: 'skipped', message: 'Not run: the latest check no longer offers this repair as a safe fix.' }));
        continue;
      }
      const preview = await this.preview(fixId);
      if (preview.nothingToDo && !preview.blocked) {
        outcomes.push(this.log({ fixId, outcome: 'skipped', message: 'Not run: everything is already as this repair would make it.' }));
        continue;
      }
      const outcome = await this.apply(fixId, preview.previewId, { confirmed: true });
      outcomes.push(outcome);
      if (outcome.outcome === 'cancelled') break;
    }
    return outcomes;
  }

  /** Undo passes the same policy gate as a fix; undoing a fix that raised security lowers it. */
  private undoRefusal(entry: FixCatalogEntry): string | undefined {
    return this.options.refuse?.({ ...entry.descriptor, lowersSecurity: entry.raisesSecurity });
  }

  /** With offeredOnly: the latest snapshot must offer this fix (a finding that is not ok lists it). */
  private async assertOffered(entry: FixCatalogEntry): Promise<void> {
    if (!this.options.offeredOnly) return;
    const offered = entry.verifiedBy === 'client-settings' ? (this.options.client?.offered() ?? []).map((id) => ({ id })) : this.listFixes(await this.options.snapshot());
    if (!offered.some((fix) => fix.id === entry.descriptor.id)) throw new RepairRequestError(`"${entry.descriptor.title}" is not offered by the latest check; check again first.`);
  }

  private safeFixes(snapshot: HealthSnapshot): FixDescriptor[] {
    const allowed = new Set(this.listFixes(snapshot).map((fix) => fix.id));
    return repairAllPlan(snapshot.findings, (fix) => allowed.has(fix.id) && this.catalog.get(fix.id) !== undefined);
  }

  private async applyEntry(entry: FixCatalogEntry, preview: StoredPreview): Promise<RepairOutcome> {
    const fixId = entry.descriptor.id;
    if (preview.blocked) return this.log({ fixId, outcome: 'failed', message: preview.blocked });
    // Nothing would change: no elevation is asked for.
    if (preview.nothingToDo) return this.log({ fixId, outcome: 'skipped', message: 'Not run: everything is already as this repair would make it.' });
    const recordId = newRecordId(fixId, this.now());
    this.logger.info('fix requested', { fixId, recordId });
    const elevation = await this.runnerFor(entry).run({ kind: 'fix', fixId, script: entry.script, parameters: preview.parameters, recordId });
    const early = this.notCompleted(fixId, elevation);
    if (early) return early;
    const result = (elevation as Extract<ElevationResult, { status: 'completed' }>).result;
    return this.log(await this.judge(entry, result));
  }

  /** Turns a completed run into an outcome: failures as they are, changes verified by the probes. */
  private async judge(entry: FixCatalogEntry, result: FixRunResult): Promise<RepairOutcome> {
    const fixId = entry.descriptor.id;
    const recordId = this.undoOf(entry, result);
    if (result.outcome === 'blocked') return { fixId, outcome: 'failed', message: blockedMessage(result) };
    if (!result.ok || result.outcome === 'failed') return { fixId, outcome: 'failed', message: failureMessage(result, 'repair'), ...recordId };
    const extras = { changes: result.changes.map(changeLine), notes: result.notes, rebootRequired: result.rebootRequired, ...recordId };
    let finding: Finding | undefined;
    try {
      finding = await this.primaryFinding(entry);
    } catch (error) {
      const message = `${appliedMessage(result, 'fixed', undefined)} It could not be checked afterwards: ${error instanceof Error ? error.message : String(error)}`;
      return { fixId, outcome: 'failed', message, ...extras };
    }
    const fixed = finding !== undefined && isFixedBy(finding, entry.descriptor);
    const verdict = fixed ? 'fixed' : 'still-failing';
    return { fixId, outcome: verdict, message: appliedMessage(result, verdict, finding?.summary), ...(finding ? { finding } : {}), ...extras };
  }

  /** The record to undo with, unless policy would refuse the undo (then it is not offered). */
  private undoOf(entry: FixCatalogEntry, result: FixRunResult): Pick<RepairOutcome, 'recordId' | 'undoLowersSecurity'> {
    if (!result.undoAvailable || this.undoRefusal(entry)) return {};
    return { recordId: result.recordId, ...(entry.raisesSecurity ? { undoLowersSecurity: true } : {}) };
  }

  private async primaryFinding(entry: FixCatalogEntry): Promise<Finding | undefined> {
    // A fix on this PC changed nothing on the host: its own verification, never a host check.
    if (entry.verifiedBy === 'client-settings') {
      if (!this.options.client) throw new Error("this PC's client settings cannot be read here");
      return this.options.client.verify(entry.descriptor.id);
    }
    const snapshot = await this.options.recheck(entry.probes);
    return snapshot.findings.find((finding) => finding.probeId === entry.probes[0]);
  }

  /** Elevation (UAC) for what changes the computer; the user's own rights for a fix of the user's own files. */
  private runnerFor(entry: FixCatalogEntry): Elevator {
    if (entry.descriptor.needsElevation) return this.options.elevator;
    if (!this.options.userRunner) throw new RepairRequestError(`"${entry.descriptor.title}" cannot run here: nothing runs fixes with your own rights in this agent.`);
    return this.options.userRunner;
  }

  /** The catalog's parameters, plus (a fix of one computer's .rdp file) that computer's host from its latest verdict. */
  private parametersOf(entry: FixCatalogEntry): Readonly<Record<string, string>> {
    if (!entry.targetParameter) return entry.parameters;
    const host = this.options.client?.targetHostOf(entry.descriptor.id);
    if (host === undefined) throw new RepairRequestError(`"${entry.descriptor.title}" is for one computer: check that computer first (Connect to a computer, or rdp-health fix --target).`);
    return { ...entry.parameters, [entry.targetParameter]: host };
  }

  private notCompleted(fixId: string, elevation: ElevationResult): RepairOutcome | undefined {
    if (elevation.status === 'cancelled') return this.log({ fixId, outcome: 'cancelled', message: elevation.message });
    if (elevation.status === 'failed') return this.log({ fixId, outcome: 'failed', message: elevation.message });
    return undefined;
  }

  private entryFor(fixId: unknown): FixCatalogEntry {
    const entry = this.catalog.get(fixId);
    if (!entry) throw new RepairRequestError(`There is no fix called ${JSON.stringify(String(fixId)).slice(0, 80)}.`);
    if (!this.catalog.isAvailable(entry)) throw new RepairRequestError(`"${entry.descriptor.title}" is not available in this version: its repair script is not shipped yet.`);
    const refusal = this.options.refuse?.(entry.descriptor);
    if (refusal) throw new RepairRequestError(refusal);
    return entry;
  }

  private takePreview(fixId: string, previewId: unknown): StoredPreview {
    const stored = typeof previewId === 'string' ? this.previews.get(previewId) : undefined;
    if (!stored || stored.fixId !== fixId) throw new RepairRequestError('Preview this fix first: a fix is applied only after its preview.');
    this.previews.delete(previewId as string);
    if (stored.expiresAt < this.now().getTime()) throw new RepairRequestError('That preview is too old; preview the fix again.');
    return stored;
  }

  private prunePreviews(): void {
    const now = this.now().getTime();
    for (const [id, stored] of this.previews) if (stored.expiresAt < now) this.previews.delete(id);
  }

  /** One elevated change at a time: a second request waits for the first. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private log(outcome: RepairOutcome): RepairOutcome {
    const level = outcome.outcome === 'failed' ? 'warn' : 'info';
    this.logger[level]('fix outcome', { fixId: outcome.fixId, outcome: outcome.outcome, recordId: outcome.recordId, message: outcome.message });
    return outcome;
  }
}

/**
 * Whether a re-probed finding shows the fix worked: ok; or, for a fix that lowers security (a
 * deliberate trade: the finding then warns about the weaker setting), a warning that no longer
 * offers the same fix.
 */
export function isFixedBy(finding: Finding, fix: FixDescriptor): boolean {
  if (finding.status === 'ok') return true;
  return fix.lowersSecurity && finding.status === 'warn' && !finding.fixes.some((offered) => offered.id === fix.id);
}

/** The confirmed list as the IPC contract allows it (1-20 fix ids), without repeats, in the order shown. */
function confirmedFixIds(fixIds: unknown): string[] {
  const parsed = fixIdsSchema.safeParse(fixIds);
  if (!parsed.success) throw new RepairRequestError('Repair all needs the list of fix ids that were confirmed (1 to 20).');
  return [...new Set(parsed.data)];
}

/** A confirmation is { confirmed: boolean } and nothing else; none given = not confirmed. */
function confirmedBy(confirmation: unknown): boolean {
  if (confirmation === undefined) return false;
  const keys = typeof confirmation === 'object' && confirmation !== null ? Object.keys(confirmation) : undefined;
  const value = (confirmation as { confirmed?: unknown } | null)?.confirmed;
  if (!keys || keys.length !== 1 || keys[0] !== 'confirmed' || typeof value !== 'boolean') {
    throw new RepairRequestError('A fix is named by its id only; no other parameters are accepted.');
  }
  return value;
}

function noExtra(extra: readonly unknown[]): void {
  if (extra.length > 0) throw new RepairRequestError('A fix is named by its id only; no other parameters are accepted.');
}
