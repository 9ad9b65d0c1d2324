/**
 * The words a person reads about a repair: a fix run's planned and made changes as lines, and one
 * message per outcome that says what changed, what was put back, and what is left to do.
 */
import { z } from 'zod';
import type { FixRunResult, FixStep, RestoredStep } from './fix-result.js';

/** One readable line per change: what happens, then to what. */
export function changeLine(step: FixStep): string {
  return `${step.action} (${step.target})`;
}

function restoredLine(step: RestoredStep): string {
  return step.ok ? `put back: ${step.action}` : `NOT put back: ${step.action}${step.error ? ` (${step.error})` : ''}`;
}

function sentences(parts: readonly (string | undefined)[]): string {
  return parts
    .filter((part): part is string => part !== undefined && part.trim() !== '')
    .map((part) => part.trim())
    .map((part) => (/[.!?]$/.test(part) ? part : `${part}.`))
    .join(' ');
}

/** Sessions a fix would drop, as a fix script reports them (details.sessions); anything else is left out. */
const sessionSchema = z.object({ user: z.string(), id: z.union([z.number(), z.string()]).optional(), state: z.string().optional() });
export type DroppedSession = z.infer<typeof sessionSchema>;

export function sessionsOf(result: FixRunResult): DroppedSession[] | undefined {
  const raw = result.details.sessions;
  if (raw === undefined) return undefined;
  const parsed = z.array(sessionSchema).safeParse(Array.isArray(raw) ? raw : [raw]);
  return parsed.success ? parsed.data : undefined;
}

/**
 * A run that failed: the error, then what was put back (or could not be). A step that failed before
 * it changed anything is not in `restored` (the fix journal drops it), so an empty list means the host
 * is as it was.
 */
export function failureMessage(result: FixRunResult, what: 'repair' | 'undo'): string {
  const error = result.error?.message ?? 'it reported a failure';
  if (result.restored.length === 0) {
    // A precondition's own message may already say so.
    return sentences([/nothing was changed/i.test(error) ? `The ${what} stopped: ${error}` : `Nothing was changed: ${error}`]);
  }
  const restored = result.restored.map(restoredLine).join('; ');
  const incomplete = result.restored.some((step) => !step.ok);
  return sentences([
    `The ${what} stopped: ${error}`,
    incomplete ? `Not everything could be put back — ${restored}` : `What it had changed was put back — ${restored}`,
    incomplete && result.undoAvailable ? `The undo record ${result.recordId} keeps what is left` : undefined,
  ]);
}

export function blockedMessage(result: Pick<FixRunResult, 'policy'>): string {
  return result.policy?.message ?? 'Group policy decides this setting, so nothing was changed.';
}

export function appliedMessage(result: FixRunResult, verdict: 'fixed' | 'still-failing', findingSummary: string | undefined): string {
  const changed = result.changes.map(changeLine);
  return sentences([
    changed.length > 0 ? `Changed: ${changed.join('; ')}` : 'Nothing needed changing',
    ...result.notes,
    verdict === 'still-failing' ? `The check still finds a problem${findingSummary ? `: ${findingSummary}` : ''}` : undefined,
  ]);
}

export function undoneMessage(result: FixRunResult): string {
  return sentences([result.restored.length > 0 ? `Undone — ${result.restored.map(restoredLine).join('; ')}` : 'Undone']);
}
