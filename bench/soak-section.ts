/**
 * `npm run bench soak`: the agent on the simulated host (real pwsh, real logging, history and
 * notification state in a temp folder) for N cycles (SOAK_CYCLES, default 60). RSS and V8 heap
 * after the first cycles (warm-up) and at the end, after a garbage collection, printed as a
 * ratio: the goal is no growth beyond the first cycles (a warm shell lives for days).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Agent } from '../electron/agent/agent.js';
import { round, type BenchSection } from './bench-section.js';

const WARM_UP = 5;

/** A full collection without starting node with --expose-gc. */
function collect(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function memory(): { rss: number; heap: number } {
  collect();
  const usage = process.memoryUsage();
  return { rss: usage.rss / 1024 / 1024, heap: usage.heapUsed / 1024 / 1024 };
}

export const soakSection: BenchSection = {
  name: 'soak',
  async run() {
    const cycles = Math.max(WARM_UP + 1, Number(process.env.SOAK_CYCLES ?? 60));
    const dataDir = await mkdtemp(join(tmpdir(), 'rdp-health-soak-'));
    const agent = await Agent.create({ dataDir, simulate: 'cert-expiring-5-days', hostSnapshot: false, eventLog: false });
    try {
      let start = memory();
      const started = performance.now();
      let warmedAt = started;
      for (let cycle = 1; cycle <= cycles; cycle += 1) {
        await agent.checkNow();
        await agent.getHistory({ limit: 50 });
        await agent.getLogs({ limit: 50 });
        if (cycle === WARM_UP) {
          start = memory();
          warmedAt = performance.now();
        }
      }
      const end = memory();
      const perCycle = (performance.now() - warmedAt) / (cycles - WARM_UP);
      const rssRatio = end.rss / start.rss;
      const heapRatio = end.heap / start.heap;
      return {
        rows: [
          { label: `cycle (mean of ${cycles - WARM_UP} after ${WARM_UP} warm-up)`, ms: perCycle },
          { label: 'RSS start -> end', ms: 0, note: `${round(start.rss)} -> ${round(end.rss)} MB, ratio ${round(rssRatio, 3)}` },
          { label: 'heap start -> end', ms: 0, note: `${round(start.heap)} -> ${round(end.heap)} MB, ratio ${round(heapRatio, 3)}` },
        ],
        numbers: { soak_cycles: cycles, soak_rss_start_mb: round(start.rss), soak_rss_end_mb: round(end.rss), soak_rss_ratio: round(rssRatio, 3), soak_heap_ratio: round(heapRatio, 3) },
      };
    } finally {
      await agent.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};
