/** A Windows service as Get-RdpServiceState (RdpHealth.Common.psm1) reports it, for the probes' data schemas. */
import { z } from 'zod';

/** Not installed: present false, state and startMode null. The probe scripts pass ProcessId on only where they use it. */
export const serviceStateSchema = z.object({
  name: z.string(),
  present: z.boolean(),
  state: z.string().nullable(),
  startMode: z.string().nullable(),
});
export type ServiceState = z.infer<typeof serviceStateSchema>;
