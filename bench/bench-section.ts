import { existsSync } from 'node:fs';
import os from 'node:os';
/** What a benchmark section is: bench/index.ts runs every section in BENCH_SECTIONS and prints them together. */
export interface BenchRow {
  label: string;
  ms: number;
  note?: string;
}

export interface BenchResult {
  rows: BenchRow[];
  /** Merged into the one JSON object on the last output line; keys must be unique across sections. */
  numbers: Record<string, number>;
}

export interface BenchSection {
  name: string;
  run(): Promise<BenchResult>;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Where a bench keeps its servers' files: memory (tmpfs) when the machine has one. xrdp writes and
 * syncs about ten log lines per connection; on a disk shared with other work that sync, not the
 * handshake, decides how long a connection takes, so a disk would measure the disk queue.
 * BENCH_WORK_ROOT names another folder (e.g. /tmp, to measure with the log on disk).
 */
export function benchWorkRoot(): string {
  return process.env.BENCH_WORK_ROOT || (existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir());
}
