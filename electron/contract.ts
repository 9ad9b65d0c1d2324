/**
 * The IPC seam (DESIGN.md "Contracts"): every action the window can ask of the agent, with its
 * request and response schema. Main validates each request against it before anything runs and
 * each response before it leaves (so only declared fields reach the page); the preload and the
 * demo's HTTP bridge take their types from here. No Electron, no Node: the page type-checks it too.
 */
import { z } from 'zod';
import { fixDescriptorSchema, healthSnapshotSchema, statusSchema, type HealthSnapshot } from './domain/finding.js';
import { fixIdSchema, fixIdsSchema, fixOutcomeSchema, fixPreviewSchema, opaqueIdSchema, type FixOutcome, type FixPreview } from './domain/repair.js';
import { WINDOW_SETTING_KEYS, windowSettingsSchema, type WindowSettings } from './domain/settings.js';
import { clientHistoryViewSchema, connectReportSchema, connectTargetSchema } from './client-contract.js';

export const probeIdSchema = z.string().max(64).regex(/^[a-z0-9-]+$/);

const noPayload = z.undefined();
const limitPayload = z.strictObject({ limit: z.number().int().min(1).max(1000) }).optional();

/** The settings the window shows and may change; schema and bounds are the domain's. */
export { windowSettingsSchema, type WindowSettings };
/** A patch names only known keys with valid values; anything else is refused whole. */
export const settingsPatchSchema = windowSettingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
/** What the window gets: the settings in force, and which of them the administrator's policy sets (shown, not offered). */
export const settingsViewSchema = windowSettingsSchema.extend({
  locked: z.array(z.enum(WINDOW_SETTING_KEYS)),
});
export type SettingsView = z.infer<typeof settingsViewSchema>;

/** A log line as the window shows it; other meta the agent logged stays on the main side. */
export const logLineSchema = z.object({
  timestamp: z.string(),
  level: z.string().max(16),
  message: z.string(),
});
export type LogLine = z.infer<typeof logLineSchema>;

/** A problem with the agent itself (its settings file, its log, its data folder), in plain words. */
export const agentProblemSchema = z.object({ kind: z.enum(['settings', 'logging', 'data-folder']), message: z.string().max(2000) });
export type AgentProblem = z.infer<typeof agentProblemSchema>;

/** The agent's state as the window sees it (the agent's own AgentStatus holds more). */
export const windowStatusSchema = z.object({
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
export type WindowStatus = z.infer<typeof windowStatusSchema>;

/** action → [request, response]. Adding an action here makes main, preload and demo fail to compile until they handle it. */
export const contract = {
  getSnapshot: { request: noPayload, response: healthSnapshotSchema.nullable() },
  getStatus: { request: noPayload, response: windowStatusSchema },
  checkNow: { request: noPayload, response: healthSnapshotSchema },
  previewFix: { request: z.strictObject({ fixId: fixIdSchema }), response: fixPreviewSchema },
  // confirmed: the person accepted the preview and its warnings; a fix that lowers security or ends sessions needs it.
  applyFix: { request: z.strictObject({ fixId: fixIdSchema, previewId: opaqueIdSchema, confirmed: z.boolean().optional() }), response: fixOutcomeSchema },
  undo: { request: z.strictObject({ recordId: opaqueIdSchema, confirmed: z.boolean().optional() }), response: fixOutcomeSchema },
  repairAllSafe: { request: z.strictObject({ fixIds: fixIdsSchema }), response: z.array(fixOutcomeSchema) },
  getHistory: { request: limitPayload, response: z.array(healthSnapshotSchema) },
  getLogs: { request: limitPayload, response: z.array(logLineSchema) },
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
/** What a handler may return: anything the response schema accepts (it strips undeclared fields before the page sees them). */
export type HandlerResultOf<A extends Action> = z.input<(typeof contract)[A]['response']>;
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

export { fixDescriptorSchema, fixIdSchema, fixIdsSchema, fixOutcomeSchema, fixPreviewSchema, healthSnapshotSchema, statusSchema };
export type { FixOutcome, FixPreview, HealthSnapshot };
