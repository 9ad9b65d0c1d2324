/** The "repair all" rule, with no zod: the window bundles it alone. */
import type { FixDescriptor } from './finding.js';

/** Safe to apply in "Repair all": neither lowers security nor drops sessions. */
export function isSafeFix(descriptor: Pick<FixDescriptor, 'lowersSecurity' | 'disruptsSessions'>): boolean {
  return !descriptor.lowersSecurity && !descriptor.disruptsSessions;
}

/**
 * "Repair all safe problems": the one rule the window lists, the tray counts and the agent runs.
 * Each problem gets its first safe fix that `allowed` (policy, the catalog) lets through, each fix
 * once: a problem's second fix is another way to solve the same problem, and running both would
 * undo the first (the security layer: Negotiate, then TLS). Each fix asks for approval on its own.
 */
export function repairAllPlan(findings: readonly { status: string; fixes: readonly FixDescriptor[] }[], allowed: (fix: FixDescriptor) => boolean = () => true): FixDescriptor[] {
  const plan = new Map<string, FixDescriptor>();
  for (const finding of findings) {
    if (finding.status === 'ok') continue;
    const first = finding.fixes.find((fix) => isSafeFix(fix) && allowed(fix));
    if (first && !plan.has(first.id)) plan.set(first.id, first);
  }
  return [...plan.values()];
}
