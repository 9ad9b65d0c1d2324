/**
 * The host checker's published snapshot (%ProgramData%\RDP Health\host\snapshot.json): what it
 * holds, and the verified read every user's agent does before trusting it. Who could have written
 * the folder and the file is checked by probes/common/Read-RdpHealthHostSnapshot.ps1 (owner, write
 * entries, reparse points, size) in the agent's own session, so the simulated host can model a
 * foreign-owned file; its contents are checked here (size again, JSON, schema, a date that is not
 * in the future, an age within two check intervals). Anything else is a reason, never a throw:
 * the agent shows "the host checker's last result could not be read: <reason>" and checks itself.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { parseEnvelope } from '../../probes/common/envelope.js';
import { healthSnapshotSchema } from '../../probes/common/finding.js';
import type { AgentLogger } from './logging.js';
import type { ScriptSession } from './powershell-session.js';

export const HOST_SNAPSHOT_SCRIPT = 'common/Read-RdpHealthHostSnapshot.ps1';
export const HOST_SNAPSHOT_FILE = 'snapshot.json';
export const HOST_HISTORY_FILE = 'history.jsonl';
export const MAX_SNAPSHOT_BYTES = 4 * 1024 * 1024;
/** How far in the future a checkedAt may be before it is refused (the clock was set back). */
export const CLOCK_SKEW_MS = 5 * 60_000;

export const IDENTITIES = ['system', 'elevated-admin', 'uac-admin', 'standard-user'] as const;
export const identitySchema = z.enum(IDENTITIES);
export type Identity = z.infer<typeof identitySchema>;

/** SYSTEM and an elevated administrator read everything the probes look at; anyone else may be refused. */
export function hasFullRights(identity: Identity): boolean {
  return identity === 'system' || identity === 'elevated-admin';
}

const certificateFactSchema = z.object({ probeId: z.string(), thumbprint: z.string(), notAfter: z.string(), subject: z.string().optional() });

export const publishedSnapshotSchema = z.object({
  schema: z.literal(1),
  /** When the host checker finished its check (ISO 8601). */
  checkedAt: z.string(),
  /** Who it ran as: `system` when Task Scheduler ran it as it should. */
  identity: identitySchema,
  /** The product version that checked. */
  version: z.string(),
  snapshot: healthSnapshotSchema,
  /** What the checker read beyond the snapshot: certificate expiry, for each user's notifications. */
  facts: z.object({ certificates: z.array(certificateFactSchema) }).optional(),
});
export type PublishedSnapshot = z.infer<typeof publishedSnapshotSchema>;

const trustSchema = z.object({
  folder: z.string(),
  state: z.enum(['trusted', 'absent', 'missing', 'refused']),
  reason: z.string().nullable(),
  folderTrusted: z.boolean(),
  file: z.string().nullable(),
  length: z.number(),
  identity: identitySchema.nullable(),
});

export type HostSnapshotRead =
  | { state: 'fresh'; record: PublishedSnapshot; folder: string; identity: Identity | undefined }
  | { state: 'unusable'; installed: boolean; folderTrusted?: boolean; reason: string; folder?: string; identity: Identity | undefined };

export interface ReadHostSnapshotOptions {
  session: Pick<ScriptSession, 'runScript'>;
  probesDir: string;
  now: () => Date;
  /** Older than this (from checkedAt) is stale: about two check intervals. */
  maxAgeMs: number;
  logger?: AgentLogger;
}

/** The published file's contents → the record, or why it cannot be trusted. Exported for the checker's own use and for tests. */
export function verifyPublished(text: string, now: Date, maxAgeMs = Number.POSITIVE_INFINITY): { record: PublishedSnapshot } | { reason: string } {
  if (Buffer.byteLength(text) > MAX_SNAPSHOT_BYTES) return { reason: `it is larger than ${MAX_SNAPSHOT_BYTES} bytes` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { reason: 'it is not valid JSON' };
  }
  const parsed = publishedSnapshotSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { reason: `it is not a snapshot this version understands (${issue?.path.join('.') || 'top'}: ${issue?.message ?? 'invalid'})` };
  }
  const checkedAt = Date.parse(parsed.data.checkedAt);
  if (Number.isNaN(checkedAt)) return { reason: `its date "${parsed.data.checkedAt}" is not a date` };
  const age = now.getTime() - checkedAt;
  if (-age > CLOCK_SKEW_MS) return { reason: `it is dated ${parsed.data.checkedAt}, in the future` };
  // A date a little ahead (the clock was set back) is believable, but never counts as fresh.
  if (age < 0) return { reason: `it is dated ${parsed.data.checkedAt}, later than now: waiting for the next check` };
  if (age > maxAgeMs) return { reason: `it is from ${parsed.data.checkedAt}, older than two check intervals: is the host checker task running?` };
  return { record: parsed.data };
}

/** Reads at most `limit` + 1 bytes, so an oversized file is refused without reading it whole. */
async function readBounded(path: string, limit: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** The verified read: never throws. */
export async function readHostSnapshot(options: ReadHostSnapshotOptions): Promise<HostSnapshotRead> {
  let stdout: string;
  try {
    stdout = await options.session.runScript(join(options.probesDir, ...HOST_SNAPSHOT_SCRIPT.split('/')));
  } catch (error) {
    return { state: 'unusable', installed: false, reason: `its folder could not be examined (${error instanceof Error ? error.message : String(error)})`, identity: undefined };
  }
  const envelope = parseEnvelope('host-snapshot', stdout);
  if (!envelope.ok) return { state: 'unusable', installed: false, reason: 'its folder could not be examined (unexpected output)', identity: undefined };
  if (!envelope.envelope.ok) return { state: 'unusable', installed: false, reason: `its folder could not be examined (${envelope.envelope.error.message})`, identity: undefined };
  const trust = trustSchema.safeParse(envelope.envelope.data);
  if (!trust.success) return { state: 'unusable', installed: false, reason: 'its folder could not be examined (unexpected output)', identity: undefined };
  const { folder, state, reason, file, folderTrusted } = trust.data;
  const identity = trust.data.identity ?? undefined;
  if (state !== 'trusted' || file === null) return { state: 'unusable', installed: state !== 'absent', folderTrusted, reason: reason ?? 'it was refused', folder, identity };
  let text: string;
  try {
    text = await readBounded(file, MAX_SNAPSHOT_BYTES);
  } catch (error) {
    return { state: 'unusable', installed: true, folderTrusted, reason: `${file} could not be read (${error instanceof Error ? error.message : String(error)})`, folder, identity };
  }
  const verified = verifyPublished(text, options.now(), options.maxAgeMs);
  if ('reason' in verified) {
    options.logger?.warn('host snapshot not used', { folder, reason: verified.reason });
    return { state: 'unusable', installed: true, folderTrusted, reason: verified.reason, folder, identity };
  }
  return { state: 'fresh', record: verified.record, folder, identity };
}

/** The sentence the window, the tray and the CLI show when the agent checks by itself. */
export function hostSnapshotProblem(read: Extract<HostSnapshotRead, { state: 'unusable' }>): string {
  return `The host checker's last result could not be read: ${read.reason}. This computer was checked with your rights instead.`;
}
