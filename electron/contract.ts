/**
 * The IPC seam (DESIGN.md "Contracts"): every action the window can ask of the agent, with its
 * request and response schema. Main validates each request against it before anything runs and
 * each response before it leaves (so only declared fields reach the page); the preload and the
 * demo's HTTP bridge take their types from here. No Electron, no Node: the page type-checks it too.
 */
import { z } from 'zod';
import { fixDescriptorSchema, healthSnapshotSchema, statusSchema, type HealthSnapshot } from '../probes/common/finding.js';
import { clientHistoryViewSchema, connectReportSchema, connectTargetSchema } from './client-contract.js';

/** A fix id names a fix from the catalogue (`probe.action`); it never becomes part of a command. */
export const fixIdSchema = z.string().max(64).regex(/^[a-z0-9-]+\.[a-z0-9-]+$/);
/** The fixes a person confirmed in "Repair all safe problems"; only these may run. */
export const fixIdsSchema = z.array(fixIdSchema).min(1).max(20);
/** Opaque ids the agent hands out (preview, undo record): short, no separators a path could use. */
const opaqueIdSchema = z.string().min(1).max(80).regex(/^[A-Za-z0-9_-]+$/);
export const probeIdSchema = z.string().max(64).regex(/^[a-z0-9-]+$/);

const noPayload = z.undefined();
const limitPayload = z.strictObject({ limit: z.number().int().min(1).max(1000) }).optional();

export const fixPreviewSchema = z.object({
  fixId: fixIdSchema,
  previewId: opaqueIdSchema,
  title: z.string().optional(),
  /** What the fix will change, one line each, from the script's -WhatIf run. */
  changes: z.array(z.string()),
  lowersSecurity: z.boolean(),
  disruptsSessions: z.boolean(),
  /** Sessions the fix would drop, when it drops any. */
  sessions: z.array(z.object({ user: z.string(), id: z.union([z.number(), z.string()]).optional(), state: z.string().optional() }).loose()).optional(),
  /** Sentences to read before confirming (a restart is needed, what else is affected …). */
  notes: z.array(z.string()).optional(),
  rebootRequired: z.boolean().optional(),
  /** Why applying would change nothing (group policy decides this setting). */
  blocked: z.string().optional(),
  /** Everything is already as the fix would make it. */
  nothingToDo: z.boolean().optional(),
});
export type FixPreview = z.infer<typeof fixPreviewSchema>;

/** `skipped`: repair all did not run a confirmed fix (no longer offered, or nothing to do). */
export const FIX_OUTCOMES = ['fixed', 'still-failing', 'cancelled', 'failed', 'skipped'] as const;
export const fixOutcomeSchema = z.object({
  fixId: fixIdSchema.optional(),
  outcome: z.enum(FIX_OUTCOMES),
  message: z.string(),
  /** Present when an undo record was written and policy allows undoing it: pass it to `undo`. */
  recordId: opaqueIdSchema.optional(),
  /** Undoing this fix lowers security again: say so, and pass `confirmed` to `undo`. */
  undoLowersSecurity: z.boolean().optional(),
  /** The finding re-probed after the fix. */
  finding: healthSnapshotSchema.shape.findings.element.optional(),
  /** What was changed, one line each. */
  changes: z.array(z.string()).optional(),
  notes: z.array(z.string()).optional(),
  rebootRequired: z.boolean().optional(),
});
export type FixOutcome = z.infer<typeof fixOutcomeSchema>;

/** The settings the window shows and may change (the agent keeps more, e.g. log folder and shell, that it may not). */
export const settingsSchema = z.object({
  /** Minutes between scheduled checks. */
  checkIntervalMinutes: z.number().int().min(5).max(24 * 60),
  /** Days before a certificate expires at which to warn. */
  warnDays: z.array(z.number().int().min(1).max(365)).min(1).max(12),
  notifications: z.boolean(),
  startAtLogin: z.boolean(),
  /** Minutes between scheduled connect checks of the RDP history's computers; null = off (the default). */
  historyCheckMinutes: z.number().int().min(60).max(7 * 24 * 60).nullable(),
});
export type Settings = z.infer<typeof settingsSchema>;
/** A patch names only known keys with valid values; anything else is refused whole. */
export const settingsPatchSchema = settingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
/** What the window gets: the settings in force, and which of them the administrator's policy sets (shown, not offered). */
export const settingsViewSchema = settingsSchema.extend({
  locked: z.array(z.enum(['checkIntervalMinutes', 'warnDays', 'notifications', 'startAtLogin'])),
});
export type SettingsView = z.infer<typeof settingsViewSchema>;

/** A log line as the window shows it; other meta the agent logged stays on the main side. */
export const logEntrySchema = z.object({
  timestamp: z.string(),
  level: z.string().max(16),
  message: z.string(),
});
export type LogEntry = z.infer<typeof logEntrySchema>;

