/** Fix descriptors: a fix's id, title and the risks a person must be told before it runs. */
import type { FixDescriptor } from './finding.js';

/** The "repair all" rule lives in the domain layer; re-exported for the probes' tests. */
export { isSafeFix, repairAllPlan } from '../../electron/domain/repair.js';

interface FixRisks {
  lowersSecurity?: boolean;
  disruptsSessions?: boolean;
  needsElevation?: boolean;
}

/** Every fix changes machine-wide settings, so it needs elevation unless said otherwise. */
export function fix(id: string, title: string, risks: FixRisks): FixDescriptor {
  return {
    id,
    title,
    lowersSecurity: risks.lowersSecurity ?? false,
    disruptsSessions: risks.disruptsSessions ?? false,
    needsElevation: risks.needsElevation ?? true,
  };
}
