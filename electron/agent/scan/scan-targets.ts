/**
 * The targets of a scan: exactly the hosts the user listed (arguments, a file, the RDP history),
 * never a range. A file has one host[:port] a line; `#` starts a comment; a bad line is reported
 * with its number and the rest still count. The same host:port listed twice is scanned once.
 */
import type { Target } from '../../../probes/handshake/attempt.js';
import { DEFAULT_RDP_PORT, formatTarget, parseTarget } from '../../../probes/handshake/target.js';

export interface InvalidTarget {
  /** Where it came from: "argument 2", "targets.txt line 7", "history". */
  source: string;
  text: string;
  problem: string;
}

export interface TargetList {
  targets: Target[];
  invalid: InvalidTarget[];
}

const RANGE_HINT = 'list each host; address ranges are not scanned';

function parseOne(text: string): { ok: true; target: Target } | { ok: false; problem: string } {
  // A dash between addresses or a wildcard is a range; parseTarget already refuses CIDR (/).
  if (/\*|^\d+\.\d+\.\d+\.\d+-/.test(text)) return { ok: false, problem: `"${text}" looks like an address range (${RANGE_HINT})` };
  const parsed = parseTarget(text);
  if (!parsed.ok) return { ok: false, problem: text.includes('/') ? `${parsed.problem}; ${RANGE_HINT}` : parsed.problem };
  return { ok: true, target: { host: parsed.host, port: parsed.port ?? DEFAULT_RDP_PORT } };
}

/** Collects targets in order, the first of each host:port kept. */
export class TargetCollector {
  private readonly seen = new Set<string>();
  readonly list: TargetList = { targets: [], invalid: [] };

  add(text: string, source: string): void {
    const parsed = parseOne(text);
    if (!parsed.ok) {
      this.list.invalid.push({ source, text, problem: parsed.problem });
      return;
    }
    const key = formatTarget(parsed.target).toLowerCase();
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.targets.push(parsed.target);
  }

  /** A targets file's text: blank lines and comments skipped, each other line one target. */
  addFile(content: string, fileName: string): void {
    const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/);
    lines.forEach((raw, index) => {
      const text = raw.replace(/#.*$/, '').trim();
      if (text !== '') this.add(text, `${fileName} line ${index + 1}`);
    });
  }
}
