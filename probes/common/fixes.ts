/** Fix descriptors: a fix's id, title and the risks a person must be told before it runs. */
import type { FixDescriptor } from './finding.js';

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

/** Safe to apply in "Repair all": neither lowers security nor drops sessions. */
export function isSafeFix(descriptor: FixDescriptor): boolean {
  return !descriptor.lowersSecurity && !descriptor.disruptsSessions;
}
