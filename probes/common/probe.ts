/**
 * What a probe is, to the rest of the product: a script, a schema for its data, and a pure
 * evaluate() that turns that data into a finding. `probes/index.ts` lists them in display order.
 */
import type { z } from 'zod';
import { describeProblem, parseEnvelope, type ErrorKind } from './envelope.js';
import { worstStatus, type Finding, type FixDescriptor, type Status } from './finding.js';
import type { FixDeclaration } from './fixes.js';

export interface EvaluateContext {
  /** The moment of the check: every date comparison uses this, never the clock. */
  now: Date;
  /** Days before certificate expiry that count as `warn` (settings). */
  warnDays: number;
  /**
   * Data of another probe from this cycle, for a probe that names it in `dependsOn`: the runner then
   * evaluates that probe again once the other has run. Absent when it did not run.
   */
  dataOf?: (probeId: string) => unknown;
}

/** What evaluate() decides; the runner adds probeId, title and checkedAt. */
export interface Verdict {
  status: Status;
  summary: string;
  evidence: Record<string, unknown>;
  fixes: FixDescriptor[];
}

export interface PowerShellProbe<S extends z.ZodType = z.ZodType> {
  kind: 'powershell';
  id: string;
  title: string;
  /** Path of the Get- script relative to the probes/ folder, with forward slashes. */
  script: string;
  dataSchema: S;
  evaluate(data: z.infer<S>, ctx: EvaluateContext): Verdict;
  /** Probes (run later in the cycle, e.g. the handshake) whose data evaluate() reads through ctx.dataOf. */
  dependsOn?: readonly string[];
  /** Every fix evaluate() may offer, declared once (probes/common/fixes.ts): the fix catalog is made of these. */
  fixes?: readonly FixDeclaration[];
}

export interface NodeProbeContext extends EvaluateContext {
  /** Cancels the probe's network work (cycle cancelled, app quitting). */
  signal: AbortSignal;
  /** Envelope data of a PowerShell probe from this cycle (e.g. listener port), or undefined. */
  dataOf(probeId: string): unknown;
}

/** A probe that runs in Node itself (e.g. the handshake): it observes and evaluates in one go. */
export interface NodeProbe {
  kind: 'node';
  id: string;
  title: string;
  /** Resolves with a verdict; a rejection becomes an `unknown` finding (findingFromNodeProbe). */
  run(ctx: NodeProbeContext): Promise<Verdict>;
}

/** One thing a check found, in the words of its summary. */
export interface Problem {
  status: Status;
  summary: string;
}

/**
 * Several problems → one verdict: the worst status, said by the first problem of that status; the
 * others are listed under 'Also found' in the evidence.
 */
export function verdictFromProblems(problems: readonly [Problem, ...Problem[]], evidence: Record<string, unknown>, fixes: FixDescriptor[] = []): Verdict {
  const status = worstStatus(problems.map((problem) => problem.status));
  const lead = problems.find((problem) => problem.status === status) ?? problems[0];
  const others = problems.filter((problem) => problem !== lead).map((problem) => problem.summary);
  return { status, summary: lead.summary, evidence: others.length > 0 ? { ...evidence, 'Also found': others } : evidence, fixes };
}

export const DEFAULT_EVALUATE_CONTEXT = (): EvaluateContext => ({ now: new Date(), warnDays: 30 });

function finding(probe: { id: string; title: string }, verdict: Verdict, checkedAt: Date): Finding {
  return { probeId: probe.id, title: probe.title, checkedAt: checkedAt.toISOString(), ...verdict };
}

const ERROR_SUMMARIES: Record<ErrorKind, string> = {
  'access-denied': 'This check needs administrator rights to read what it looks at.',
  'not-found': 'What this check reads was not found on this computer.',
  unsupported: 'This check does not apply to this edition or version of Windows.',
  timeout: 'This check did not finish in time.',
  error: 'This check could not finish.',
};

/** A finding of status `unknown`, with what was (not) seen as evidence. */
export function unknownFinding(
  probe: { id: string; title: string },
  summary: string,
  evidence: Record<string, unknown>,
  checkedAt: Date,
): Finding {
  return finding(probe, { status: 'unknown', summary, evidence, fixes: [] }, checkedAt);
}

/**
 * Raw stdout of a probe script → finding. Malformed output, error envelopes and data that
 * fails the probe's schema all become `unknown` findings that say what came back. Never throws.
 */
export function findingFromOutput(probe: PowerShellProbe, stdout: string, ctx: EvaluateContext): Finding {
  const parsed = parseEnvelope(probe.id, stdout);
  if (!parsed.ok) {
    return unknownFinding(probe, describeProblem(parsed.problem), { output: stdout.slice(0, 2000) }, ctx.now);
  }
  const { envelope } = parsed;
  if (!envelope.ok) {
    return unknownFinding(
      probe,
      ERROR_SUMMARIES[envelope.error.kind],
      { errorKind: envelope.error.kind, message: envelope.error.message },
      ctx.now,
    );
  }
  const data = probe.dataSchema.safeParse(envelope.data);
  if (!data.success) {
    const issue = data.error.issues[0];
    return unknownFinding(
      probe,
      'The check returned data in a shape this version does not understand.',
      { problem: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, data: envelope.data },
      ctx.now,
    );
  }
  try {
    return finding(probe, probe.evaluate(data.data, ctx), ctx.now);
  } catch (error) {
    return unknownFinding(
      probe,
      'The check returned data this version could not interpret.',
      { problem: String(error), data: envelope.data },
      ctx.now,
    );
  }
}

/** Runs a Node probe → finding. A probe that throws becomes `unknown` with the error. Never rejects. */
export async function findingFromNodeProbe(probe: NodeProbe, ctx: NodeProbeContext): Promise<Finding> {
  try {
    return finding(probe, await probe.run(ctx), ctx.now);
  } catch (error) {
    return unknownFinding(probe, ERROR_SUMMARIES.error, { problem: String(error) }, ctx.now);
  }
}
