/**
 * The fix catalog: the only fix ids the agent accepts, and for each the shipped script, the fixed
 * parameters it runs with (never from a caller), the probes re-run to verify it, and its descriptor.
 * Each probe module declares its own fixes (probes/common/fixes.ts, `fixes` of the probe); this file
 * only assembles them: the probes in PROBES, then the fixes on this PC (probes/client). The elevated
 * launcher's allowlist is derived from it (launcher-allowlist.ts). A caller names an id; everything
 * else comes from here.
 */
import type { FixDeclaration } from '../../../probes/common/fixes.js';
import { CLIENT_FIX_DECLARATIONS } from '../../../probes/client/client-fixes.js';
import { PROBES } from '../../../probes/index.js';

/**
 * Fix scripts that are not written yet. Their fixes are listed (the probes offer them) but fail
 * loudly as "not available" instead of pretending. Remove a line when its script lands; a test
 * checks that every script here is still missing and every other one exists.
 */
export const PENDING_SCRIPTS: ReadonlySet<string> = new Set([
]);

/** A catalog entry is a fix as its probe declared it. */
export type FixCatalogEntry = FixDeclaration;

const ENTRIES: readonly FixCatalogEntry[] = [...PROBES.flatMap((probe) => (probe.kind === 'powershell' ? (probe.fixes ?? []) : [])), ...CLIENT_FIX_DECLARATIONS];

export class FixCatalog {
  private readonly byId: ReadonlyMap<string, FixCatalogEntry>;

  constructor(
    readonly entries: readonly FixCatalogEntry[] = ENTRIES,
    private readonly pending: ReadonlySet<string> = PENDING_SCRIPTS,
  ) {
    this.byId = new Map(entries.map((e) => [e.descriptor.id, e]));
    if (this.byId.size !== entries.length) throw new Error('Two declared fixes have the same id.');
  }

  /** The entry for an id, or undefined: ids are looked up, never parsed or built into anything. */
  get(fixId: unknown): FixCatalogEntry | undefined {
    return typeof fixId === 'string' ? this.byId.get(fixId) : undefined;
  }

  /** Whether the fix's script ships (false for PENDING_SCRIPTS). */
  isAvailable(entry: FixCatalogEntry): boolean {
    return !this.pending.has(entry.script);
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }
}

export const FIX_CATALOG = new FixCatalog();
