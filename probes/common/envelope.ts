/**
 * The probe envelope: the one JSON document a probe script prints (DESIGN.md, "Contracts").
 * Anything else that comes back becomes an `unknown` finding that says what came back.
 */
import { z } from 'zod';

export const ENVELOPE_SCHEMA_VERSION = 1;

export const errorKindSchema = z.enum(['access-denied', 'not-found', 'unsupported', 'timeout', 'error']);
export type ErrorKind = z.infer<typeof errorKindSchema>;

const okEnvelopeSchema = z.object({
  probe: z.string(),
  schema: z.literal(ENVELOPE_SCHEMA_VERSION),
  ok: z.literal(true),
  data: z.unknown(),
});
const errorEnvelopeSchema = z.object({
  probe: z.string(),
  schema: z.literal(ENVELOPE_SCHEMA_VERSION),
  ok: z.literal(false),
  error: z.object({ kind: errorKindSchema, message: z.string() }),
});
export const envelopeSchema = z.discriminatedUnion('ok', [okEnvelopeSchema, errorEnvelopeSchema]);
export type Envelope = z.infer<typeof envelopeSchema>;

/** Why raw output could not be used: said to the user in the `unknown` finding. */
export type EnvelopeProblem =
  | { kind: 'empty' }
  | { kind: 'not-json'; excerpt: string }
  | { kind: 'wrong-schema'; excerpt: string; detail: string }
  | { kind: 'wrong-probe'; expected: string; actual: string };

export type ParsedEnvelope =
  | { ok: true; envelope: Envelope }
  | { ok: false; problem: EnvelopeProblem };

const EXCERPT_LENGTH = 200;

export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_LENGTH ? `${flat.slice(0, EXCERPT_LENGTH)}…` : flat;
}

/** Parse a probe's stdout. Never throws. */
export function parseEnvelope(probeId: string, stdout: string): ParsedEnvelope {
  const text = stdout.replace(/^\uFEFF/, '').trim();
  if (text === '') return { ok: false, problem: { kind: 'empty' } };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: { kind: 'not-json', excerpt: excerpt(text) } };
  }
  const result = envelopeSchema.safeParse(json);
  if (!result.success) {
    return {
      ok: false,
      problem: { kind: 'wrong-schema', excerpt: excerpt(text), detail: result.error.issues[0]?.message ?? 'invalid' },
    };
  }
  if (result.data.probe !== probeId) {
    return { ok: false, problem: { kind: 'wrong-probe', expected: probeId, actual: result.data.probe } };
  }
  return { ok: true, envelope: result.data };
}

export function describeProblem(problem: EnvelopeProblem): string {
  switch (problem.kind) {
    case 'empty':
      return 'The check printed nothing.';
    case 'not-json':
      return `The check printed something that is not JSON: "${problem.excerpt}".`;
    case 'wrong-schema':
      return `The check printed JSON in a shape this version does not understand (${problem.detail}): "${problem.excerpt}".`;
    case 'wrong-probe':
      return `The check answered for "${problem.actual}" instead of "${problem.expected}".`;
  }
}
