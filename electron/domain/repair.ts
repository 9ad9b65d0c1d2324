/**
 * Repairs as the product speaks of them: which fixes are safe, the "repair all" plan, and the
 * shapes of a preview and of an outcome that the agent produces and the window shows.
 */
import { z } from 'zod';
import { findingSchema, fixIdSchema } from './finding.js';

export { fixIdSchema };
/** The fixes a person confirmed in "Repair all safe problems"; only these may run. */
export const fixIdsSchema = z.array(fixIdSchema).min(1).max(20);
/** Opaque ids the agent hands out (preview, undo record): short, no separators a path could use. */
export const opaqueIdSchema = z.string().min(1).max(80).regex(/^[A-Za-z0-9_-]+$/);
/**
 * An undo record id: <UTC yyyyMMddTHHmmssZ>-<fix id, . as _>-<8 hex>. The one definition: every fix
 * script's ValidatePattern and the launcher repeat it as a PowerShell literal (they run without Node),
 * and test/integration/repair/record-id-literals.test.ts fails when one of them differs.
 */
export const RECORD_ID_PATTERN = /^[0-9]{8}T[0-9]{6}Z-[a-z0-9-]+_[a-z0-9-]+-[0-9a-f]{8}$/;

export { isSafeFix, repairAllPlan } from './repair-plan.js';

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
  finding: findingSchema.optional(),
  /** What was changed, one line each. */
  changes: z.array(z.string()).optional(),
  notes: z.array(z.string()).optional(),
  rebootRequired: z.boolean().optional(),
});
export type FixOutcome = z.infer<typeof fixOutcomeSchema>;
