/**
 * Windows Event Log: what Windows Event Forwarding and SIEMs collect. Every change of a probe's
 * status and every fix applied, undone or declined becomes one event under the source "RDP Health"
 * in the Application log, with a documented event id per kind (README, "Event Log"). Which events
 * a snapshot produces is a pure function of the previous snapshot and the new one; the writer
 * hands each message to the shipped script as a UTF-8 file, never as part of a command.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnvelope } from '../../probes/common/envelope.js';
import type { Finding, HealthSnapshot, Status } from '../../probes/common/finding.js';
import { silentLogger, type AgentLogger } from './logging.js';
import type { ScriptSession } from './powershell-session.js';

export const EVENT_SOURCE = 'RDP Health';
export const EVENT_LOG = 'Application';
export const WRITE_EVENT_SCRIPT = 'common/Write-RdpHealthEvent.ps1';

export type EntryType = 'Information' | 'Warning' | 'Error';

/** The documented event ids (README table; the script's ValidateSet lists the same numbers). */
export const EVENT_IDS = {
  probeOk: 1001,
  probeWarn: 1002,
  probeFail: 1003,
  probeUnknown: 1004,
  fixFixed: 1010,
  fixStillFailing: 1011,
  fixFailed: 1012,
  fixUndone: 1013,
  fixDeclined: 1014,
} as const;
export type EventKind = keyof typeof EVENT_IDS;

export const ENTRY_TYPES: Record<EventKind, EntryType> = {
  probeOk: 'Information',
  probeWarn: 'Warning',
  probeFail: 'Error',
  probeUnknown: 'Warning',
  fixFixed: 'Information',
  fixStillFailing: 'Warning',
  fixFailed: 'Error',
  fixUndone: 'Information',
  fixDeclined: 'Information',
};

export interface HealthEvent {
  kind: EventKind;
  eventId: number;
  entryType: EntryType;
  message: string;
}

const STATUS_KIND: Record<Status, EventKind> = { ok: 'probeOk', warn: 'probeWarn', fail: 'probeFail', unknown: 'probeUnknown' };
const STATUS_WORDS: Record<Status, string> = { ok: 'OK', warn: 'a warning', fail: 'failing', unknown: 'unknown (could not be checked)' };

function event(kind: EventKind, message: string): HealthEvent {
  return { kind, eventId: EVENT_IDS[kind], entryType: ENTRY_TYPES[kind], message };
}

/** Evidence as `label: value` lines, bounded (the event log caps a message near 32K characters). */
function evidenceLines(evidence: Record<string, unknown>): string[] {
  return Object.entries(evidence).map(([label, value]) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return `  ${label}: ${text && text.length > 500 ? `${text.slice(0, 500)}...` : text}`;
  });
}

function probeMessage(finding: Finding, previous: Status | undefined, host: string): string {
  const headline =
    previous === undefined
      ? `RDP Health: ${finding.title} is ${STATUS_WORDS[finding.status]}.`
      : `RDP Health: ${finding.title} is now ${STATUS_WORDS[finding.status]} (was ${STATUS_WORDS[previous]}).`;
  return [
    headline,
    finding.summary,
    '',
    `Host: ${host}`,
    `Probe: ${finding.probeId}`,
    `Status: ${finding.status}`,
    `Previous status: ${previous ?? 'none'}`,
    `Checked at: ${finding.checkedAt}`,
    ...(finding.fixes.length > 0 ? [`Fixes offered: ${finding.fixes.map((f) => f.id).join(', ')}`] : []),
    'Evidence:',
    ...evidenceLines(finding.evidence),
  ].join('\r\n');
}

/**
 * The events a new snapshot produces given the previous one: one per probe whose status changed.
 * Without a previous status (first check ever, or a probe new to this version) only a problem is
 * worth an event; an OK probe that was never anything else says nothing.
 */
export function probeStatusEvents(previous: HealthSnapshot | undefined, next: HealthSnapshot): HealthEvent[] {
  const before = new Map((previous?.findings ?? []).map((f) => [f.probeId, f.status] as const));
  const events: HealthEvent[] = [];
  for (const finding of next.findings) {
    const was = before.get(finding.probeId);
    if (was === finding.status) continue;
    if (was === undefined && finding.status === 'ok') continue;
    events.push(event(STATUS_KIND[finding.status], probeMessage(finding, was, next.host)));
  }
  return events;
}

export type FixAction = 'apply' | 'undo';
export type FixOutcomeKind = 'fixed' | 'still-failing' | 'cancelled' | 'failed';

