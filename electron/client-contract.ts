/**
 * The Connect view's part of the IPC contract (contract.ts lists the actions): the user's RDP
 * history as the window shows it, and a connect check's verdict. No Electron, no Node.
 */
import { z } from 'zod';
import { fixDescriptorSchema, statusSchema } from './domain/finding.js';
import { CONNECT_TARGET_MAX, CONNECT_TARGET_PATTERN } from './domain/connect-target.js';

/** host, host:port or [v6]:port as a person types it: bounded, printable, no spaces or separators a command could use. */
export const connectTargetSchema = z.string().trim().min(1).max(CONNECT_TARGET_MAX).regex(CONNECT_TARGET_PATTERN);

export const FAULT_SIDES = ['this-pc', 'host', 'network', 'none', 'unknown'] as const;

export const connectReportSchema = z.object({
  target: z.string(),
  status: statusSchema,
  side: z.enum(FAULT_SIDES),
  summary: z.string(),
  alsoFound: z.array(z.string()),
  fixes: z.array(fixDescriptorSchema),
  evidence: z.record(z.string(), z.unknown()),
  checkedAt: z.string(),
  durationMs: z.number(),
  settingsProblem: z.string().nullable(),
});
export type ConnectReportView = z.infer<typeof connectReportSchema>;

const fileNoteSchema = z.object({ name: z.string(), problem: z.string().nullable() });

export const clientHistoryViewSchema = z.object({
  targets: z.array(
    z.object({
      target: z.string(),
      /** Where it was seen: "MRU0", "Servers key", "file Work desktop.rdp". */
      sources: z.array(z.string()),
      usernameHint: z.string().nullable(),
      rdpFiles: z.array(fileNoteSchema),
    }),
  ),
  /** .rdp files that name no computer or could not be read: shown with what is wrong. */
  unusableFiles: z.array(fileNoteSchema),
  /** Why the history could not be read (then targets is empty). */
  problem: z.string().nullable(),
  /** Scheduled checks of these computers (settings.historyCheckMinutes): the last verdict of each, with its time. */
  scheduled: z
    .object({
      everyMinutes: z.number().nullable(),
      lastRunAt: z.string().nullable(),
      notChecked: z.array(z.string()),
      reports: z.array(connectReportSchema),
    })
    .optional(),
});
export type ClientHistoryView = z.infer<typeof clientHistoryViewSchema>;

