/**
 * Fixes as the probe that offers them declares them, in one place each: the descriptor (id, title,
 * the risks a person must be told) that evaluate() offers, and how the agent runs and verifies it
 * (script, fixed parameters, probes to re-check). The agent's fix catalog is assembled from these
 * declarations (electron/agent/repair/fix-catalog.ts), and the elevated launcher's allowlist from it.
 */
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

/** A declared fix, as the catalog holds it: a caller names the id, everything else comes from here. */
export interface FixDeclaration {
  descriptor: FixDescriptor;
  /** The fix script, relative to the probes folder, forward slashes. */
  script: string;
  /** Parameters the script always gets for this fix (names and values from the declaration only). */
  parameters: Readonly<Record<string, string>>;
  /** Probes re-run after the fix; the first (the declaring probe) is the one whose finding decides "fixed". */
  probes: readonly string[];
  /** The fix raises security, so undoing it lowers security: confirmation, and the policy gate for lowering. */
  raisesSecurity: boolean;
  /** What verifies it: a host check of `probes`, or (a fix on this PC) a re-read of the client settings and a connect re-check. */
  verifiedBy: 'host-probes' | 'client-settings';
  /** The script parameter that gets the host of the computer whose verdict offered the fix (a fix of its .rdp file). */
  targetParameter?: string;
}

interface FixSpec extends FixRisks {
  id: string;
  title: string;
  script: string;
  parameters?: Record<string, string>;
  raisesSecurity?: boolean;
}

export interface HostFixSpec extends FixSpec {
  /** Probes re-run after the fix besides the declaring one (whose finding decides "fixed"). */
  alsoRecheck?: readonly string[];
}

export interface ClientFixSpec extends FixSpec {
  targetParameter?: string;
}

export interface DeclaredFixes<K extends string> {
  /** The descriptors, by name: what evaluate() puts into a verdict (never the script or its parameters). */
  descriptors: Readonly<Record<K, FixDescriptor>>;
  /** The same fixes as the catalog holds them. */
  declarations: readonly FixDeclaration[];
}

function declared(spec: FixSpec, probes: readonly string[], verifiedBy: FixDeclaration['verifiedBy'], targetParameter?: string): FixDeclaration {
  return Object.freeze({
    descriptor: Object.freeze(fix(spec.id, spec.title, spec)),
    script: spec.script,
    parameters: Object.freeze({ ...spec.parameters }),
    probes: Object.freeze([...probes]),
    raisesSecurity: spec.raisesSecurity ?? false,
    verifiedBy,
    ...(targetParameter ? { targetParameter } : {}),
  });
}

function declareAll<K extends string, S extends FixSpec>(specs: Record<K, S>, declare: (spec: S) => FixDeclaration): DeclaredFixes<K> {
  const names = Object.keys(specs) as K[];
  const declarations = names.map((name) => declare(specs[name]));
  const descriptors = Object.fromEntries(names.map((name, i) => [name, declarations[i]!.descriptor])) as Record<K, FixDescriptor>;
  return { descriptors: Object.freeze(descriptors), declarations: Object.freeze(declarations) };
}

/** The fixes of a host probe: verified by re-running that probe (first) and the others named. */
export function declareHostFixes<K extends string>(probeId: string, specs: Record<K, HostFixSpec>): DeclaredFixes<K> {
  return declareAll(specs, (spec) => declared(spec, [probeId, ...(spec.alsoRecheck ?? [])], 'host-probes'));
}

/** Fixes on this PC (probes/client): no host probe verifies them, a re-read of the client settings does. */
export function declareClientFixes<K extends string>(specs: Record<K, ClientFixSpec>): DeclaredFixes<K> {
  return declareAll(specs, (spec) => declared(spec, [], 'client-settings', spec.targetParameter));
}