export interface FixEventInput {
  action: FixAction;
  fixId: string;
  fixTitle?: string;
  outcome: FixOutcomeKind;
  /** The outcome's message, as shown to the user. */
  message: string;
  recordId?: string;
  host: string;
  /** Who asked (the signed-in user), for the audit trail. */
  user?: string;
}

function fixKind(action: FixAction, outcome: FixOutcomeKind): EventKind {
  if (outcome === 'cancelled') return 'fixDeclined';
  if (outcome === 'failed') return 'fixFailed';
  if (action === 'undo') return 'fixUndone';
  return outcome === 'fixed' ? 'fixFixed' : 'fixStillFailing';
}

const FIX_HEADLINES: Record<EventKind, string> = {
  probeOk: '',
  probeWarn: '',
  probeFail: '',
  probeUnknown: '',
  fixFixed: 'was applied and the problem is gone',
  fixStillFailing: 'was applied but the check still finds a problem',
  fixFailed: 'failed',
  fixUndone: 'was undone',
  fixDeclined: 'was declined; nothing was changed',
};

/** The event for a fix applied, undone or declined (UAC declined or the confirmation cancelled). */
export function fixEvent(input: FixEventInput): HealthEvent {
  const kind = fixKind(input.action, input.outcome);
  const name = input.fixTitle ? `"${input.fixTitle}"` : input.fixId;
  const verb = input.action === 'undo' ? 'Undoing the repair' : 'The repair';
  return event(
    kind,
    [
      `RDP Health: ${verb} ${name} ${FIX_HEADLINES[kind]}.`,
      input.message,
      '',
      `Host: ${input.host}`,
      `Fix: ${input.fixId}`,
      `Action: ${input.action}`,
      `Outcome: ${input.outcome}`,
      ...(input.recordId ? [`Undo record: ${input.recordId}`] : []),
      ...(input.user ? [`Requested by: ${input.user}`] : []),
    ].join('\r\n'),
  );
}

export interface EventLogWriterOptions {
  session: Pick<ScriptSession, 'runScript'>;
  probesDir: string;
  logger?: AgentLogger;
  /** Where message files are written (default: a private folder under the user's temp). */
  tempDir?: string;
}

export interface WriteResult {
  written: boolean;
  problem?: string;
}

/**
 * Writes events through the warm session, one at a time. Never throws: an event that cannot be
 * written is logged (once per kind of problem), because the Event Log must not break a check.
 */
export class EventLogWriter {
  private queue: Promise<unknown> = Promise.resolve();
  private folder: Promise<string> | undefined;
  private sequence = 0;
  private readonly reported = new Set<string>();
  private readonly logger: AgentLogger;

  constructor(private readonly options: EventLogWriterOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  write(event: HealthEvent): Promise<WriteResult> {
    const run = this.queue.then(() => this.writeNow(event));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async writeAll(events: readonly HealthEvent[]): Promise<WriteResult[]> {
    return Promise.all(events.map((e) => this.write(e)));
  }

  /** Removes the message folder (the agent calls this at exit). */
  async dispose(): Promise<void> {
    await this.queue;
    // Only a folder this writer made is removed; a given tempDir belongs to the caller.
    if (this.folder && !this.options.tempDir) await rm(await this.folder, { recursive: true, force: true }).catch(() => undefined);
  }

  private async writeNow(event: HealthEvent): Promise<WriteResult> {
    let file: string | undefined;
    try {
      this.folder ??= this.options.tempDir ? Promise.resolve(this.options.tempDir) : mkdtemp(join(tmpdir(), 'rdp-health-events-'));
      this.sequence += 1;
      file = join(await this.folder, `event-${process.pid}-${this.sequence}.txt`);
      await writeFile(file, event.message, { encoding: 'utf8', mode: 0o600 });
      const stdout = await this.options.session.runScript(join(this.options.probesDir, ...WRITE_EVENT_SCRIPT.split('/')), {
        EventId: event.eventId,
        EntryType: event.entryType,
        MessageFile: file,
      });
      const parsed = parseEnvelope('event-log', stdout);
      if (!parsed.ok) return this.failed(event, `unexpected output: ${stdout.slice(0, 300)}`);
      const { envelope } = parsed;
      if (envelope.ok) return { written: true };
      return this.failed(event, `${envelope.error.kind}: ${envelope.error.message}`);
    } catch (error) {
      return this.failed(event, String(error));
    } finally {
      if (file) await rm(file, { force: true }).catch(() => undefined);
    }
  }

  private failed(event: HealthEvent, problem: string): WriteResult {
    const key = problem.slice(0, 80);
    if (!this.reported.has(key)) {
      this.reported.add(key);
      this.logger.warn('event log entry not written', { eventId: event.eventId, problem });
    }
    return { written: false, problem };
  }
}
