/**
 * Whether a probe could read Win32_TSGeneralSetting (root\cimv2\TerminalServices). That namespace
 * has its own ACL and may refuse an unelevated account; the probes that have the registry carry on
 * without it and say so in the evidence (issue 11, item 1).
 */
import { z } from 'zod';

export const wmiReadSchema = z.object({
  readable: z.boolean(),
  /** The envelope error kind of the refusal (access-denied when the account may not read it). */
  errorKind: z.string().nullable(),
  error: z.string().nullable(),
});
export type WmiRead = z.infer<typeof wmiReadSchema>;

/** One evidence line: read, or what could not be read and what decided instead. */
export function describeWmiRead(read: WmiRead, instead: string): string {
  if (read.readable) return 'read';
  return `could not be read (${read.errorKind ?? 'error'}: ${(read.error ?? 'no message').trim()}); ${instead}`;
}
