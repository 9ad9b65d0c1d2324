/**
 * One JSON Schema per PowerShell probe, generated from the same zod schemas the agent parses with
 * (envelope.ts + the probe's dataSchema), so a test written in PowerShell — on the simulated host
 * here, on a real Windows host in CI — checks exactly what TypeScript will accept.
 */
import { z } from 'zod';
import { ENVELOPE_SCHEMA_VERSION, errorKindSchema } from './envelope.js';
import type { PowerShellProbe } from './probe.js';

/** The envelope the probe's script must print: its data on success, a kind and message on failure. */
export function envelopeSchemaFor(probe: PowerShellProbe): z.ZodType {
  const ok = z.object({ probe: z.literal(probe.id), schema: z.literal(ENVELOPE_SCHEMA_VERSION), ok: z.literal(true), data: probe.dataSchema });
  const failed = z.object({
    probe: z.literal(probe.id),
    schema: z.literal(ENVELOPE_SCHEMA_VERSION),
    ok: z.literal(false),
    error: z.object({ kind: errorKindSchema, message: z.string() }),
  });
  return z.discriminatedUnion('ok', [ok, failed]);
}

/** The JSON Schema (draft 2020-12) of what the script prints, i.e. the input side of the zod schema. */
export function envelopeJsonSchema(probe: PowerShellProbe): Record<string, unknown> {
  return {
    ...z.toJSONSchema(envelopeSchemaFor(probe), { io: 'input', target: 'draft-2020-12' }),
    $id: `https://rdp-health.invalid/schemas/${probe.id}.envelope.json`,
    title: `${probe.title}: the envelope printed by probes/${probe.script}`,
  };
}