/** A problem with the agent itself (its settings file, its log, its data folder), in plain words. */
export const agentProblemSchema = z.object({ kind: z.enum(['settings', 'logging', 'data-folder']), message: z.string().max(2000) });
export type AgentProblem = z.infer<typeof agentProblemSchema>;

export const agentStatusSchema = z.object({
  checking: z.boolean(),
  /** When the next scheduled check runs. */
  nextCheckAt: z.string().optional(),
  /** The host checker's snapshot is shown (when it checked), or why this agent checked by itself. */
  hostChecker: z.union([z.object({ used: z.literal(true), checkedAt: z.string() }), z.object({ used: z.literal(false), problem: z.string() })]).optional(),
  /** Said once in the window (and the tray): the settings were reset, logging fell back, nothing can be saved. */
  problems: z.array(agentProblemSchema).max(10).optional(),
  /** The shown snapshot is the last known one from history (its startedAt), until this start's first check ends. */
  lastKnownAt: z.string().optional(),
});
export type AgentStatus = z.infer<typeof agentStatusSchema>;

/** action → [request, response]. Adding an action here makes main, preload and demo fail to compile until they handle it. */
export const contract = {
  getSnapshot: { request: noPayload, response: healthSnapshotSchema.nullable() },
  getStatus: { request: noPayload, response: agentStatusSchema },
  checkNow: { request: noPayload, response: healthSnapshotSchema },
  previewFix: { request: z.strictObject({ fixId: fixIdSchema }), response: fixPreviewSchema },
  // confirmed: the person accepted the preview and its warnings; a fix that lowers security or ends sessions needs it.
  applyFix: { request: z.strictObject({ fixId: fixIdSchema, previewId: opaqueIdSchema, confirmed: z.boolean().optional() }), response: fixOutcomeSchema },
  undo: { request: z.strictObject({ recordId: opaqueIdSchema, confirmed: z.boolean().optional() }), response: fixOutcomeSchema },
  repairAllSafe: { request: z.strictObject({ fixIds: fixIdsSchema }), response: z.array(fixOutcomeSchema) },
  getHistory: { request: limitPayload, response: z.array(healthSnapshotSchema) },
  getLogs: { request: limitPayload, response: z.array(logEntrySchema) },
  getSettings: { request: noPayload, response: settingsViewSchema },
  setSettings: { request: settingsPatchSchema, response: settingsViewSchema },
  /** The Connect view: this user's RDP history, and one check from this PC to a computer. */
  clientHistory: { request: noPayload, response: clientHistoryViewSchema },
  connect: { request: z.strictObject({ target: connectTargetSchema }), response: connectReportSchema },
} as const;

export type Action = keyof typeof contract;
export const ACTIONS = Object.keys(contract) as Action[];
export type RequestOf<A extends Action> = z.infer<(typeof contract)[A]['request']>;
export type ResponseOf<A extends Action> = z.infer<(typeof contract)[A]['response']>;
/** Arguments a caller passes: none for actions without a payload. */
export type ArgsOf<A extends Action> = undefined extends RequestOf<A>
  ? [RequestOf<A>] extends [undefined] ? [] : [payload?: RequestOf<A>]
  : [payload: RequestOf<A>];

export const CHANNEL_PREFIX = 'rdp-health:';
export type ChannelOf<A extends Action> = `rdp-health:${A}`;
export const channelOf = <A extends Action>(action: A): ChannelOf<A> => `${CHANNEL_PREFIX}${action}` as ChannelOf<A>;

export function actionOfChannel(channel: string): Action | undefined {
  if (!channel.startsWith(CHANNEL_PREFIX)) return undefined;
  const action = channel.slice(CHANNEL_PREFIX.length);
  return Object.hasOwn(contract, action) ? (action as Action) : undefined;
}

export const navigationSchema = z.discriminatedUnion('to', [
  z.strictObject({ to: z.literal('overview') }),
  z.strictObject({ to: z.literal('probe'), probeId: probeIdSchema }),
  z.strictObject({ to: z.literal('repair-all') }),
]);
export type Navigation = z.infer<typeof navigationSchema>;

/** Main → window pushes. */
export const events = {
  snapshot: healthSnapshotSchema,
  checking: z.boolean(),
  /** Where to take the person: a probe (its notification was clicked) or the repair-all dialog (tray menu). */
  navigate: navigationSchema,
} as const;
export type EventName = keyof typeof events;
export type EventOf<E extends EventName> = z.infer<(typeof events)[E]>;
export type EventChannelOf<E extends EventName> = `rdp-health:event:${E}`;
export const eventChannelOf = <E extends EventName>(event: E): EventChannelOf<E> => `rdp-health:event:${event}` as EventChannelOf<E>;

export { fixDescriptorSchema, healthSnapshotSchema, statusSchema };
export type { HealthSnapshot };
